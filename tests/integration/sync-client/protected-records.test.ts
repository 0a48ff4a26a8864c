/**
 * Local data at rest, as a nurse and a doctor sharing one PC see it (issue 13 item 8), against the
 * real county hub: the records open only after sign-in with the key the password releases; sign-out
 * and lock close them (nothing readable without a password); sign-in again brings them back; the
 * doctor, who never signed in on this PC, gets the key through the hub's escrow; a reload comes back
 * locked. The renderer's session wrapper (services/records/protected-records.ts) over the real
 * session service, on memory storage (one storage = one PC's disk).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { starterItemCatalog } from '../../../core/catalog/index.ts';
import { makeClosedVisit, makePatient } from '../../../core/records/builders.ts';
import { DEMO_PASSWORD } from '../../../sync/hub/demo-seed.ts';
import { createLocalDatabase, memoryStorage } from '../../../sync/client/database.ts';
import { keyHolders, localDocumentKeyring } from '../../../sync/client/local-data-key.ts';
import { getRecord } from '../../../sync/client/records.ts';
import { recordingStorage } from '../../../sync/client/testing/recording-storage.ts';
import { memoryBlobRows } from '../../../sync/client/testing/memory-blob-rows.ts';
import type { BlobRow } from '../../../sync/client/blob-store.ts';
import { sha256Hex } from '../../../sync/client/blob-upload.ts';
import { writeDicomEcg } from '../../../core/ecg/formats/index.ts';
import { makeEcgRecording, makePatient as makeEcgPatient } from '../../fixtures/ecg/make-recording.ts';
import type { StartedHub } from '../../../sync/hub/start.ts';
import { startTestHub } from '../../support/pglite-template.ts';
import { protectedRecords, withProtectedRecords } from '../../../services/records/protected-records.ts';
import { createSessionService, type WorkstationEnrolment } from '../../../services/session/session-service.ts';
import { LoginError } from '../../../services/session/login-errors.ts';
import { call, demoWorkstation, enrolWorkstation, login, type Session } from '../hub/support/client.ts';
import { storedGrantClaims } from '../../../sync/client/offline-login.ts';

class WindowStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

const chengguan = { id: 'chengguan', name: '城关镇卫生院', kind: 'township_clinic' };
const writer = { institutionId: 'chengguan', role: 'clinic' } as const;
let hub: StartedHub;
let countyAdmin: Session;
let pcCount = 0;

beforeAll(async () => {
  hub = await startTestHub({ port: 0, demo: true, logLevel: 'silent', settings: { loginAttemptsPerMinute: 1000 } });
  countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
}, 120_000);
afterAll(async () => {
  await hub?.close();
});

/** A freshly enrolled PC: its disk (one storage), its boot database, and a window (sessionStorage). */
async function newWorkstation(blobsOnDisk: BlobRow[] = [], now: () => number = Date.now) {
  const ws = await enrolWorkstation(hub.url, countyAdmin, 'chengguan');
  const enrolment: WorkstationEnrolment = { ...ws, institution: chengguan };
  const disk = recordingStorage(memoryStorage());
  // RxDB's memory storage is one per process: each PC gets database names of its own.
  const name = `clinic-chengguan-${++pcCount}`;
  const boot = await createLocalDatabase({ name, storage: disk.storage, writer, devMode: true });
  const blobRows = memoryBlobRows(blobsOnDisk); // the PC's IndexedDB of captured files
  const records = protectedRecords({ boot, institutionId: 'chengguan', name: `${name}-protected`, writer, catalog: starterItemCatalog(), storage: disk.storage, devMode: true, iterations: 100_000, blobRows: () => blobRows });
  const window = new WindowStorage();
  const service = withProtectedRecords(createSessionService({ hubUrl: hub.url, enrolment, offlineStore: boot, storage: window, now }), records);
  return { disk, boot, records, service, window, name, blobRows };
}

