import { describe, expect, it } from 'vitest';
import { makeEcgReport, makeEcgStudy, makePatient, TEST_INSTITUTION } from '../../../core/records/builders.ts';
import { createMemoryRepository } from '../../../services/records/testing/memory-repository.ts';
import { unacknowledgedCriticalFindings } from './CriticalFindingAlert.tsx';

/** A clinic's records holding one reported study with a signed critical report (as replication brings them). */
async function clinicWithCriticalReport(report: Partial<Parameters<typeof makeEcgReport>[0]> = {}) {
  const repo = createMemoryRepository();
  const patient = makePatient({ name: '张建国' });
  const study = makeEcgStudy({ patientId: patient.id, readingState: 'reported' });
  const signed = makeEcgReport({
    institutionId: 'ecg-center',
    studyId: study.id,
    patientId: patient.id,
    critical: true,
    statements: [{ code: 'INF-008', text: '急性 ST 段抬高型心肌梗死' }],
    signedBy: 'ecg-center-cardiologist',
    signedAt: '2026-12-06T02:00:00.000Z',
    ...report,
  });
  await repo.save('patients', patient);
  await repo.save('ecgStudies', study);
  await repo.save('ecgReports', signed);
  return { repo, signed };
}

describe('the clinic’s unacknowledged 危急值', () => {
  it('raises a signed critical report nobody at the clinic has acknowledged', async () => {
    const { repo, signed } = await clinicWithCriticalReport();
    const findings = await unacknowledgedCriticalFindings(repo, TEST_INSTITUTION, {});
    expect(findings.map((f) => [f.report.id, f.patientName])).toEqual([[signed.id, '张建国']]);
  });

  it('drops it once acknowledged on this PC (local ledger) or on another PC of the clinic (the hub’s stamp, replicated)', async () => {
    const here = await clinicWithCriticalReport();
    const ledger = { [here.signed.id]: { reportId: here.signed.id, by: 'chengguan-doctor', at: '2026-12-06T02:01:00.000Z', delivered: false } };
    expect(await unacknowledgedCriticalFindings(here.repo, TEST_INSTITUTION, ledger)).toEqual([]);

    const elsewhere = await clinicWithCriticalReport({ acknowledgedBy: 'chengguan-doctor', acknowledgedAt: '2026-12-06T02:01:00.000Z' });
    expect(await unacknowledgedCriticalFindings(elsewhere.repo, TEST_INSTITUTION, {})).toEqual([]);
  });
});
