/**
 * The records database opens only with the key released at sign-in; a second user gets it from the
 * workstation vault once the hub verified them; a clear workstation's records move into it once, and
 * a crash midway loses nothing. Memory storage (one instance = one PC's disk, reopened to "reload").
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeClosedVisit, makePatient } from '../../core/records/builders.ts';
import type { Writer } from '../protocol/index.ts';
import { cardReadsOf } from './card-reads.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from './database.ts';
import { loadDraft, saveDraft } from './drafts.ts';
import { grantDataKey, keyHolders, LocalDataKeyError, localDocumentKeyring } from './local-data-key.ts';
import { outboxOf } from './outbox.ts';
import { escrowedKeyVault, forgetDisabledUser, moveClearRecords, openBootDatabase, openProtectedDatabase, releaseWorkstationKey, type WorkstationKeyVault } from './protected-database.ts';
import { getRecord, saveRecord } from './records.ts';
import { recordingStorage } from './testing/recording-storage.ts';

const writer: Writer = { institutionId: 'chengguan', role: 'clinic' };
const iterations = 100_000; // the keyring's floor: fast enough for tests
const open: LocalDatabase[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

/** One PC's disk: the boot database (clear) and the protected one, on one storage. */
function workstation(name: string) {
  const disk = recordingStorage(memoryStorage());
  /** The boot database as an older version opened it: with every record collection. */
  const boot = async () => {
    const db = await createLocalDatabase({ name: `clinic-${name}`, storage: disk.storage, writer, devMode: true });
    open.push(db);
    return db;
  };
  /** The boot database as the workstation opens it now (openBootDatabase). */
  const bootNow = async () => {
    const db = await openBootDatabase({ name: `clinic-${name}`, storage: disk.storage, writer, devMode: true });
    open.push(db);
    return db;
  };
  const signIn = async (bootDb: LocalDatabase, username: string, password: string, extra: { verifiedByHub?: boolean; vault?: WorkstationKeyVault } = {}) => {
    const db = await openProtectedDatabase({ boot: bootDb, name: `clinic-${name}-protected`, storage: disk.storage, writer, devMode: true, username, password, iterations, verifiedByHub: false, ...extra });
    open.push(db);
    return db;
  };
  return { disk, boot, bootNow, signIn };
}

/** Electron safeStorage stand-in: what main would keep sealed in the user data folder. */
const memoryVault = (): WorkstationKeyVault & { held(): string | null } => {
  let key: string | null = null;
  return { read: async () => key, write: async (k) => void (key = k), held: () => key };
};

