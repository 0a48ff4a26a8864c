import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { makeClosedVisit, makeEcgStudy, makePatient, makeResult, makeVisit } from '../../core/records/builders.ts';
import { todayIso } from '../../services/records/clinic-records.ts';
import { createMemoryRepository, type MemoryRepository } from '../../services/records/testing/memory-repository.ts';
import { renderWorkstation, testSession } from '../testing/render-workstation.tsx';
import { ConsultationScreen } from './ConsultationScreen.tsx';

afterEach(cleanup);
// Ant Design's CSS-in-JS makes every visibility check of a *ByRole query walk jsdom's computed styles:
// seconds per query on a visit's page. These tests check what is offered and chosen, not visibility.
configure({ defaultHidden: true });
// A whole visit on antd in jsdom: up to 8 s for one test at load 9 on 2 cores (with antd's styles kept
// out of the document, AntdTestRoot); the dom project's 20 s would be tight while CI runs everything.
vi.setConfig({ testTimeout: 60_000 });

async function queuedPatient(repo: MemoryRepository, name = '张三') {
  const patient = await repo.save('patients', makePatient({ name, institutionId: testSession.institutionId }));
  const visit = await repo.save('visits', makeVisit({ patientId: patient.id, institutionId: testSession.institutionId, visitDate: todayIso(), queueNumber: 1 }));
  return { patient, visit };
}

async function openVisit(name: string) {
  fireEvent.click(await screen.findByRole('button', { name: `接诊 ${name}` }));
  await screen.findByTestId('visit-patient-name');
}

