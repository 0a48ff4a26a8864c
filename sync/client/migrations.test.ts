import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeEcgReport, makePatient, TEST_INSTITUTION } from '../../core/records/builders.ts';
import { ecgReportSchema, patientSchema, recordDefinitions } from '../../core/records/index.ts';
import { migrationStrategies } from './migrations.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from './database.ts';
import { saveRecords } from './records.ts';
import { searchPatientsByPinyinInitials } from './search.ts';

const writer = { institutionId: TEST_INSTITUTION, role: 'clinic' } as const;
const centre = { institutionId: 'ecg-center', role: 'ecg-center' } as const;
const opened: LocalDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => (db.closed ? undefined : db.close())));
});

describe('schema migration', () => {
  it('keeps every patient when the patient schema moves to version 1, filling the new field', async () => {
    const storage = memoryStorage();
    const v0 = await createLocalDatabase({ name: 'migrate', storage, writer, devMode: true });
    const patients = [makePatient({ name: '张三' }), makePatient({ name: '李四' }), makePatient({ name: '赵六', phone: '' })];
    await saveRecords(v0, 'patients', patients, { writer });
    await v0.close();

    // Version 1 adds the language the patient prefers for printed instructions.
    const patientSchemaV1 = z.object(patientSchema.shape).extend({ preferredLanguage: z.enum(['zh', 'en', 'ug', 'bo']) });
    const v1 = await createLocalDatabase({
      name: 'migrate',
      storage,
      writer,
      devMode: true,
      definitions: { patients: { ...recordDefinitions.patients, schema: patientSchemaV1, version: 1 } },
      migrationStrategies: { patients: { 1: (old: Record<string, unknown>) => ({ ...old, preferredLanguage: 'zh' }) } },
    });
    opened.push(v1);

    expect(v1.patients.schema.version).toBe(1);
    const stored = (await v1.patients.find().exec()).map((d) => d.toMutableJSON(false) as Record<string, unknown>);
    expect(stored).toHaveLength(3);
    for (const p of patients) {
      expect(stored.find((s) => s.id === p.id)).toEqual({ ...p, updatedAt: expect.any(String), preferredLanguage: 'zh' });
    }
    // Indexes were rebuilt for the new version: search still works.
    expect((await searchPatientsByPinyinInitials(v1, 'zs')).map((p) => p.name)).toEqual(['张三']);
  });

  it('opens a PC\'s version-0 ECG reports (before the hub stamped acknowledgements) with every report intact', async () => {
    const storage = memoryStorage();
    const { acknowledgedBy: _by, acknowledgedAt: _at, ...shapeV0 } = ecgReportSchema.shape;
    const v0 = await createLocalDatabase({
      name: 'migrate-reports',
      storage,
      writer: centre,
      devMode: true,
      definitions: { ecgReports: { ...recordDefinitions.ecgReports, schema: z.object(shapeV0), version: 0 } },
      migrationStrategies: { ...migrationStrategies, ecgReports: {} },
    });
    const reports = [makeEcgReport({ institutionId: 'ecg-center', critical: true }), makeEcgReport({ institutionId: 'ecg-center', critical: false })];
    await saveRecords(v0, 'ecgReports', reports, { writer: centre });
    await v0.close();

    const v1 = await createLocalDatabase({ name: 'migrate-reports', storage, writer: centre, devMode: true, migrationStrategies });
    opened.push(v1);
    expect(v1.ecgReports.schema.version).toBe(1);
    const stored = (await v1.ecgReports.find().exec()).map((d) => d.toMutableJSON(false) as Record<string, unknown>);
    expect(stored.map((r) => r.id).sort()).toEqual(reports.map((r) => r.id).sort());
    expect(stored.every((r) => r.acknowledgedAt === undefined)).toBe(true);
  });
});
