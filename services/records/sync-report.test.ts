import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HubConnection } from '../../sync/client/hub-http.ts';
import type { SyncState, SyncStatusSource } from './repository.ts';
import { startSyncReports, syncReportIntervalMs } from './sync-report.ts';

/** A replication whose state the test changes, and a hub that records the reports it receives. */
function setup() {
  let state: SyncState = { pending: 3, lastSyncedAt: null, error: null, active: false, needsAttention: [] };
  const listeners = new Set<(s: SyncState) => void>();
  const sync: SyncStatusSource = {
    current: () => state,
    subscribe: (listener) => (listeners.add(listener), () => void listeners.delete(listener)),
    syncNow: async () => undefined,
    retry: async () => undefined,
  };
  const reports: unknown[] = [];
  const hub: HubConnection = {
    hubUrl: 'http://hub.test',
    getToken: () => 'token',
    fetch: async (_url, init) => {
      reports.push(JSON.parse(String(init?.body)));
      return new Response(JSON.stringify({ ok: true }), { status: 200, headers: { 'content-type': 'application/json' } });
    },
  };
  const change = (next: Partial<SyncState>) => {
    state = { ...state, ...next };
    listeners.forEach((l) => l(state));
  };
  return { sync, hub, reports, change, listeners };
}

afterEach(() => vi.useRealTimers());

describe('sync health reports to the hub', () => {
  it('reports at once, a change at most every ten seconds, the same state only with the five-minute beat, and nothing once stopped', async () => {
    vi.useFakeTimers();
    const { sync, hub, reports, change, listeners } = setup();
    const stop = startSyncReports(sync, hub);
    await vi.advanceTimersByTimeAsync(0);
    expect(reports).toEqual([{ pending: 3, setAside: 0, lastSyncedAt: null }]);

    change({ pending: 1 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(reports).toHaveLength(1); // within ten seconds of the last one: it waits
    await vi.advanceTimersByTimeAsync(5_000);
    expect(reports.at(-1)).toEqual({ pending: 1, setAside: 0, lastSyncedAt: null });

    change({ active: true }); // nothing the hub is told about changed
    await vi.advanceTimersByTimeAsync(60_000);
    expect(reports).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(syncReportIntervalMs);
    expect(reports).toHaveLength(3);

    stop();
    expect(listeners.size).toBe(0);
    change({ pending: 0 });
    await vi.advanceTimersByTimeAsync(syncReportIntervalMs * 2);
    expect(reports).toHaveLength(3);
  });
});