describe('patient data at rest on a shared clinic PC', () => {
  it('is readable only while someone is signed in: sign-out closes it, sign-in brings it back, another user gets it from the hub', async () => {
    const pc = await newWorkstation();
    const nurseSession = await pc.service.login('nurse', DEMO_PASSWORD);
    const store = pc.records.current!;
    const patient = await store.repo.save('patients', makePatient({ institutionId: 'chengguan', address: '城关镇东街12号' }));
    await store.repo.save('visits', makeClosedVisit({ institutionId: 'chengguan', patientId: patient.id, complaint: '反复胸痛两周' }));

    await pc.service.logout(nurseSession);
    expect(pc.records.current).toBeNull();
    expect(store.db.closed).toBe(true);
    expect(pc.disk.written()).not.toContain('反复胸痛两周');
    expect(pc.disk.written()).not.toContain('城关镇东街12号');
    await expect(createLocalDatabase({ name: `${pc.name}-protected`, storage: pc.disk.storage, writer, devMode: true })).rejects.toMatchObject({ code: 'key-required' });

    // The doctor never signed in on this PC: the hub verified her and its escrow gives her the key.
    const doctorSession = await pc.service.login('doctor', DEMO_PASSWORD);
    expect(await getRecord(pc.records.current!.db, 'patients', patient.id)).toMatchObject({ address: '城关镇东街12号' });
    expect(await keyHolders(localDocumentKeyring(pc.boot as never))).toEqual(['doctor', 'nurse']);

    // Lock drops the key; unlocking with her password brings the records back.
    pc.service.lock(doctorSession);
    await expect.poll(() => pc.records.current).toBeNull();
    await expect(pc.service.unlock(doctorSession, 'not-her-password')).rejects.toBeInstanceOf(LoginError);
    expect(pc.records.current).toBeNull();
    await pc.service.unlock(doctorSession, DEMO_PASSWORD);
    expect(await pc.records.current!.db.visits.count().exec()).toBe(1);
    await pc.service.logout(doctorSession);
  });

  it('comes back locked after a reload: no password, no key', async () => {
    const pc = await newWorkstation();
    await pc.service.login('nurse', DEMO_PASSWORD);
    // The window reloads: same sessionStorage and disk, nothing in memory.
    await pc.records.close();
    const restored = await pc.service.restore();
    expect(restored).toMatchObject({ locked: true });
    expect(pc.records.current).toBeNull();
    await pc.service.unlock(restored!.session, DEMO_PASSWORD);
    expect(pc.records.current).not.toBeNull();
    await pc.service.logout(restored!.session);
  });

  it('refuses, in words a nurse can act on, a user with no key here while the hub cannot vouch for them', async () => {
    const pc = await newWorkstation();
    await pc.service.logout(await pc.service.login('nurse', DEMO_PASSWORD));
    // An older hub (no escrow in its answer) cannot give the doctor a copy: the sign-in is refused, and undone.
    const offlineHub = withProtectedRecords(
      createSessionService({
        hubUrl: hub.url,
        enrolment: (pc.service as unknown as { enrolment: WorkstationEnrolment }).enrolment,
        offlineStore: pc.boot,
        storage: pc.window,
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (!String(input).endsWith('/auth/login')) return response;
          const { localDataEscrow: _dropped, ...body } = (await response.json()) as Record<string, unknown>;
          return new Response(JSON.stringify(body), { status: response.status, headers: { 'content-type': 'application/json' } });
        },
      }),
      pc.records,
    );
    const refusal = await offlineHub.login('doctor', DEMO_PASSWORD).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(LoginError);
    expect(refusal).toMatchObject({ code: 'local-data' });
    expect((refusal as LoginError).messageZh).toContain('请先联网登录一次');
    expect(pc.records.current).toBeNull();
    expect(pc.window.items.size).toBe(0);
    expect(await keyHolders(localDocumentKeyring(pc.boot as never))).toEqual(['nurse']);
  });

  it('keeps captured ECG files sealed: a file an older version left clear is sealed at the first sign-in, readable again only after the next', async () => {
    const dicom = writeDicomEcg(makeEcgRecording({ seconds: 2, patient: makeEcgPatient({ name: '欧阳娜娜', sex: 'F', birthDate: '1990-02-28' }) }));
    const sha256 = await sha256Hex(dicom);
    const pc = await newWorkstation([{ sha256, bytes: dicom, sizeBytes: dicom.length, mediaType: 'application/dicom', storedAt: '2026-12-01T08:00:00.000Z', uploadedAt: null }]);
    const onDisk = () => Buffer.concat(pc.blobRows.disk().flatMap((r) => [r.sealed, r.bytes].filter((b) => b !== undefined).map((b) => Buffer.from(b))));
    expect(onDisk().includes('DICM')).toBe(true); // what an older version left

    const nurse = await pc.service.login('nurse', DEMO_PASSWORD);
    expect(onDisk().includes('DICM')).toBe(false);
    expect(onDisk().includes(Buffer.from('欧阳娜娜'))).toBe(false);
    const blobs = pc.records.current!.blobs;
    expect(await sha256Hex((await blobs.get(sha256))!.bytes)).toBe(sha256);

    await pc.service.logout(nurse);
    await expect(blobs.get(sha256)).rejects.toMatchObject({ code: 'key-required' });
    const doctor = await pc.service.login('doctor', DEMO_PASSWORD);
    expect(await pc.records.current!.blobs.pending()).toEqual([sha256]);
    expect(await sha256Hex((await pc.records.current!.blobs.get(sha256))!.bytes)).toBe(sha256);
    await pc.service.logout(doctor);
  });

  it('drops the key copy of a user the hub disabled, whether the hub says so at her next sign-in or when her session is renewed', async () => {
    const chengguanAdmin = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'admin');
    const newLocum = async (username: string) => {
      const created = await call(hub.url, 'POST', '/admin/users', {
        token: chengguanAdmin.accessToken,
        body: { username, displayName: '临时医生', role: 'doctor', password: 'locum-password-1' },
      });
      expect(created.status).toBe(201);
      return { disable: async () => expect((await call(hub.url, 'POST', `/admin/users/${created.body.id}/disable`, { token: chengguanAdmin.accessToken })).status).toBe(200) };
    };
    let now = Date.now();
    const pc = await newWorkstation([], () => now);
    const keyring = localDocumentKeyring(pc.boot as never);
    await pc.service.logout(await pc.service.login('nurse', DEMO_PASSWORD));

    // At the sign-in: the hub refuses her as disabled, and this PC forgets her grant and her key copy.
    const locumA = await newLocum('locum-a');
    await pc.service.logout(await pc.service.login('locum-a', 'locum-password-1'));
    expect(await keyHolders(keyring)).toEqual(['locum-a', 'nurse']);
    await locumA.disable();
    const refusal = await pc.service.login('locum-a', 'locum-password-1').catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'rejected', messageZh: '此账号已被停用，请联系管理员' });
    expect(await keyHolders(keyring)).toEqual(['nurse']);
    expect(await storedGrantClaims(pc.boot, (pc.service as unknown as { enrolment: WorkstationEnrolment }).enrolment.workstationId, 'locum-a')).toBeUndefined();

    // While signed in: her session is renewed after the access token ran out, and the hub says why it refuses.
    const locumB = await newLocum('locum-b');
    const session = await pc.service.login('locum-b', 'locum-password-1');
    expect(await keyHolders(keyring)).toEqual(['locum-b', 'nurse']);
    await locumB.disable();
    now += 16 * 60 * 1000;
    await expect(session.getToken()).rejects.toMatchObject({ code: 'auth-invalid', details: { rule: 'auth.user-disabled' } });
    expect(await keyHolders(keyring)).toEqual(['nurse']);
    await pc.records.close();
    // Nothing of hers opens the records now, online or off.
    expect(await pc.service.login('locum-b', 'locum-password-1').catch((e: unknown) => e)).toMatchObject({ code: 'rejected' });
    expect(pc.records.current).toBeNull();
  });
});
