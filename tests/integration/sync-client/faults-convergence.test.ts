/**
 * Two real sync clients (two PCs of 城关镇卫生院) editing the same patient at the same moment while
 * the link to the hub breaks, on each store, through the TCP fault proxy: a request cut mid-body,
 * an answer lost mid-response, every request duplicated, a slow link. After every scenario both
 * workstations and the hub hold the same records — each once — and neither PC's edit is lost: the
 * patient carries both (the demographics rule merges field by field), and every visit either PC
 * registered is everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePatient, makeVisit } from '../../../core/records/builders.ts';
import type { CollectionName, Patient } from '../../../core/records/index.ts';
import { replicatedState, sameDocumentState } from '../../../sync/protocol/documents.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from '../../../sync/client/database.ts';
import { getRecord, saveRecord } from '../../../sync/client/records.ts';
import { startReplication, type SyncController } from '../../../sync/client/replication.ts';
import { startHub, type StartedHub } from '../../../sync/hub/start.ts';
import { backends, type BackendStore } from '../hub/support/backends.ts';
import { demoWorkstation, enrolWorkstation, login } from '../hub/support/client.ts';
import { FaultProxy, type Fault } from '../hub/support/fault-proxy.ts';

const writer = { institutionId: 'chengguan', role: 'clinic' } as const;
const COLLECTIONS = ['patients', 'visits'] as const satisfies CollectionName[];

interface Workstation {
  db: LocalDatabase;
  sync: SyncController;
  /** Error codes the sync status showed: proof that a fault met one of this PC's requests. */
  errors: string[];
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

for (const backend of backends) {
  describe.runIf(backend.available)(`two workstations editing through a broken link on ${backend.name}`, () => {
    let store: BackendStore;
    let hub: StartedHub;
    let proxy: FaultProxy;
    const pcs: Workstation[] = [];

    const hubState = async (collection: CollectionName) =>
      (
        await hub.context.db.query<{ id: string; doc: Record<string, unknown>; deleted: boolean }>(
          "select id, doc, deleted from records where collection = $1 and owner_institution_id = 'chengguan' order by id",
          [collection],
        )
      ).rows.map((r) => replicatedState({ ...r.doc, _deleted: r.deleted }));
    const localState = async (pc: Workstation, collection: CollectionName) =>
      (await pc.db[collection].find().exec()).map((d) => replicatedState({ ...(d.toMutableJSON(false) as object), _deleted: false })).sort(byId as never);

    /** Syncs both PCs until they and the hub agree (each syncNow may fail on a broken connection and is repeated). */
    const converge = async () => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        for (const pc of pcs) await pc.sync.syncNow().catch(() => undefined);
        let agreed = pcs.every((pc) => pc.sync.status.pendingChanges === 0);
        for (const collection of COLLECTIONS) {
          const atHub = await hubState(collection);
          for (const pc of pcs) {
            const local = await localState(pc, collection);
            agreed &&= local.length === atHub.length && local.every((doc, i) => sameDocumentState(doc, atHub[i]));
          }
        }
        if (agreed) return;
        if (Date.now() > deadline) throw new Error('the workstations and the hub did not converge in 60 s');
      }
    };

    beforeAll(async () => {
      store = await backend.createStore();
      hub = await startHub({ ...store.options, port: 0, demo: true, logLevel: 'silent' });
      proxy = new FaultProxy(Number(new URL(hub.url).port));
      const proxyUrl = await proxy.listen();
      const countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      for (const username of ['nurse', 'doctor']) {
        const session = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'chengguan'), username);
        const db = await createLocalDatabase({ name: `faults-${backend.name}-${username}`, storage: memoryStorage(), writer, devMode: true });
        // No live stream: each scenario decides when a PC talks to the hub, so a fault meets the request it is meant for.
        const sync = await startReplication({
          db,
          writer,
          hubUrl: proxyUrl,
          getToken: () => session.accessToken,
          collections: COLLECTIONS,
          liveStream: false,
          retry: { initialMs: 50, maxMs: 400 },
        });
        const pc: Workstation = { db, sync, errors: [] };
        sync.status$.subscribe((s) => s.error && pc.errors.push(s.error.code));
        pcs.push(pc);
      }
    }, 120_000); // a hub, two enrolments and two scrypt logins on a shared 2-core machine
    afterAll(async () => {
      for (const pc of pcs) {
        await pc.sync.stop();
        await pc.db.close();
      }
      await proxy?.close();
      await hub?.close();
      await store?.dispose();
    });

    it('keeps both edits of one patient and every visit, each once, on both PCs and the hub, whatever breaks', async () => {
      const [desk, room] = pcs as [Workstation, Workstation];
      const patient = await saveRecord(desk.db, 'patients', makePatient({ institutionId: 'chengguan', phone: '', address: '' }), { writer });
      await converge();
      expect(await getRecord(room.db, 'patients', patient.id)).toBeDefined();

      const scenarios: { name: string; fault: Fault; persistent?: boolean; breaks?: boolean }[] = [
        { name: 'request cut mid-body', fault: { kind: 'cut-request', afterBytes: 300 }, breaks: true },
        { name: 'answer lost mid-response', fault: { kind: 'cut-response', afterBytes: 20 }, breaks: true },
        { name: 'every request duplicated', fault: { kind: 'duplicate-request' }, persistent: true },
        { name: 'slow link', fault: { kind: 'delay', ms: 60 }, persistent: true },
      ];
      let visits = 0;
      for (const [i, scenario] of scenarios.entries()) {
        for (const pc of pcs) pc.errors.length = 0;
        proxy.dropAll(); // idle keep-alive connections go: the next request opens a connection the fault applies to
        if (scenario.persistent) proxy.always(scenario.fault);
        else proxy.once(scenario.fault);
        const phone = `1380000000${i}`;
        const address = `城关镇新街 ${i + 1} 号`;
        try {
          // At the same moment, from what each PC last had: the desk corrects the phone, the doctor the address.
          const atDesk = (await getRecord(desk.db, 'patients', patient.id))!;
          const atRoom = (await getRecord(room.db, 'patients', patient.id))!;
          await Promise.all([
            saveRecord(desk.db, 'patients', { ...atDesk, phone } satisfies Patient, { writer }),
            saveRecord(room.db, 'patients', { ...atRoom, address } satisfies Patient, { writer }),
            saveRecord(desk.db, 'visits', makeVisit({ institutionId: 'chengguan', patientId: patient.id }), { writer }),
            saveRecord(room.db, 'visits', makeVisit({ institutionId: 'chengguan', patientId: patient.id }), { writer }),
          ]);
          visits += 2;
          await converge();
        } finally {
          proxy.always({ kind: 'none' });
        }

        if (scenario.breaks) expect([...desk.errors, ...room.errors], scenario.name).toContain('network');
        for (const pc of [desk, room]) expect(await getRecord(pc.db, 'patients', patient.id), scenario.name).toMatchObject({ phone, address });
        expect((await hubState('patients')).filter((p) => p.id === patient.id), scenario.name).toHaveLength(1);
        expect(await hubState('visits'), scenario.name).toHaveLength(visits);
      }
    }, 240_000);
  });
}
