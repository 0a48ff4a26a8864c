import { describe, expect, it } from 'vitest';
import { ecgReportSchema } from '../../records/index.ts';
import { ecgStatements, statementByCode, statementCategories } from './statements.ts';

describe('ECG diagnostic statements (心电图诊断术语)', () => {
  it('offers every category of the standardized statements, each with terms in Chinese and English', () => {
    for (const category of statementCategories) expect(ecgStatements.filter((s) => s.category === category).length).toBeGreaterThan(0);
    expect(ecgStatements.length).toBeGreaterThanOrEqual(60);
    for (const s of ecgStatements) {
      expect(s.zh.trim()).not.toBe('');
      expect(s.en.trim()).not.toBe('');
    }
  });

  it('gives every statement a unique code that a report record accepts', () => {
    expect(new Set(ecgStatements.map((s) => s.code)).size).toBe(ecgStatements.length);
    for (const s of ecgStatements) expect(s.code).toMatch(/^[A-Z]{3}-\d{3}$/);
    const report = {
      id: 'report-1',
      institutionId: 'ecg-center',
      updatedAt: '2026-01-01T00:00:00.000Z',
      studyId: 'study-1',
      patientId: 'patient-1',
      statements: ecgStatements.slice(0, 50).map((s) => ({ code: s.code, text: s.zh })),
      freeText: '',
      critical: false,
      signedBy: 'ecg-center-cardiologist',
      signedAt: '2026-01-01T00:05:00.000Z',
    };
    expect(ecgReportSchema.safeParse(report).success).toBe(true);
  });

  it('marks the critical values (危急值) of the ECG: ventricular fibrillation, complete AV block, acute STEMI', () => {
    expect(statementByCode('RHY-023')).toMatchObject({ zh: '心室颤动', critical: true });
    expect(statementByCode('CON-006')?.critical).toBe(true);
    expect(statementByCode('INF-008')?.critical).toBe(true);
    expect(statementByCode('RHY-001')?.critical).toBeUndefined();
  });
});
