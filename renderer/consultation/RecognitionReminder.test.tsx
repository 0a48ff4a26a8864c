import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { makePatient, makeResult, makeVisit } from '../../core/records/builders.ts';
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

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/** A queued patient with a lipid panel (血脂四项, 30-day window, 40 元) from the county hospital `days` ago. */
async function patientWithLipidResult(repo: MemoryRepository, days: number, hrMark = true) {
  const patient = await repo.save('patients', makePatient({ name: '王芳', institutionId: testSession.institutionId }));
  await repo.save('visits', makeVisit({ patientId: patient.id, institutionId: testSession.institutionId, visitDate: todayIso(), queueNumber: 1 }));
  const result = await repo.save(
    'results',
    makeResult({
      patientId: patient.id,
      institutionId: 'county-hospital',
      itemCode: 'LAB-LIPID',
      itemName: '血脂四项',
      performedAt: daysAgo(days),
      hrMark,
      values: [{ code: '2093-3', name: '总胆固醇', value: 6.2, unit: 'mmol/L', referenceRange: '2.8-5.2', flag: 'H' }],
    }),
  );
  await renderWorkstation(<ConsultationScreen />, { repo, directory: { institutions: [{ id: 'county-hospital', kind: 'county_hospital', name: '县人民医院' }], people: [] } });
  fireEvent.click(await screen.findByRole('button', { name: '接诊 王芳' }));
  await screen.findByTestId('visit-patient-name');
  return { patient, result };
}

async function orderLipid() {
  fireEvent.change(screen.getByRole('combobox', { name: '搜索检查检验项目：名称、拼音或编码' }), { target: { value: 'xzsx' } });
  fireEvent.click(await screen.findByRole('option', { name: '开单 血脂四项' }));
}

describe('mutual recognition at order time', () => {
  it('reminds of a quality-controlled result within the window, shows it, and records the recognition instead of a new test', async () => {
    const repo = createMemoryRepository();
    const { result } = await patientWithLipidResult(repo, 30);
    await orderLipid();
    const reminder = await screen.findByTestId('recognition-reminder');
    expect(reminder.textContent).toContain('该患者 30 天前已在 县人民医院 做过此项目'); // the name, never the id
    expect(reminder.textContent).toContain('HR 互认标识');
    expect(repo.all('orders')).toEqual([]); // nothing ordered until the doctor decides

    fireEvent.click(screen.getByRole('button', { name: '查看结果' }));
    const row = within(screen.getByTestId('recognition-result')).getByRole('row', { name: /总胆固醇/ });
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['总胆固醇', '6.2', '↑ 偏高', 'mmol/L', '2.8–5.2']);
    fireEvent.click(screen.getByRole('button', { name: '收起结果' }));
    fireEvent.click(screen.getByRole('button', { name: '查看结果' })); // opening it again is still one view

    fireEvent.click(screen.getByRole('button', { name: '互认，不再检查（节省 ¥40.00）' }));
    await waitFor(() => expect(screen.getByTestId('orders').textContent).toContain('已互认，未重复检查（节省 ¥40.00）'));
    expect(screen.queryByTestId('recognition-reminder')).toBeNull();
    const [order] = repo.all('orders');
    expect(order).toMatchObject({ itemCode: 'LAB-LIPID', status: 'recognized', recognition: { decision: 'recognized', resultId: result.id, priceSavedFen: 4000 } });
    const events = repo.all('recognitionEvents');
    expect(events.map((e) => e.kind).sort()).toEqual(['recognized', 'reminder', 'view']);
    expect(events.find((e) => e.kind === 'recognized')).toMatchObject({ orderId: order!.id, resultId: result.id, resultInstitutionId: 'county-hospital', priceSavedFen: 4000, by: testSession.userId });
  });

  it('orders at once, without a reminder, when the result is 31 days old', async () => {
    const repo = createMemoryRepository();
    await patientWithLipidResult(repo, 31);
    await orderLipid();
    await waitFor(() => expect(screen.getByTestId('orders').textContent).toContain('血脂四项'));
    expect(screen.queryByTestId('recognition-reminder')).toBeNull();
    expect(repo.all('orders')[0]).toMatchObject({ status: 'ordered', recognition: null });
    expect(repo.all('recognitionEvents')).toEqual([]);
  });

  it('offers no result that lacks the HR quality-control mark', async () => {
    const repo = createMemoryRepository();
    await patientWithLipidResult(repo, 2, false);
    await orderLipid();
    await waitFor(() => expect(screen.getByTestId('orders').textContent).toContain('已开单'));
    expect(screen.queryByTestId('recognition-reminder')).toBeNull();
  });

  it('re-orders with a standard reason, and asks for a note when the reason is "other"', async () => {
    const repo = createMemoryRepository();
    await patientWithLipidResult(repo, 5);
    await orderLipid();
    await screen.findByTestId('recognition-reminder');
    fireEvent.mouseDown(screen.getByRole('combobox', { name: '重新检查原因' }));
    fireEvent.click(await screen.findByRole('option', { name: '其他（须注明）' }));
    const reorder = screen.getByRole('button', { name: '不互认，重新检查' });
    expect(reorder).toHaveProperty('disabled', true);
    fireEvent.change(screen.getByLabelText('说明'), { target: { value: '患者要求复查' } });
    fireEvent.click(reorder);
    await waitFor(() => expect(screen.getByTestId('orders').textContent).toContain('重新检查：其他（须注明）'));
    expect(repo.all('orders')[0]).toMatchObject({ status: 'ordered', recognition: { decision: 're-ordered', reason: 'other', note: '患者要求复查' } });
    expect(repo.all('recognitionEvents').find((e) => e.kind === 'refused')).toMatchObject({ reason: 'other', note: '患者要求复查', priceSavedFen: 0 });
  });

  it('counts a dismissed reminder and orders nothing', async () => {
    const repo = createMemoryRepository();
    await patientWithLipidResult(repo, 1);
    await orderLipid();
    fireEvent.click(await screen.findByRole('button', { name: '取消开单' }));
    expect(screen.queryByTestId('recognition-reminder')).toBeNull();
    expect(repo.all('orders')).toEqual([]);
    expect(repo.all('recognitionEvents').map((e) => e.kind)).toEqual(['reminder']);
  });
});