describe('the protected records database', () => {
  it('opens only with the signed-in user’s key; after sign-out the data is unreadable, after sign-in again it is back', async () => {
    const pc = workstation('a');
    const boot = await pc.boot();
    const db = await pc.signIn(boot, 'nurse', 'correct horse');
    const patient = await saveRecord(db, 'patients', makePatient({ institutionId: 'chengguan', address: '城关镇幸福路1号' }), { writer });
    await saveRecord(db, 'visits', makeClosedVisit({ institutionId: 'chengguan', patientId: patient.id, complaint: '胸闷三天' }), { writer });
    await db.close(); // sign-out

    // The disk holds ciphertext for the clinical content, and nothing opens it without the key.
    expect(pc.disk.written()).not.toContain('胸闷三天');
    expect(pc.disk.written()).not.toContain('城关镇幸福路1号');
    await expect(createLocalDatabase({ name: 'clinic-a-protected', storage: pc.disk.storage, writer, devMode: true })).rejects.toMatchObject({ code: 'key-required' });
    await expect(pc.signIn(boot, 'nurse', 'wrong password')).rejects.toMatchObject({ code: 'wrong-password', messageZh: '密码错误，无法打开本机数据' });

    const again = await pc.signIn(boot, 'nurse', 'correct horse');
    expect(await getRecord(again, 'patients', patient.id)).toMatchObject({ address: '城关镇幸福路1号' });
    expect(await again.visits.count().exec()).toBe(1);
  });

  it('gives a second user the key from the workstation vault only after the hub verified them, and seals a copy for them', async () => {
    const pc = workstation('b');
    const boot = await pc.boot();
    const vault = memoryVault();
    const first = await pc.signIn(boot, 'nurse', 'first password', { vault, verifiedByHub: true });
    const patient = await saveRecord(first, 'patients', makePatient({ institutionId: 'chengguan' }), { writer });
    await first.close();
    expect(vault.held()).toBeTruthy();

    // Signed in offline (the hub did not vouch): no copy, a typed error saying what to do.
    const refused = await pc.signIn(boot, 'doctor', 'second password', { vault, verifiedByHub: false }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LocalDataKeyError);
    expect(refused).toMatchObject({ code: 'no-key-for-user' });
    expect((refused as LocalDataKeyError).messageZh).toContain('请先联网登录一次');

    const second = await pc.signIn(boot, 'doctor', 'second password', { vault, verifiedByHub: true });
    expect(await getRecord(second, 'patients', patient.id)).toBeTruthy();
    await second.close();
    expect(await keyHolders(localDocumentKeyring(boot as never))).toEqual(['doctor', 'nurse']);
    // From now on the doctor's own copy opens it, offline too.
    const offline = await pc.signIn(boot, 'doctor', 'second password', { verifiedByHub: false });
    expect(await getRecord(offline, 'patients', patient.id)).toBeTruthy();
  });

  it('without a vault (browser mode) a user with no copy is refused with a message, and nothing changes', async () => {
    const pc = workstation('c');
    const boot = await pc.boot();
    await (await pc.signIn(boot, 'nurse', 'first password')).close();
    await expect(pc.signIn(boot, 'doctor', 'second password', { verifiedByHub: true })).rejects.toMatchObject({ code: 'no-key-for-user' });
    expect(await keyHolders(localDocumentKeyring(boot as never))).toEqual(['nurse']);
  });

  it('moves a clear workstation’s records, outbox, card reads and drafts into the encrypted database once, and removes the clear copies', async () => {
    const pc = workstation('d');
    // An older version: records, a pending push and a draft in the clear database.
    const legacy = await pc.boot();
    const patient = await saveRecord(legacy, 'patients', makePatient({ institutionId: 'chengguan', address: '河口村3组' }), { writer, registration: 'card-read' });
    const visit = await saveRecord(legacy, 'visits', makeClosedVisit({ institutionId: 'chengguan', patientId: patient.id, complaint: '头痛' }), { writer });
    await saveDraft(legacy, 'registration-form', { name: '王五', address: '半填的地址' });

    const db = await pc.signIn(legacy, 'nurse', 'pw-nurse-1');
    expect(await getRecord(db, 'patients', patient.id)).toMatchObject({ address: '河口村3组' });
    expect(await getRecord(db, 'visits', visit.id)).toMatchObject({ complaint: '头痛' });
    expect((await outboxOf(db)).size).toBe(2);
    expect((await cardReadsOf(db)).has(patient.id)).toBe(true);
    expect((await loadDraft(db, 'registration-form'))?.payload).toEqual({ name: '王五', address: '半填的地址' });
    await db.close();
    await legacy.close();

    // The boot database keeps no records and no drafts any more.
    const boot = await pc.boot();
    expect(await boot.patients.count().exec()).toBe(0);
    expect(await boot.visits.count().exec()).toBe(0);
    expect(await loadDraft(boot, 'registration-form')).toBeUndefined();
    // A second sign-in does not copy again (the records moved once).
    const again = await pc.signIn(boot, 'nurse', 'pw-nurse-1');
    expect(await again.patients.count().exec()).toBe(1);
  });

  it('opens the boot database without record collections once nothing waits to move, so a signed-in page holds one set of them', async () => {
    // A workstation installed since: its boot database never held records.
    const fresh = workstation('installed-since');
    const boot = await fresh.bootNow();
    expect(Object.keys(boot.collections)).toEqual([]);
    const db = await fresh.signIn(boot, 'nurse', 'pw-nurse-1');
    expect(Object.keys(db.collections)).toHaveLength(7);
    await db.close();
    await boot.close();

    // An older version's workstation: the record collections open until its records moved, then never again.
    const old = workstation('older-version');
    const legacy = await old.boot();
    const patient = await saveRecord(legacy, 'patients', makePatient({ institutionId: 'chengguan' }), { writer });
    await legacy.close();
    const before = await old.bootNow();
    expect(await before.patients.count().exec()).toBe(1);
    const moved = await old.signIn(before, 'nurse', 'pw-nurse-1');
    expect(await getRecord(moved, 'patients', patient.id)).toMatchObject({ id: patient.id });
    expect(Object.keys(before.collections)).toEqual([]); // removed with the clear copies
    await moved.close();
    await before.close();
    const after = await old.bootNow();
    expect(Object.keys(after.collections)).toEqual([]);
    expect(await (await old.signIn(after, 'nurse', 'pw-nurse-1')).patients.count().exec()).toBe(1);
  });

  it('loses nothing when the move is cut off midway: the next sign-in finishes it', async () => {
    const pc = workstation('e');
    const legacy = await pc.boot();
    const patients = await Promise.all([1, 2, 3].map(() => saveRecord(legacy, 'patients', makePatient({ institutionId: 'chengguan' }), { writer })));
    // The power went during the first move: one record copied, the copy not marked complete.
    const dataKey = await releaseWorkstationKey(legacy, { username: 'nurse', password: 'pw-nurse-1', verifiedByHub: false, iterations });
    const partial = await createLocalDatabase({ name: 'clinic-e-protected', storage: pc.disk.storage, writer, devMode: true, dataKey });
    await partial.patients.bulkUpsert([patients[0]!]);
    await partial.close();
    // Power back: the sign-in repeats the copy (upserts) and only then removes the clear copies.
    const resumed = await pc.signIn(legacy, 'nurse', 'pw-nurse-1');
    expect((await resumed.patients.find().exec()).map((d) => d.id).sort()).toEqual(patients.map((p) => p.id).sort());
    expect(await legacy.getLocal('local-data-records-moved')).toBeTruthy();
    expect(await legacy.patients).toBeUndefined();
  });

  it('a move that fails before it is marked complete removes nothing from the clear database', async () => {
    const pc = workstation('g');
    const legacy = await pc.boot();
    const patient = await saveRecord(legacy, 'patients', makePatient({ institutionId: 'chengguan' }), { writer });
    const target = await createLocalDatabase({ name: 'clinic-g-protected', storage: pc.disk.storage, writer, devMode: true, dataKey: 'A'.repeat(43) });
    open.push(target);
    // The copy fails (the target database closes under it: a crash or the window closing).
    await target.close();
    await expect(moveClearRecords(legacy, target)).rejects.toThrow();
    expect(await getRecord(legacy, 'patients', patient.id)).toBeTruthy();
    expect(await legacy.getLocal('local-data-records-moved')).toBeNull();
  });

  it('forgets a user the hub disabled: their key copy goes, the others keep theirs, and the last copy stays only while nothing else could open the records', async () => {
    const pc = workstation('disabled');
    const boot = await pc.boot();
    const keyring = localDocumentKeyring(boot as never);
    // Two users of an older hub (no escrow): the nurse's copy, the doctor's granted from her key.
    const first = await pc.signIn(boot, 'nurse', 'nurse password');
    await first.close();
    const dataKey = await releaseWorkstationKey(boot, { username: 'nurse', password: 'nurse password', verifiedByHub: false, iterations });
    await grantDataKey(keyring, dataKey, 'doctor', 'doctor password', iterations);

    expect(await forgetDisabledUser(boot, 'doctor')).toEqual({ keyRevoked: true });
    expect(await keyHolders(keyring)).toEqual(['nurse']);
    await expect(pc.signIn(boot, 'doctor', 'doctor password')).rejects.toMatchObject({ code: 'no-key-for-user' });

    // The nurse is the last holder and no escrowed copy exists: revoking would lose the records.
    expect(await forgetDisabledUser(boot, 'nurse')).toEqual({ keyRevoked: false });
    expect(await keyHolders(keyring)).toEqual(['nurse']);
    // Once the hub's escrow holds a copy, her copy goes too; the next user gets the key from the escrow.
    await escrowedKeyVault(boot, 'x'.repeat(43)).write(dataKey);
    expect(await forgetDisabledUser(boot, 'nurse')).toEqual({ keyRevoked: true });
    expect(await keyHolders(keyring)).toEqual([]);
    const next = await pc.signIn(boot, 'clerk', 'clerk password', { verifiedByHub: true, vault: escrowedKeyVault(boot, 'x'.repeat(43)) });
    expect(await keyHolders(keyring)).toEqual(['clerk']);
    await next.close();
  });
});
