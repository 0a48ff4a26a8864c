import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { createManualSyncStatus } from '../../services/records/testing/memory-repository.ts';
import { renderWorkstation } from '../testing/render-workstation.tsx';
import { SyncPanel, SyncStatusBar } from './SyncStatus.tsx';

afterEach(cleanup);

describe('sync status', () => {
  it('shows pending changes, the last sync and the current problem in plain words', async () => {
    const sync = createManualSyncStatus({ pending: 3, lastSyncedAt: null });
    await renderWorkstation(
      <>
        <SyncStatusBar />
        <SyncPanel />
      </>,
      { sync },
    );
    expect(screen.getByTestId('sync-pending').textContent).toBe('待上传 3 条');
    expect(screen.getByTestId('sync-last').textContent).toBe('尚未同步');
    act(() =>
      sync.set({ error: { code: 'network', messageZh: '无法连接县级平台。数据已保存在本机，网络恢复后将自动同步', messageEn: 'Cannot reach the county hub' } }),
    );
    expect(screen.getByRole('alert').textContent).toBe('同步问题：无法连接县级平台。数据已保存在本机，网络恢复后将自动同步');
    act(() => sync.set({ pending: 0, error: null, lastSyncedAt: '2026-11-23T03:00:00.000Z' }));
    expect(screen.getByTestId('sync-pending').textContent).toBe('无待上传');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByTestId('sync-bar').dataset.pending).toBe('0');
  });

  it('says plainly that a sign-in is needed when the hub refused the credentials, in Chinese and English', async () => {
    const revoked = { code: 'auth-invalid', messageZh: '此工作站已被吊销，请联系管理员', messageEn: 'This workstation has been revoked' };
    const sync = createManualSyncStatus({ pending: 2, error: revoked });
    await renderWorkstation(
      <>
        <SyncStatusBar />
        <SyncPanel />
      </>,
      { sync },
    );
    expect(screen.getByTestId('sync-bar').textContent).toBe('⚠ 同步已暂停：需重新登录');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('同步已暂停：需要重新登录');
    expect(alert.textContent).toContain('县级平台的答复：此工作站已被吊销，请联系管理员');
    expect(alert.textContent).toContain('本机数据照常保存，不会丢失');
    expect(alert.textContent).not.toContain('同步问题'); // not the generic problem line
    expect(screen.getByTestId('sync-pending').textContent).toBe('待上传 2 条');
    act(() => sync.set({ error: null }));
    expect(screen.getByTestId('sync-bar').textContent).toBe('待上传 2 条');
    cleanup();

    await renderWorkstation(<SyncPanel />, { sync: createManualSyncStatus({ error: revoked }), language: 'en' });
    expect(screen.getByRole('alert').textContent).toContain('Sync is paused: sign in again');
    expect(screen.getByRole('alert').textContent).toContain('The county hub says: This workstation has been revoked');
  });

  it('asks the sync client to sync when "sync now" is pressed', async () => {
    const sync = createManualSyncStatus();
    await renderWorkstation(<SyncPanel />, { sync });
    fireEvent.click(screen.getByRole('button', { name: '立即同步' }));
    await waitFor(() => expect(sync.syncNowCalls).toBe(1));
  });

  it('lists the records the hub refused with its words, and sends one again on request', async () => {
    const refusedVisit = {
      collection: 'visits',
      id: '01JEXAMPLEVISIT0000000000',
      code: 'forbidden',
      messageZh: '该患者不属于本机构，无权写入',
      messageEn: 'The patient of this record belongs to another institution',
      issues: [],
      refusedAt: '2026-12-06T03:00:00.000Z',
    };
    const badPatient = {
      collection: 'patients',
      id: 'p-7',
      code: 'validation-failed',
      messageZh: '数据未通过校验，未保存任何内容',
      messageEn: 'The data failed validation; nothing was saved',
      issues: [{ path: 'name', messageZh: '姓名含有不允许的字符', messageEn: 'The name contains a character that is not allowed' }],
      refusedAt: '2026-12-06T03:01:00.000Z',
    };
    const sync = createManualSyncStatus({ pending: 0, needsAttention: [refusedVisit, badPatient] });
    await renderWorkstation(
      <>
        <SyncStatusBar />
        <SyncPanel />
      </>,
      { sync },
    );
    expect(screen.getByTestId('sync-bar').textContent).toBe('无待上传 · 2 条需处理');
    const list = screen.getByRole('region', { name: '需要处理的记录（2 条）' });
    const items = within(list).getAllByRole('listitem').filter((li) => li.dataset.id);
    expect(items.map((li) => li.dataset.id)).toEqual([refusedVisit.id, 'p-7']);
    expect(items[0]!.textContent).toContain('就诊记录 01JEXAMP…');
    expect(items[0]!.textContent).toContain('县级平台的答复：该患者不属于本机构，无权写入');
    expect(items[1]!.textContent).toContain('患者档案 p-7');
    expect(items[1]!.textContent).toContain('name：姓名含有不允许的字符');
    expect(screen.queryByRole('alert')).toBeNull(); // the rest syncs: not a sync problem

    fireEvent.click(within(items[0]!).getByRole('button', { name: '重新发送' }));
    await waitFor(() => expect(sync.retried).toEqual([{ collection: 'visits', id: refusedVisit.id }]));

    // Accepted after an edit: the list goes away.
    act(() => sync.set({ needsAttention: [] }));
    expect(screen.queryByTestId('needs-attention')).toBeNull();
    expect(screen.getByTestId('sync-bar').textContent).toBe('无待上传');
    cleanup();

    await renderWorkstation(<SyncPanel />, { sync: createManualSyncStatus({ needsAttention: [refusedVisit] }), language: 'en' });
    expect(screen.getByRole('region', { name: 'Records needing attention (1)' }).textContent).toContain(
      'The county hub says: The patient of this record belongs to another institution',
    );
  });

  it('says plainly when no sync runs, instead of showing a spinner', async () => {
    await renderWorkstation(<SyncPanel />, { sync: null });
    expect(screen.getByText('同步未启用：本机数据照常保存')).toBeTruthy();
  });
});
