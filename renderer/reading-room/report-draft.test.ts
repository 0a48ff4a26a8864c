import { describe, expect, it } from 'vitest';
import { makeEcgStudy } from '../../core/records/builders.ts';
import { buildSignedReport, ReportInvalidError, suggestsCritical } from './report-draft.ts';

const signer = { userId: 'ecg-center-cardiologist', institutionId: 'ecg-center' };

describe('signing a report in the reading room', () => {
  it('writes the chosen statements with their Chinese terms, the free text, the flag and the signature', () => {
    const study = makeEcgStudy({ priority: 'urgent' });
    const report = buildSignedReport(study, { codes: ['RHY-001', 'INF-008'], freeText: ' V1–V4 ST 段抬高 ', critical: true }, signer);
    expect(report).toMatchObject({
      studyId: study.id,
      patientId: study.patientId,
      institutionId: 'ecg-center',
      statements: [
        { code: 'RHY-001', text: '窦性心律' },
        { code: 'INF-008', text: '急性 ST 段抬高型心肌梗死' },
      ],
      freeText: 'V1–V4 ST 段抬高',
      critical: true,
      signedBy: signer.userId,
    });
    expect(report.signedAt).not.toBeNull();
  });

  it('refuses to sign an empty report, saying why in Chinese', () => {
    expect(() => buildSignedReport(makeEcgStudy(), { codes: [], freeText: '  ', critical: false }, signer)).toThrow(ReportInvalidError);
    try {
      buildSignedReport(makeEcgStudy(), { codes: [], freeText: '', critical: false }, signer);
    } catch (e) {
      expect((e as ReportInvalidError).messageZh).toBe('签发的报告需至少包含一条诊断或文字描述');
    }
  });

  it('suggests the critical flag when a critical-value statement is chosen', () => {
    expect(suggestsCritical(['RHY-001'])).toBe(false);
    expect(suggestsCritical(['RHY-001', 'RHY-023'])).toBe(true);
  });
});
