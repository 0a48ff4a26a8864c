/**
 * The workstation's RxDB database replicating with the real county hub (sync/hub, embedded PGlite,
 * demo community): two PCs of 城关镇卫生院 and one of 河口乡卫生院, each with its own local database.
 * Covers the live stream, offline edits merged by the shared rules, the master-patient merge, a
 * closed visit winning over a stale edit, the pending-changes count and the status in plain words.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeClosedVisit, makePatient, makeVisit } from '../../../core/records/builders.ts';
import { masterPatientId } from '../../../core/records/index.ts';
import type { Writer } from '../../../sync/protocol/index.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from '../../../sync/client/database.ts';
import { getRecord, saveRecord } from '../../../sync/client/records.ts';
import { startReplication, type SyncController } from '../../../sync/client/replication.ts';
import { findPatientsByIdNumber } from '../../../sync/client/search.ts';
import type { StartedHub } from '../../../sync/hub/start.ts';
import { startTestHub } from '../../support/pglite-template.ts';
import { demoWorkstation, enrolWorkstation, login, type Session } from '../hub/support/client.ts';

interface Workstation {
  db: LocalDatabase;
  writer: Writer;
  session: Session;
  sync?: SyncController;
}

let hub: StartedHub;
let deskSession: Session;
let doctorSession: Session;
let hekouSession: Session;
const running: Workstation[] = [];
let dbCount = 0;

const workstation = async (session: Session): Promise<Workstation> => {
  const writer: Writer = { institutionId: session.institutionId, role: 'clinic' };
  const db = await createLocalDatabase({ name: `ws-${++dbCount}`, storage: memoryStorage(), writer, devMode: true });
  const ws: Workstation = { db, writer, session };
  running.push(ws);
  return ws;
};

const connect = async (ws: Workstation, hubUrl = hub.url, token = () => ws.session.accessToken) => {
  ws.sync = await startReplication({ db: ws.db, writer: ws.writer, hubUrl, getToken: token, retry: { initialMs: 50, maxMs: 500 } });
  return ws.sync;
};
const disconnect = async (ws: Workstation) => {
  await ws.sync?.stop();
  delete ws.sync;
};

beforeAll(async () => {
  hub = await startTestHub({ port: 0, demo: true, logLevel: 'silent' });
  const countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
  deskSession = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
  doctorSession = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'chengguan'), 'doctor');
  hekouSession = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'hekou'), 'nurse');
});
afterEach(async () => {
  for (const ws of running.splice(0)) {
    await disconnect(ws);
    await ws.db.close();
  }
});
afterAll(async () => {
  await hub?.close();
});

describe('workstation replication with the county hub', () => {
  it('shows a patient registered at the desk on the doctor\'s PC through the live stream', async () => {
    const desk = await workstation(deskSession);
    const doctor = await workstation(doctorSession);
    await connect(desk);
    const doctorSync = await connect(doctor);
    await vi.waitFor(() => expect(doctorSync.status.streamConnected).toBe(true), { timeout: 10_000 });
    await doctorSync.awaitInSync();

    const patient = await saveRecord(desk.db, 'patients', makePatient({ institutionId: 'chengguan', name: '张三' }), { writer: desk.writer });
    // No syncNow() on the doctor's side: the hub's stream notice makes it pull.
    await vi.waitFor(async () => expect(await getRecord(doctor.db, 'patients', patient.id)).toEqual(patient), { timeout: 10_000, interval: 50 });
    await vi.waitFor(() => expect(desk.sync!.status).toMatchObject({ pendingChanges: 0, state: 'idle', error: null }), { timeout: 10_000 });
    expect(Date.parse(desk.sync!.status.lastSyncedAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('counts changes made while offline and sends them when the hub is reachable again', async () => {
    const desk = await workstation(deskSession);
    const unreachable = await connect(desk, 'http://127.0.0.1:9'); // discard port: nothing listens
    const patient = await saveRecord(desk.db, 'patients', makePatient({ institutionId: 'chengguan' }), { writer: desk.writer });
    await saveRecord(desk.db, 'visits', makeVisit({ institutionId: 'chengguan', patientId: patient.id }), { writer: desk.writer });
    await vi.waitFor(() => expect(unreachable.status.state).toBe('offline'), { timeout: 10_000 });
    expect(unreachable.status.pendingChanges).toBe(2);
    expect(unreachable.status.error?.messageZh).toContain('数据已保存在本机');
    await disconnect(desk);

    const online = await connect(desk);
    await online.syncNow();
    expect(online.status).toMatchObject({ pendingChanges: 0, error: null });
    const doctor = await workstation(doctorSession);
    await (await connect(doctor)).syncNow();
    expect(await getRecord(doctor.db, 'patients', patient.id)).toEqual(patient);
  });

  it('says in plain words when the sign-in is not accepted', async () => {
    const desk = await workstation(deskSession);
    const sync = await connect(desk, hub.url, () => 'not-a-token');
    await expect(sync.syncNow()).rejects.toMatchObject({ code: 'auth-invalid' });
    expect(sync.status.state).toBe('auth-required'); // not retried like a network failure: a sign-in is needed
    expect(sync.status.error?.messageZh).toMatch(/登录|授权/);
  });

  it('merges a phone changed on one PC and an address changed on another while both were offline', async () => {
    const desk = await workstation(deskSession);
    const doctor = await workstation(doctorSession);
    const patient = await saveRecord(desk.db, 'patients', makePatient({ institutionId: 'chengguan' }), { writer: desk.writer });
    await (await connect(desk)).syncNow();
    await (await connect(doctor)).syncNow();
    await disconnect(desk);
    await disconnect(doctor);

    await saveRecord(desk.db, 'patients', { ...patient, phone: '13811112222' }, { writer: desk.writer });
    const atDoctor = (await getRecord(doctor.db, 'patients', patient.id))!;
    await saveRecord(doctor.db, 'patients', { ...atDoctor, address: '城关镇新村12号' }, { writer: doctor.writer });

    await (await connect(desk)).syncNow();
    const doctorSync = await connect(doctor);
    await doctorSync.syncNow();
    await doctorSync.awaitInSync();
    await desk.sync!.syncNow();

    for (const ws of [desk, doctor]) {
      expect(await getRecord(ws.db, 'patients', patient.id)).toMatchObject({ phone: '13811112222', address: '城关镇新村12号' });
    }
    expect(doctorSync.status.pendingChanges).toBe(0);
  });

  it('keeps the closed visit when another PC had edited it while offline', async () => {
    const desk = await workstation(deskSession);
    const doctor = await workstation(doctorSession);
    const patient = await saveRecord(desk.db, 'patients', makePatient({ institutionId: 'chengguan' }), { writer: desk.writer });
    const visit = await saveRecord(desk.db, 'visits', makeVisit({ institutionId: 'chengguan', patientId: patient.id }), { writer: desk.writer });
    await (await connect(desk)).syncNow();
    await (await connect(doctor)).syncNow();
    await disconnect(desk);

    // The doctor closes the visit online; the desk, offline, still edits the complaint.
    // The hub takes a visit's doctor only from the signed-in doctor (sync/protocol/role-rules.ts).
    const { status, closedAt, diagnoses } = makeClosedVisit();
    const closed = await saveRecord(doctor.db, 'visits', { ...visit, status, closedAt, diagnoses, doctorId: doctorSession.userId }, { writer: doctor.writer });
    await doctor.sync!.syncNow();
    await saveRecord(desk.db, 'visits', { ...visit, complaint: '补充：伴恶心' }, { writer: desk.writer });

    const deskSync = await connect(desk);
    await deskSync.syncNow();
    await deskSync.awaitInSync();
    expect(await getRecord(desk.db, 'visits', visit.id)).toEqual(closed);
    expect(deskSync.status.pendingChanges).toBe(0);
  });

  it('points two offline registrations of one ID number at one master patient', async () => {
    const desk = await workstation(deskSession);
    const hekou = await workstation(hekouSession);
    const idNumber = makePatient().idNumber;
    const atChengguan = await saveRecord(desk.db, 'patients', makePatient({ institutionId: 'chengguan', idNumber, name: '王芳' }), { writer: desk.writer });
    const atHekou = await saveRecord(hekou.db, 'patients', makePatient({ institutionId: 'hekou', idNumber, name: '王芳' }), { writer: hekou.writer });

    await (await connect(desk)).syncNow();
    const hekouSync = await connect(hekou);
    await hekouSync.syncNow();
    // The hub merged the second registration: its pull brings the pointer back.
    await vi.waitFor(async () => expect((await getRecord(hekou.db, 'patients', atHekou.id))?.mergedInto).toBe(atChengguan.id), { timeout: 10_000, interval: 100 });
    const found = await findPatientsByIdNumber(hekou.db, idNumber);
    expect(new Set(found.map(masterPatientId))).toEqual(new Set([atChengguan.id]));
    expect(hekouSync.status.pendingChanges).toBe(0);
  });
});
