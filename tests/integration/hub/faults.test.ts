/**
 * Fault injection between a workstation and the hub, on each store, through a local TCP proxy:
 * a request cut mid-body, an answer lost mid-response, a slow link, duplicate requests, and the hub
 * process killed (SIGKILL) during pushes and started again. The workstation does what the sync
 * client does: on a network failure it sends the very same push again. After every scenario each
 * record is at the hub exactly once, with the content pushed: no duplicate, nothing lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePatient } from '../../../core/records/builders.ts';
import type { Patient } from '../../../core/records/index.ts';
import { paths } from '../../../sync/protocol/wire.ts';
import { startHub, type StartedHub } from '../../../sync/hub/start.ts';
import { backends, type BackendStore } from './support/backends.ts';
import { demoWorkstation, login, type Session } from './support/client.ts';
import { FaultProxy } from './support/fault-proxy.ts';
import { killHard, spawnHub } from '../../support/hub-process.ts';
import { rawRequest, withRetry } from './support/raw-http.ts';
import { insertRow, pullAll, wire } from './support/sync.ts';

const patientsAt = (n: number) => Array.from({ length: n }, () => makePatient({ institutionId: 'chengguan' }));
const portOf = (url: string) => Number(new URL(url).port);

/** Every pushed patient pulled back exactly once, as pushed. */
async function expectExactlyOnce(hubUrl: string, session: Session, pushed: Patient[]) {
  const { documents } = await pullAll(hubUrl, session, 'patients', undefined, 1000);
  for (const p of pushed) {
    const copies = documents.filter((d) => d.id === p.id);
    expect(copies).toEqual([wire(p)]);
  }
}

for (const backend of backends) {
  describe.runIf(backend.available)(`faults between workstation and hub on ${backend.name}`, () => {
    let store: BackendStore;
    let hub: StartedHub | undefined;
    let proxy: FaultProxy;
    let proxyUrl: string;
    let nurse: Session;
    let doctor: Session;

    const pushVia = (session: Session, patients: Patient[]) =>
      rawRequest(proxyUrl, 'POST', paths.push('patients'), session.accessToken, { rows: patients.map(insertRow) });

    beforeAll(async () => {
      store = await backend.createStore();
      hub = await startHub({ ...store.options, port: 0, demo: true, logLevel: 'silent' });
      proxy = new FaultProxy(portOf(hub.url));
      proxyUrl = await proxy.listen();
      nurse = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
      doctor = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
    });
    afterAll(async () => {
      await proxy?.close();
      await hub?.close();
      await store?.dispose();
    });

    it('writes nothing from a request cut mid-body, and the retry writes each record once', async () => {
      const batch = patientsAt(20);
      proxy.once({ kind: 'cut-request', afterBytes: 600 });
      const { result, failures } = await withRetry(() => pushVia(nurse, batch));
      expect(failures).toBe(1);
      expect(result).toEqual({ status: 200, body: { conflicts: [] } });
      await expectExactlyOnce(hub!.url, nurse, batch);
    });

    it('applies a push whose answer was lost only once when the workstation sends it again', async () => {
      const batch = patientsAt(20);
      proxy.once({ kind: 'cut-response', afterBytes: 12 });
      const { result, failures } = await withRetry(() => pushVia(nurse, batch));
      expect(failures).toBe(1);
      expect(result).toEqual({ status: 200, body: { conflicts: [] } });
      await expectExactlyOnce(hub!.url, nurse, batch);
      const seqs = await hub!.context.db.query<{ seq: string }>('select seq from records where id = any($1)', [batch.map((p) => p.id)]);
      expect(new Set(seqs.rows.map((r) => r.seq)).size).toBe(20);
    });

    it('keeps two workstations pushing over a slow link consistent', async () => {
      const fromNurse = patientsAt(15);
      const fromDoctor = patientsAt(15);
      proxy.always({ kind: 'delay', ms: 40 });
      try {
        const [a, b] = await Promise.all([pushVia(nurse, fromNurse), pushVia(doctor, fromDoctor)]);
        expect([a.status, b.status]).toEqual([200, 200]);
      } finally {
        proxy.always({ kind: 'none' });
      }
      await expectExactlyOnce(hub!.url, nurse, [...fromNurse, ...fromDoctor]);
    });

    it('treats the same push sent twice at once as one write', async () => {
      const batch = patientsAt(10);
      const [a, b] = await Promise.all([pushVia(nurse, batch), pushVia(nurse, batch)]);
      expect(a).toEqual({ status: 200, body: { conflicts: [] } });
      expect(b).toEqual({ status: 200, body: { conflicts: [] } });
      await expectExactlyOnce(hub!.url, nurse, batch);
    });

    it('loses and duplicates nothing when the hub process is killed during pushes and restarted', async () => {
      await hub!.close(); // the store moves to a separate process that can be killed outright
      hub = undefined;
      let running = await spawnHub(store.options);
      proxy.retarget(portOf(running.url));
      const session = await login(running.url, demoWorkstation('ws-demo-chengguan'), 'nurse');

      // One push stalls with half its body sent; others keep arriving; then the power goes.
      const stalledBatch = patientsAt(10);
      proxy.once({ kind: 'stall-request', afterBytes: 700 });
      const stalled = pushVia(session, stalledBatch).then(
        (r) => r,
        (e: Error) => e,
      );
      await proxy.stalled;
      const batches = Array.from({ length: 6 }, () => patientsAt(10));
      const inFlight = batches.map((b) =>
        pushVia(session, b).then(
          (r) => r,
          (e: Error) => e,
        ),
      );
      await new Promise((r) => setTimeout(r, 30));
      await killHard(running);
      proxy.dropAll();
      const outcomes = [await stalled, ...(await Promise.all(inFlight))];
      expect(outcomes[0]).toBeInstanceOf(Error); // the stalled push never completed

      running = await spawnHub(store.options);
      proxy.retarget(portOf(running.url));
      try {
        // The workstation re-sends every push it has no answer for (and, harmlessly, those it has).
        for (const batch of [stalledBatch, ...batches]) {
          const { result } = await withRetry(() => pushVia(session, batch));
          expect(result).toEqual({ status: 200, body: { conflicts: [] } });
        }
        await expectExactlyOnce(running.url, session, [stalledBatch, ...batches].flat());
        const health = await fetch(`${running.url}/healthz`).then((r) => r.json());
        expect(health.ok).toBe(true);
      } finally {
        await killHard(running);
      }
    }, 120_000); // two cold starts of a hub process (PGlite: ~4 s each) on a shared 2-core machine
  });
}
