/**
 * Two clinics register the same resident while both are offline (城关 and 河口, each with its own
 * patient record and a visit), then come online and sync at the same moment. Whichever registration
 * the hub received first is the master (主索引); after syncing, both workstations hold both records,
 * agree which one is the master, the duplicate's mergedInto points at it on both, and the master has
 * what either nurse typed where the other left a blank (phone at one desk, insurance card at the other).
 * On each store.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makePatient, makeVisit } from '../../../core/records/builders.ts';
import { masterPatientId } from '../../../core/records/index.ts';
import type { Writer } from '../../../sync/protocol/index.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from '../../../sync/client/database.ts';
import { getRecord, saveRecord } from '../../../sync/client/records.ts';
import { startReplication, type SyncController } from '../../../sync/client/replication.ts';
import { findPatientsByIdNumber } from '../../../sync/client/search.ts';
import { CardReads, cardReadsOf } from '../../../sync/client/card-reads.ts';
import { backends, startDemoHub, type DemoHub } from '../hub/support/backends.ts';
import { demoWorkstation, enrolWorkstation, login, type Session } from '../hub/support/client.ts';

interface Clinic {
  db: LocalDatabase;
  writer: Writer;
  session: Session;
  sync?: SyncController;
}

for (const backend of backends) {
  describe.runIf(backend.available)(`one resident registered offline at two clinics, on ${backend.name}`, () => {
    let hub: DemoHub;
    let chengguanSession: Session;
    let hekouSession: Session;
    const clinics: Clinic[] = [];
    let dbCount = 0;

    const openClinic = async (session: Session): Promise<Clinic> => {
      const writer: Writer = { institutionId: session.institutionId, role: 'clinic' };
      const db = await createLocalDatabase({ name: `mpi-${backend.name}-${++dbCount}`, storage: memoryStorage(), writer, devMode: true });
      const clinic: Clinic = { db, writer, session };
      clinics.push(clinic);
      return clinic;
    };
    const goOnline = async (clinic: Clinic) => {
      clinic.sync = await startReplication({ db: clinic.db, writer: clinic.writer, hubUrl: hub.url, getToken: () => clinic.session.accessToken, retry: { initialMs: 50, maxMs: 500 } });
      return clinic.sync;
    };

    beforeAll(async () => {
      hub = await startDemoHub(backend);
      const countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      chengguanSession = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'chengguan'), 'nurse');
      hekouSession = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'hekou'), 'nurse');
    }, 120_000); // a hub on a fresh store and scrypt logins, on a shared 2-core machine
    afterEach(async () => {
      for (const c of clinics.splice(0)) {
        await c.sync?.stop();
        await c.db.close();
      }
    });
    afterAll(() => hub?.close());

    it('ends with both clinics following the same master patient, the duplicate pointing at it on both', async () => {
      const chengguan = await openClinic(chengguanSession);
      const hekou = await openClinic(hekouSession);
      const idNumber = makePatient().idNumber;
      // Offline: each nurse registers the resident, each leaving a different field blank, and queues a visit.
      const atChengguan = await saveRecord(chengguan.db, 'patients', makePatient({ institutionId: 'chengguan', idNumber, name: '赵秀英', phone: '', insuranceCardNumber: 'ZJ3301009876' }), {
        writer: chengguan.writer,
      });
      const atHekou = await saveRecord(hekou.db, 'patients', makePatient({ institutionId: 'hekou', idNumber, name: '赵秀英', phone: '13512345678', insuranceCardNumber: '' }), {
        writer: hekou.writer,
      });
      await saveRecord(chengguan.db, 'visits', makeVisit({ institutionId: 'chengguan', patientId: atChengguan.id }), { writer: chengguan.writer });
      await saveRecord(hekou.db, 'visits', makeVisit({ institutionId: 'hekou', patientId: atHekou.id }), { writer: hekou.writer });

      // Both come online at once: the hub's order, not the test's, decides the master.
      const [chengguanSync, hekouSync] = await Promise.all([goOnline(chengguan), goOnline(hekou)]);
      await Promise.all([chengguanSync.syncNow(), hekouSync.syncNow()]);

      const both = [chengguan, hekou];
      const ids = [atChengguan.id, atHekou.id];
      // The merge is a hub write after the pushes; the live stream brings it to both clinics.
      await vi.waitFor(
        async () => {
          for (const clinic of both) {
            const records = await Promise.all(ids.map((id) => getRecord(clinic.db, 'patients', id)));
            expect(records.every(Boolean)).toBe(true);
            expect(records.filter((p) => p!.mergedInto === null)).toHaveLength(1);
          }
        },
        { timeout: 15_000, interval: 100 },
      );

      const masterAt = async (clinic: Clinic) => new Set((await findPatientsByIdNumber(clinic.db, idNumber)).map(masterPatientId));
      const chengguanView = await masterAt(chengguan);
      expect(chengguanView.size).toBe(1);
      expect(await masterAt(hekou)).toEqual(chengguanView);
      const [masterId] = [...chengguanView];
      const duplicateId = ids.find((id) => id !== masterId)!;
      expect(ids).toContain(masterId);
      for (const clinic of both) {
        expect(await getRecord(clinic.db, 'patients', duplicateId)).toMatchObject({ mergedInto: masterId });
        // The master's blank was filled from the duplicate, whichever registration the hub took as master.
        await vi.waitFor(
          async () => expect(await getRecord(clinic.db, 'patients', masterId!)).toMatchObject({ mergedInto: null, phone: '13512345678', insuranceCardNumber: 'ZJ3301009876' }),
          { timeout: 15_000, interval: 100 },
        );
      }
      await vi.waitFor(() => {
        expect(chengguanSync.status.pendingChanges).toBe(0);
        expect(hekouSync.status.pendingChanges).toBe(0);
      });
    });

    it("tells the hub a second clinic's registration came from the ID card, and forgets it once the hub has the patient", async () => {
      const chengguan = await openClinic(chengguanSession);
      const hekou = await openClinic(hekouSession);
      const [fromCard, typed] = [makePatient({ institutionId: 'chengguan' }), makePatient({ institutionId: 'chengguan' })];
      await saveRecord(chengguan.db, 'patients', fromCard, { writer: chengguan.writer });
      await saveRecord(chengguan.db, 'patients', typed, { writer: chengguan.writer });
      await (await goOnline(chengguan)).syncNow();
      // 河口, offline: one resident read from the card, the other typed by hand.
      const cardRead = await saveRecord(hekou.db, 'patients', makePatient({ institutionId: 'hekou', idNumber: fromCard.idNumber, name: fromCard.name }), { writer: hekou.writer, registration: 'card-read' });
      const handTyped = await saveRecord(hekou.db, 'patients', makePatient({ institutionId: 'hekou', idNumber: typed.idNumber, name: typed.name }), { writer: hekou.writer });
      expect((await cardReadsOf(hekou.db)).list()).toEqual([cardRead.id]);
      // Until it is pushed, the flag survives a restart of the workstation (a local document).
      expect((await CardReads.open(hekou.db)).has(cardRead.id)).toBe(true);

      await (await goOnline(hekou)).syncNow();
      const began = async (patientId: string) =>
        (await hub.context.db.query<{ began: string }>('select began from patient_links where patient_id = $1 and institution_id = $2', [patientId, 'hekou'])).rows[0]?.began;
      await vi.waitFor(async () => {
        expect(await began(fromCard.id)).toBe('card-read');
        expect(await began(typed.id)).toBe('hand-typed');
      });
      expect((await cardReadsOf(hekou.db)).list()).toEqual([]);
      expect((await CardReads.open(hekou.db)).has(cardRead.id)).toBe(false);
      expect(handTyped.id).not.toBe(cardRead.id);
    });
  });
}
