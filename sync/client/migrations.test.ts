import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makePatient, TEST_INSTITUTION } from '../../core/records/builders.ts';
import { patientSchema, recordDefinitions } from '../../core/records/index.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from './database.ts';
import { saveRecords } from './records.ts';
import { searchPatientsByPinyinInitials } from './search.ts';

const writer = { institutionId: TEST_INSTITUTION, role: 'clinic' } as const;
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
});
