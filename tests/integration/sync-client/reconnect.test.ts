/**
 * The live stream across a dropped link: the workstation notices the stream is gone, reconnects with
 * backoff once the network is back, pulls what it missed (RESYNC on reconnect) and receives new
 * changes live again. The link is cut in a fetch wrapper (the township's flaky uplink); the hub is
 * the real one.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makePatient } from '../../../core/records/builders.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from '../../../sync/client/database.ts';
import { getRecord, saveRecord } from '../../../sync/client/records.ts';
import { startReplication, type SyncController } from '../../../sync/client/replication.ts';
import type { StartedHub } from '../../../sync/hub/start.ts';
import { startTestHub } from '../../support/pglite-template.ts';
import { demoWorkstation, login, type Session } from '../hub/support/client.ts';
import { insertRow, pullAll, pushOk } from '../hub/support/sync.ts';

/** fetch through a link the test can cut: open responses are aborted, new requests fail. */
const flakyLink = () => {
  let up = true;
  const open = new Set<AbortController>();
  const linkFetch: typeof fetch = async (input, init) => {
    if (!up) throw new TypeError('fetch failed: network is down');
    const controller = new AbortController();
    init?.signal?.addEventListener('abort', () => controller.abort(), { once: true });
    open.add(controller);
    try {
      const response = await fetch(input, { ...init, signal: controller.signal });
      if (!response.headers.get('content-type')?.startsWith('text/event-stream')) open.delete(controller);
      return response;
    } catch (e) {
      open.delete(controller);
      throw e;
    }
  };
  return {
    fetch: linkFetch,
    cut() {
      up = false;
      for (const c of open) c.abort();
      open.clear();
    },
    restore() {
      up = true;
    },
  };
};

let hub: StartedHub;
let db: LocalDatabase;
let sync: SyncController;
let session: Session;
const writer = { institutionId: 'chengguan', role: 'clinic' } as const;

beforeAll(async () => {
  hub = await startTestHub({ port: 0, demo: true, logLevel: 'silent' });
  session = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
  db = await createLocalDatabase({ name: 'reconnect', storage: memoryStorage(), writer: { institutionId: 'chengguan', role: 'clinic' }, devMode: true });
});
afterAll(async () => {
  await sync?.stop();
  await db?.close();
  await hub?.close();
});

describe('live stream across a dropped link', () => {
  it('reconnects when the network is back, sends what was saved offline, pulls what it missed and receives changes live again', async () => {
    const link = flakyLink();
    sync = await startReplication({
      db,
      writer,
      hubUrl: hub.url,
      getToken: () => session.accessToken,
      fetch: link.fetch,
      retry: { initialMs: 100, maxMs: 500 },
    });
    await vi.waitFor(() => expect(sync.status.streamConnected).toBe(true), { timeout: 10_000 });

    link.cut();
    await vi.waitFor(() => expect(sync.status.streamConnected).toBe(false), { timeout: 10_000 });
    // Registered at the desk while this PC's link was down.
    const missed = makePatient({ institutionId: 'chengguan' });
    await pushOk(hub.url, session, 'patients', [insertRow(missed)]);
    // Registered here while offline: the push fails, is counted, and retried with backoff.
    const local = await saveRecord(db, 'patients', makePatient({ institutionId: 'chengguan' }), { writer });
    await vi.waitFor(() => expect(sync.status).toMatchObject({ state: 'offline', pendingChanges: 1 }), { timeout: 10_000 });
    expect(await getRecord(db, 'patients', missed.id)).toBeUndefined();

    link.restore();
    await vi.waitFor(() => expect(sync.status.streamConnected).toBe(true), { timeout: 10_000 });
    await vi.waitFor(async () => expect(await getRecord(db, 'patients', missed.id)).toBeDefined(), { timeout: 10_000, interval: 100 });
    await vi.waitFor(() => expect(sync.status).toMatchObject({ pendingChanges: 0, error: null }), { timeout: 10_000 });
    expect((await pullAll(hub.url, session, 'patients')).documents.map((d) => d.id)).toContain(local.id);

    // A change after the reconnect arrives live, without syncNow().
    const live = makePatient({ institutionId: 'chengguan' });
    await pushOk(hub.url, session, 'patients', [insertRow(live)]);
    await vi.waitFor(async () => expect(await getRecord(db, 'patients', live.id)).toBeDefined(), { timeout: 10_000, interval: 100 });
  });
});