describe('queue and consultation', () => {
  it("lists today's queue by status", async () => {
    const repo = createMemoryRepository();
    await queuedPatient(repo, '张三');
    const other = await repo.save('patients', makePatient({ name: '李四' }));
    await repo.save('visits', makeClosedVisit({ patientId: other.id, institutionId: testSession.institutionId, visitDate: todayIso(), queueNumber: 2 }));
    // The same day at the county hospital (synced for the history) is not in this clinic's queue.
    await repo.save('visits', makeVisit({ patientId: other.id, institutionId: 'county-hospital', visitDate: todayIso(), queueNumber: 7 }));
    const directory = { institutions: [], people: [{ id: 'dr-wang', institutionId: testSession.institutionId, displayName: '王建国', role: 'doctor' as const }] };
    const { container } = await renderWorkstation(<ConsultationScreen />, { repo, directory });
    await screen.findByText('候诊 (1)');
    expect(container.querySelector('[data-status="waiting"]')!.textContent).toContain('张三');
    // A seen patient names the doctor who saw them, never the user id.
    const closed = container.querySelector<HTMLElement>('[data-status="closed"]')!;
    expect(closed.textContent).toContain('李四');
    expect(within(closed).getByTestId('queue-doctor').textContent).toBe('王建国');
    // The ID number is masked on the list anyone passing the screen may read.
    expect(container.querySelector('[data-status="waiting"]')!.textContent).toMatch(/\d{6}\*{8}\d{3}[\dX]/);
    expect(container.textContent).not.toContain('dr-wang');
  });

  it("shows the patient's earlier visits, results and ECG studies, including another institution's", async () => {
    const repo = createMemoryRepository();
    const { patient } = await queuedPatient(repo);
    await repo.save('visits', makeClosedVisit({ patientId: patient.id, institutionId: testSession.institutionId, visitDate: '2026-10-02', registeredAt: '2026-10-02T01:00:00.000Z' }));
    const cbc = [
      { code: 'WBC', name: '白细胞计数', value: 7.2, unit: '10*9/L', referenceRange: '3.5-9.5', flag: '' as const },
      { code: 'HGB', name: '血红蛋白', value: 98, unit: 'g/L', referenceRange: '115-150', flag: 'L' as const },
    ];
    await repo.save('results', makeResult({ patientId: patient.id, institutionId: 'county-hospital', itemName: '血常规', values: cbc }));
    await repo.save('ecgStudies', makeEcgStudy({ patientId: patient.id }));
    await renderWorkstation(<ConsultationScreen />, { repo, directory: { institutions: [{ id: 'county-hospital', kind: 'county_hospital', name: '县人民医院' }], people: [] } });
    await openVisit('张三');
    expect((await screen.findByTestId('history-visits')).textContent).toContain('原发性高血压');
    expect(screen.getByTestId('history-results').textContent).toMatch(/血常规.*来自 县人民医院/); // the name, never the id
    // 7.2 ×10⁹/L, not "7.210*9/L"; a low value says so in words beside its range.
    const values = screen.getAllByTestId('result-value').map((v) => v.textContent);
    expect(values).toEqual(['白细胞计数 7.2 ×10⁹/L（参考 3.5–9.5），', '血红蛋白 98 g/L ↓ 偏低（参考 115–150）']);
    expect(screen.getByTestId('history-ecg').textContent).toContain('心率 72 次/分');
    // The study's state in words and colour, and its report one click away.
    expect(within(screen.getByTestId('history-ecg')).getByTestId('sent-study-state').textContent).toBe('排队中');
    fireEvent.click(within(screen.getByTestId('history-ecg')).getByRole('button', { name: '查看报告' }));
    const dialog = await screen.findByTestId('ecg-report-dialog');
    await waitFor(() => expect(dialog.textContent).toContain('尚未出报告：心电图在本机排队，网络恢复后自动上传。'));
    fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('ecg-report-dialog')).toBeNull());
  });

  it('records a diagnosis found by pinyin initials and an order from the catalogue, and keeps them', async () => {
    const repo = createMemoryRepository();
    const { visit } = await queuedPatient(repo);
    await renderWorkstation(<ConsultationScreen />, { repo });
    await openVisit('张三');
    fireEvent.change(screen.getByLabelText('主诉'), { target: { value: '头晕三天' } });
    fireEvent.change(screen.getByRole('combobox', { name: '搜索诊断：ICD-10编码、名称或拼音' }), { target: { value: 'yfxgxy' } });
    fireEvent.click(await screen.findByRole('option', { name: 'I10 原发性高血压' }));
    expect(screen.getByTestId('diagnoses').textContent).toBe('I10 原发性高血压');
    fireEvent.change(screen.getByRole('combobox', { name: '搜索检查检验项目：名称、拼音或编码' }), { target: { value: 'xcg' } });
    fireEvent.click(await screen.findByRole('option', { name: '开单 血常规' }));
    await waitFor(() => expect(screen.getByTestId('orders').textContent).toContain('血常规'));
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(screen.getByTestId('visit-status').textContent).toBe('已保存'));
    const stored = await repo.get('visits', visit.id);
    expect(stored).toMatchObject({ status: 'in-consultation', complaint: '头晕三天', diagnoses: [{ code: 'I10', name: '原发性高血压' }], doctorId: 'dr-wang' });
    expect(repo.all('orders')).toEqual([expect.objectContaining({ visitId: visit.id, itemCode: 'LAB-CBC', status: 'ordered' })]);
  });

  it("offers the commonest diagnosis for a township doctor's shorthand, and none that cannot apply to the patient", async () => {
    const repo = createMemoryRepository();
    const man = await repo.save('patients', makePatient({ name: '赵刚', sex: '1', birthDate: '1962-03-01', institutionId: testSession.institutionId }));
    await repo.save('visits', makeVisit({ patientId: man.id, institutionId: testSession.institutionId, visitDate: todayIso(), queueNumber: 1 }));
    await renderWorkstation(<ConsultationScreen />, { repo });
    await openVisit('赵刚');
    const search = screen.getByRole('combobox', { name: '搜索诊断：ICD-10编码、名称或拼音' });
    // The hits show as the options of the open dropdown, the commonest first.
    const offered = async () => (await screen.findAllByRole('option')).map((o) => o.getAttribute('aria-label'));
    fireEvent.change(search, { target: { value: 'gxb' } });
    expect((await offered())[0]).toBe('I25.1 冠状动脉粥样硬化性心脏病');
    expect(screen.getByRole('option', { name: 'I25.1 冠状动脉粥样硬化性心脏病' }).textContent).toContain('冠心病');
    fireEvent.change(search, { target: { value: '上感' } });
    expect((await offered())[0]).toBe('J06.9 急性上呼吸道感染');
    fireEvent.change(search, { target: { value: '高血压' } });
    expect((await offered())[0]).toBe('I10 原发性高血压');
    fireEvent.change(search, { target: { value: '妊娠期高血压' } });
    expect((await offered())[0]).toBe('I10 原发性高血压'); // 妊娠期高血压 (O13) is not offered for a man
    expect(screen.queryByRole('option', { name: 'O13 妊娠期高血压' })).toBeNull();
  });

  it('refuses an implausible blood pressure with the allowed range, and saves nothing', async () => {
    const repo = createMemoryRepository();
    const { visit } = await queuedPatient(repo);
    await renderWorkstation(<ConsultationScreen />, { repo });
    await openVisit('张三');
    fireEvent.change(screen.getByLabelText('收缩压'), { target: { value: '1200' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect(screen.getByRole('alert').textContent).toBe('收缩压应在 50–260 mmHg 之间，请核对');
    expect((await repo.get('visits', visit.id))!.vitals).toEqual({});
  });

  it('refuses a diastolic pressure above the systolic', async () => {
    const repo = createMemoryRepository();
    await queuedPatient(repo);
    await renderWorkstation(<ConsultationScreen />, { repo });
    await openVisit('张三');
    fireEvent.change(screen.getByLabelText('收缩压'), { target: { value: '90' } });
    fireEvent.change(screen.getByLabelText('舒张压'), { target: { value: '120' } });
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect(screen.getByRole('alert').textContent).toBe('舒张压应低于收缩压');
  });

  it('will not close a visit without a diagnosis, also when the only one was removed again', async () => {
    const repo = createMemoryRepository();
    const { visit } = await queuedPatient(repo);
    await renderWorkstation(<ConsultationScreen />, { repo });
    await openVisit('张三');
    fireEvent.change(screen.getByRole('combobox', { name: '搜索诊断：ICD-10编码、名称或拼音' }), { target: { value: 'J06' } });
    fireEvent.click(await screen.findByRole('option', { name: 'J06.9 急性上呼吸道感染' }));
    fireEvent.click(screen.getByRole('button', { name: '移除 J06.9 急性上呼吸道感染' }));
    expect(screen.getByTestId('diagnoses').textContent).toBe('');
    fireEvent.click(screen.getByRole('button', { name: '结束就诊' }));
    expect(screen.getByTestId('visit-status').textContent).toBe('结束就诊前请至少填写一个诊断');
    expect((await repo.get('visits', visit.id))!.status).not.toBe('closed');
  });

  it('locks a closed visit; a later correction is an amendment, kept and shown', async () => {
    const repo = createMemoryRepository();
    const { visit } = await queuedPatient(repo);
    await renderWorkstation(<ConsultationScreen />, { repo });
    await openVisit('张三');
    fireEvent.change(screen.getByRole('combobox', { name: '搜索诊断：ICD-10编码、名称或拼音' }), { target: { value: 'J06' } });
    fireEvent.click(await screen.findByRole('option', { name: 'J06.9 急性上呼吸道感染' }));
    fireEvent.click(screen.getByRole('button', { name: '结束就诊' }));
    await screen.findByText(/本次就诊已结束/);
    expect(screen.queryByRole('button', { name: '保存' })).toBeNull();
    expect((screen.getByLabelText('主诉') as HTMLTextAreaElement).readOnly).toBe(true);
    fireEvent.change(screen.getByLabelText('更正内容'), { target: { value: '补充：体温38.2℃' } });
    fireEvent.click(screen.getByRole('button', { name: '添加更正' }));
    await waitFor(() => expect(within(screen.getByTestId('amendments')).getByText('补充：体温38.2℃')).toBeTruthy());
    const stored = (await repo.get('visits', visit.id))!;
    expect(stored.status).toBe('closed');
    expect(stored.diagnoses).toEqual([{ code: 'J06.9', name: '急性上呼吸道感染' }]);
    expect(stored.amendments).toEqual([expect.objectContaining({ text: '补充：体温38.2℃', by: 'dr-wang' })]);
  });
});
