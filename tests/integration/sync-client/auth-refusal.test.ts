/**
 * The sync client when the hub refuses its credentials, against the real hub on each store: nobody
 * signed in yet (auth-missing), then a workstation revoked by the administrator (auth-invalid). The
 * status says plainly that a sign-in is needed (not "offline", not a generic error), local work
 * stays pending, the client stops sending requests instead of retrying every few seconds, and it
 * syncs at once when credentials change.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makePatient } from '../../../core/records/builders.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from '../../../sync/client/database.ts';
import { saveRecord } from '../../../sync/client/records.ts';
import { startReplication, type SyncController } from '../../../sync/client/replication.ts';
import { startHub, type StartedHub } from '../../../sync/hub/start.ts';
import { backends, type BackendStore } from '../hub/support/backends.ts';
import { call, demoWorkstation, enrolWorkstation, login, type Session } from '../hub/support/client.ts';
import { pullAll } from '../hub/support/sync.ts';

const writer = { institutionId: 'chengguan', role: 'clinic' } as const;

for (const backend of backends) {
  describe.runIf(backend.available)(`sync client after an auth refusal on ${backend.name}`, () => {
    let store: BackendStore;
    let hub: StartedHub;
    let db: LocalDatabase;
    let sync: SyncController | undefined;

    beforeAll(async () => {
      store = await backend.createStore();
      hub = await startHub({ ...store.options, port: 0, demo: true, logLevel: 'silent', settings: { streamKeepAliveMs: 200 } });
      db = await createLocalDatabase({ name: `auth-refusal-${backend.name}`, storage: memoryStorage(), writer, devMode: true });
    }, 120_000); // a hub on a fresh store and scrypt logins, on a shared 2-core machine
    afterAll(async () => {
      await sync?.stop();
      await db?.close();
      await hub?.close();
      await store?.dispose();
    });

    it('waits for a sign-in, syncs when one comes, and stops asking a hub that revoked the workstation', async () => {
      const countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      let session: Session | undefined;
      let requests = 0;
      const counted: typeof fetch = (input, init) => {
        requests++;
        return fetch(input, init);
      };
      sync = await startReplication({
        db,
        writer,
        hubUrl: hub.url,
        fetch: counted,
        getToken: () => {
          if (!session) throw new Error('nobody is signed in on this workstation');
          return session.accessToken;
        },
        retry: { initialMs: 50, maxMs: 200 },
      });
      const s = sync;

      // Nobody signed in: a plain "sign in" status, and the registration waits on this PC.
      const registered = await saveRecord(db, 'patients', makePatient({ institutionId: 'chengguan' }), { writer });
      await vi.waitFor(() => expect(s.status).toMatchObject({ state: 'auth-required', pendingChanges: 1, error: { code: 'auth-missing' } }), { timeout: 10_000 });
      expect(requests).toBe(0); // no token, no request

      // The nurse signs in: the login screen tells the sync client, which syncs at once.
      const ws = await enrolWorkstation(hub.url, countyAdmin, 'chengguan');
      session = await login(hub.url, ws, 'nurse');
      s.credentialsChanged();
      await vi.waitFor(() => expect(s.status).toMatchObject({ state: 'idle', pendingChanges: 0, error: null, streamConnected: true }), { timeout: 10_000 });
      expect((await pullAll(hub.url, session, 'patients')).documents.map((d) => d.id)).toContain(registered.id);

      // The administrator revokes this PC. The next request is refused with the hub's own words.
      expect((await call(hub.url, 'POST', `/admin/workstations/${ws.workstationId}/revoke`, { token: countyAdmin.accessToken })).status).toBe(200);
      await saveRecord(db, 'patients', makePatient({ institutionId: 'chengguan' }), { writer });
      await vi.waitFor(() => expect(s.status).toMatchObject({ state: 'auth-required', pendingChanges: 1, error: { code: 'auth-invalid' } }), { timeout: 10_000 });
      expect(s.status.error?.messageZh).toContain('吊销');
      expect(s.status.error?.message).toContain('revoked');
      await vi.waitFor(() => expect(s.status.streamConnected).toBe(false), { timeout: 10_000 }); // the hub ended the live stream

      // With 50–200 ms retry delays, two seconds of ordinary retries would be dozens of requests.
      await new Promise((r) => setTimeout(r, 300)); // the stream's reconnect attempt is refused too
      const settled = requests;
      await new Promise((r) => setTimeout(r, 2000));
      expect(requests).toBe(settled);
      expect(s.status.pendingChanges).toBe(1); // nothing lost: the registration waits on this PC

      // Re-enrolled by the administrator and signed in again: the waiting change goes up.
      session = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'chengguan'), 'nurse');
      s.credentialsChanged();
      await vi.waitFor(() => expect(s.status).toMatchObject({ state: 'idle', pendingChanges: 0, error: null }), { timeout: 10_000 });
    });
  });
}
