/**
 * Sync health per workstation (issue 14 item 8): the hub cannot see a workstation's outbox, so the
 * workstation tells it — changes not yet at the hub, records set aside after a refusal, its last
 * complete sync — when those change and at least every five minutes while signed in. A report that
 * does not get through is simply sent again with the next change; it never bothers the user.
 */
import { hubJson, type HubConnection } from '../../sync/client/hub-http.ts';
import { adminPaths, type SyncReport } from '../../sync/protocol/admin.ts';
import { z } from 'zod';
import type { SyncState, SyncStatusSource } from './repository.ts';

export const syncReportIntervalMs = 5 * 60 * 1000;
/** Changes arrive in bursts while a queue drains: one report per ten seconds is plenty. */
const minimumGapMs = 10_000;

export const reportOf = (state: SyncState): SyncReport => ({ pending: state.pending, setAside: state.needsAttention.length, lastSyncedAt: state.lastSyncedAt });

export function sendSyncReport(hub: HubConnection, report: SyncReport): Promise<unknown> {
  return hubJson(hub, adminPaths.syncReport, z.object({ ok: z.literal(true) }), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(report),
    signal: AbortSignal.timeout(15_000),
  });
}

/** Reports now, on every change (at most one per ten seconds) and every five minutes; the returned function stops it. */
export function startSyncReports(sync: SyncStatusSource, hub: HubConnection): () => void {
  let last = '';
  let lastAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const send = (force: boolean) => {
    clearTimeout(timer);
    const report = reportOf(sync.current());
    const key = JSON.stringify(report);
    const wait = lastAt + minimumGapMs - Date.now();
    if (!force && key === last) return;
    if (wait > 0) {
      timer = setTimeout(() => send(force), wait);
      return;
    }
    lastAt = Date.now();
    sendSyncReport(hub, report).then(
      () => void (last = key),
      () => void (last = ''),
    );
  };
  send(true);
  const off = sync.subscribe(() => send(false));
  const beat = setInterval(() => send(true), syncReportIntervalMs);
  return () => {
    off();
    clearInterval(beat);
    clearTimeout(timer);
  };
}
