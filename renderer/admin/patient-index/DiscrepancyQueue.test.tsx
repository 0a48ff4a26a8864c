import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import type { IdentityDiscrepancy } from '../../../sync/protocol/access.ts';
import { SyncError } from '../../../sync/client/hub-http.ts';
import { initI18n } from '../../i18n/i18n.ts';
import { DiscrepancyQueue } from './DiscrepancyQueue.tsx';
import type { DiscrepancyResolution, DiscrepancySource } from '../../../services/admin/discrepancies-client.ts';

afterEach(cleanup);

const makeDiscrepancy = (overrides: Partial<IdentityDiscrepancy> = {}): IdentityDiscrepancy => ({
  id: 7,
  masterPatientId: 'pat-master-1',
  patientName: '赵秀英',
  homeInstitutionId: 'chengguan',
  sourceRecordId: 'pat-dup-1',
  source: 'duplicate-registration',
  registration: 'card-read',
  reportedByInstitution: 'hekou',
  reportedByInstitutionName: '河口乡卫生院',
  reportedByUser: 'user-nurse-hekou',
  reportedByUserName: '李护士',
  current: { name: '赵秀英', sex: '2' },
  proposed: { name: '赵秀瑛', sex: '1' },
  createdAt: '2026-12-01T02:00:00.000Z',
  resolvedAt: null,
  resolution: null,
  ...overrides,
});

/** A hub double: the open queue, the decisions it was asked for, and an optional refusal. */
function fakeHub(open: IdentityDiscrepancy[], refuse?: SyncError) {
  const decisions: Array<[number, DiscrepancyResolution]> = [];
  const queue = [...open];
  const source: DiscrepancySource = {
    open: async () => [...queue],
    async resolve(id, resolution) {
      if (refuse) throw refuse;
      decisions.push([id, resolution]);
      queue.splice(queue.findIndex((d) => d.id === id), 1);
      return { id, resolution };
    },
  };
  return { source, decisions, queue };
}

async function renderQueue(source: DiscrepancySource | null, language: 'zh-CN' | 'en' = 'zh-CN') {
  const i18n = await initI18n(language);
  render(
    <I18nextProvider i18n={i18n}>
      <DiscrepancyQueue source={source} />
    </I18nextProvider>,
  );
}

describe("the county patient-index administrator's discrepancy queue", () => {
  it('lists each open discrepancy with the fields, current and proposed values, who reported it and that it was card-read', async () => {
    const hub = fakeHub([makeDiscrepancy(), makeDiscrepancy({ id: 8, registration: 'hand-typed', patientName: '王伟', current: { birthDate: '1950-01-01' }, proposed: { birthDate: '1951-01-01' } })]);
    await renderQueue(hub.source);
    const [first, second] = await screen.findAllByTestId('discrepancy');
    expect(within(first!).getByRole('heading').textContent).toContain('赵秀英');
    expect(within(first!).getByText(/河口乡卫生院 · 李护士/)).toBeTruthy();
    expect(within(first!).getByTestId('discrepancy-how').textContent).toBe('读身份证登记');
    const nameRow = within(first!).getByRole('row', { name: /姓名/ });
    expect(within(nameRow).getAllByRole('cell').map((c) => c.textContent)).toEqual(['赵秀英', '赵秀瑛']);
    const sexRow = within(first!).getByRole('row', { name: /性别/ });
    expect(within(sexRow).getAllByRole('cell').map((c) => c.textContent)).toEqual(['女', '男']);
    expect(within(second!).getByTestId('discrepancy-how').textContent).toBe('手工录入登记');
    expect(within(second!).getByRole('row', { name: /出生日期/ })).toBeTruthy();
  });

  it('accepts one and rejects another, each leaving the queue with a message saying what happened', async () => {
    const hub = fakeHub([makeDiscrepancy(), makeDiscrepancy({ id: 8, patientName: '王伟' })]);
    await renderQueue(hub.source);
    const [first] = await screen.findAllByTestId('discrepancy');
    fireEvent.click(within(first!).getByRole('button', { name: '接受（更新主索引）' }));
    await waitFor(() => expect(screen.getByTestId('patient-index-status').textContent).toBe('已接受：赵秀英 的主索引已更新。'));
    expect(screen.getAllByTestId('discrepancy')).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: '驳回（保持不变）' }));
    await waitFor(() => expect(screen.getByTestId('patient-index-status').textContent).toBe('已驳回：王伟 的主索引保持不变。'));
    expect(screen.getByTestId('patient-index-empty').textContent).toBe('没有待处理的差异。');
    expect(hub.decisions).toEqual([
      [7, 'accepted'],
      [8, 'rejected'],
    ]);
  });

  it("says why a decision was refused, in the hub's words, and keeps the discrepancy in the queue", async () => {
    const hub = fakeHub([makeDiscrepancy()], new SyncError('bad-request', 400, 'This discrepancy is already resolved', '该差异已处理'));
    await renderQueue(hub.source);
    fireEvent.click(await screen.findByRole('button', { name: '接受（更新主索引）' }));
    await waitFor(() => expect(screen.getByTestId('patient-index-status').textContent).toContain('处理未完成，主索引未改变：该差异已处理'));
    expect(screen.getAllByTestId('discrepancy')).toHaveLength(1);
    expect(hub.decisions).toEqual([]);
  });

  it('shows the queue in English after the language is switched, and a notice without a hub', async () => {
    const hub = fakeHub([makeDiscrepancy()]);
    await renderQueue(hub.source, 'en');
    const item = await screen.findByTestId('discrepancy');
    expect(within(item).getByTestId('discrepancy-how').textContent).toBe('registered from an ID card read');
    expect(within(item).getByRole('button', { name: 'Reject (keep it)' })).toBeTruthy();
    cleanup();
    await act(() => renderQueue(null));
    expect(screen.getByText('本工作站未连接县级平台，无法处理主索引差异。')).toBeTruthy();
  });
});
