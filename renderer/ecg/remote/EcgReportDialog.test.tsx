import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { makeEcgReport, makeEcgStudy, makePatient, makeVisit } from '../../../core/records/builders.ts';
import { todayIso } from '../../../services/records/clinic-records.ts';
import { createMemoryRepository } from '../../../services/records/testing/memory-repository.ts';
import { renderWorkstation, testSession } from '../../testing/render-workstation.tsx';
import { QueueList } from '../../consultation/QueueList.tsx';

afterEach(cleanup);

const directory = {
  institutions: [{ id: 'ecg-center', kind: 'ecg_center' as const, name: '县远程心电诊断中心' }],
  people: [{ id: 'ecg-center-cardiologist', institutionId: 'ecg-center', displayName: '张心电', role: 'cardiologist' as const }],
};

async function queuedWithEcg(readingState: 'being-read' | 'reported') {
  const repo = createMemoryRepository();
  const patient = await repo.save('patients', makePatient({ name: '王芳', institutionId: testSession.institutionId }));
  const visit = await repo.save('visits', makeVisit({ patientId: patient.id, institutionId: testSession.institutionId, visitDate: todayIso(), status: 'in-consultation', doctorId: 'dr-wang' }));
  const study = await repo.save('ecgStudies', makeEcgStudy({ patientId: patient.id, visitId: visit.id, institutionId: testSession.institutionId, priority: 'urgent', readingState }));
  return { repo, study, patient };
}

describe('the ECG report one click from the queue', () => {
  it('shows the signed report with the 危急值 flag, the cardiologist and the centre by name', async () => {
    const { repo, study, patient } = await queuedWithEcg('reported');
    await repo.save(
      'ecgReports',
      makeEcgReport({
        institutionId: 'ecg-center',
        studyId: study.id,
        patientId: patient.id,
        statements: [{ code: 'STEMI', text: '急性 ST 段抬高型心肌梗死' }],
        critical: true,
        signedBy: 'ecg-center-cardiologist',
        signedAt: '2026-12-06T02:00:00.000Z',
      }),
    );
    await renderWorkstation(<QueueList onOpen={() => undefined} />, { repo, directory });
    const row = await screen.findByTestId('queue-ecg');
    expect(within(row).getByTestId('sent-study-state').textContent).toBe('已出报告');
    fireEvent.click(within(row).getByRole('button', { name: '查看报告 王芳' }));
    const dialog = await screen.findByRole('dialog', { name: '心电图报告：王芳' });
    await within(dialog).findByTestId('ecg-report-diagnosis');
    expect(within(dialog).getByTestId('ecg-report-diagnosis').textContent).toContain('危急值');
    expect(within(dialog).getByTestId('ecg-report-diagnosis').textContent).toContain('急性 ST 段抬高型心肌梗死');
    expect(within(dialog).getByTestId('ecg-report-signer').textContent).toMatch(/^报告医生：张心电\u3000签发时间：2026-12-06 \d\d:00\u3000县远程心电诊断中心$/);
    expect(dialog.textContent).not.toContain('ecg-center');
    fireEvent.click(within(dialog).getByRole('button', { name: '关闭' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('says in words why there is no report yet, and updates when the report arrives', async () => {
    const { repo, study, patient } = await queuedWithEcg('being-read');
    await renderWorkstation(<QueueList onOpen={() => undefined} />, { repo, directory });
    fireEvent.click(within(await screen.findByTestId('queue-ecg')).getByRole('button', { name: '查看报告 王芳' }));
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(dialog.textContent).toContain('尚未出报告：心电中心正在阅片。'));
    expect(within(dialog).getByTestId('sent-study-state').textContent).toBe('阅片中');

    await repo.save('ecgStudies', { ...study, readingState: 'reported' });
    await repo.save('ecgReports', makeEcgReport({ institutionId: 'ecg-center', studyId: study.id, patientId: patient.id, signedBy: 'ecg-center-cardiologist', signedAt: '2026-12-06T02:00:00.000Z' }));
    await waitFor(() => expect(within(screen.getByRole('dialog')).getByTestId('ecg-report-diagnosis').textContent).toContain('窦性心律'));
    expect(within(screen.getByTestId('queue-ecg')).getByTestId('sent-study-state').textContent).toBe('已出报告');
  });
});
