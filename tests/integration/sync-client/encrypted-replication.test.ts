/**
 * Two workstations with encrypted local databases (each its own data key) replicating through the
 * real hub (embedded PGlite, demo community): the desk's registration and visit reach the doctor's PC
 * whole, and neither PC's storage — records nor RxDB's replication bookkeeping, which keeps a copy of
 * every document — is ever handed the address or the complaint in clear.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makePatient, makeVisit } from '../../../core/records/builders.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from '../../../sync/client/database.ts';
import { newDataKey } from '../../../sync/client/local-data-key.ts';
import { getRecord, saveRecord } from '../../../sync/client/records.ts';
import { startReplication, type SyncController } from '../../../sync/client/replication.ts';
import { recordingStorage } from '../../../sync/client/testing/recording-storage.ts';
import type { Writer } from '../../../sync/protocol/index.ts';
import type { StartedHub } from '../../../sync/hub/start.ts';
import { startTestHub } from '../../support/pglite-template.ts';
import { demoWorkstation, enrolWorkstation, login, type Session } from '../hub/support/client.ts';

const writer: Writer = { institutionId: 'chengguan', role: 'clinic' };
let hub: StartedHub;
const running: { db: LocalDatabase; sync: SyncController }[] = [];

beforeAll(async () => {
  hub = await startTestHub({ port: 0, demo: true, logLevel: 'silent' });
}, 120_000);
afterAll(async () => {
  for (const ws of running) {
    await ws.sync.stop();
    await ws.db.close();
  }
  await hub?.close();
});

const workstation = async (name: string, session: Session) => {
  const disk = recordingStorage(memoryStorage());
  const db = await createLocalDatabase({ name, storage: disk.storage, writer, devMode: true, dataKey: newDataKey() });
  const sync = await startReplication({ db, writer, hubUrl: hub.url, getToken: () => session.accessToken, retry: { initialMs: 50, maxMs: 500 } });
  running.push({ db, sync });
  return { db, sync, disk };
};

describe('encrypted workstations', () => {
  it('replicate whole records while their disks only ever see ciphertext of the sensitive fields', async () => {
    const countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
    const desk = await workstation('enc-desk', await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse'));
    const doctor = await workstation('enc-doctor', await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'chengguan'), 'doctor'));

    const patient = await saveRecord(desk.db, 'patients', makePatient({ institutionId: 'chengguan', address: '城关镇南街八号' }), { writer });
    const visit = await saveRecord(desk.db, 'visits', makeVisit({ institutionId: 'chengguan', patientId: patient.id, complaint: '心悸伴头晕两天' }), { writer });

    await vi.waitFor(async () => expect(await getRecord(doctor.db, 'visits', visit.id)).toEqual(visit), { timeout: 20_000, interval: 100 });
    expect(await getRecord(doctor.db, 'patients', patient.id)).toEqual(patient);
    await vi.waitFor(() => expect(desk.sync.status).toMatchObject({ pendingChanges: 0, state: 'idle' }), { timeout: 20_000 });

    for (const disk of [desk.disk.written(), doctor.disk.written()]) {
      expect(disk).toContain(patient.id); // the records and their replication state were written…
      expect(disk).not.toContain('城关镇南街八号'); // …but never the address
      expect(disk).not.toContain('心悸伴头晕两天'); // or the complaint
    }
  });
});
