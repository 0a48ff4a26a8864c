/**
 * Patient data at rest on a shared clinic PC (docs/security-local-data.md): the data key is sealed per
 * user and released only with that user's password; with it the database stores the sensitive fields
 * and drafts as ciphertext — checked on every document the storage is handed, i.e. what reaches the
 * disk — while the fields the nurse searches by stay usable; and a database never opens with a wrong
 * key or none.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fillWithDefaultSettings, now, type RxJsonSchema } from 'rxdb';
import { makeClosedVisit, makePatient } from '../../core/records/builders.ts';
import type { Writer } from '../protocol/index.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from './database.ts';
import { loadDraft, saveDraft } from './drafts.ts';
import { FieldDecryptionError, wrappedFieldEncryptionStorage } from './field-encryption.ts';
import {
  createKeyring,
  grantDataKey,
  keyHolders,
  localDocumentKeyring,
  LocalDataKeyError,
  newDataKey,
  releaseDataKey,
  revokeDataKey,
  type Keyring,
  type KeyringStore,
} from './local-data-key.ts';
import { NeedsAttention } from './needs-attention.ts';
import { getRecord, saveRecord } from './records.ts';
import { recordingStorage } from './testing/recording-storage.ts';
import { findPatientsByIdNumber, searchPatients } from './search.ts';

const writer: Writer = { institutionId: 'chengguan', role: 'clinic' };
// The lowest cost the keyring accepts keeps the test quick; production seals at 600 000.
const FAST = 100_000;
const opened: LocalDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => (db.closed ? undefined : db.close())));
});

/** A keyring kept in memory as its JSON text, as a local document would hold it. */
const memoryKeyring = (): KeyringStore & { text: string } => {
  const store = {
    text: '',
    read: async () => (store.text ? (JSON.parse(store.text) as unknown) : undefined),
    write: async (k: Keyring) => void (store.text = JSON.stringify(k)),
  };
  return store;
};

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('the data key of a workstation database', () => {
  it('is sealed per user and released only with that user\'s password; a colleague gets a copy from a holder', async () => {
    const keyring = memoryKeyring();
    const key = await createKeyring(keyring, '王护士', 'nurse-pass-1', FAST);
    expect(keyring.text).not.toContain(key);
    expect(await releaseDataKey(keyring, '王护士', 'nurse-pass-1')).toBe(key);

    const wrong = await failure(releaseDataKey(keyring, '王护士', 'nurse-pass-2'));
    expect(wrong).toBeInstanceOf(LocalDataKeyError);
    expect(wrong).toMatchObject({ code: 'wrong-password', messageZh: '密码错误，无法打开本机数据' });
    expect(await failure(releaseDataKey(keyring, '李医生', 'doctor-pass'))).toMatchObject({ code: 'no-key-for-user' });
    // A second "first user" cannot replace the key the data is encrypted with.
    expect(await failure(createKeyring(keyring, '李医生', 'doctor-pass', FAST))).toMatchObject({ code: 'keyring-exists' });

    // The nurse is signed in (key in memory); the doctor signs in online: the key is sealed for him.
    await grantDataKey(keyring, key, '李医生', 'doctor-pass', FAST);
    expect(await releaseDataKey(keyring, '李医生', 'doctor-pass')).toBe(key);
    expect(await keyHolders(keyring)).toEqual(['李医生', '王护士'].sort());
    expect(keyring.text).not.toContain(key);

    await revokeDataKey(keyring, '李医生');
    expect(await failure(releaseDataKey(keyring, '李医生', 'doctor-pass'))).toMatchObject({ code: 'no-key-for-user' });
    expect(await releaseDataKey(keyring, '王护士', 'nurse-pass-1')).toBe(key);
  });

  it('can live in a local document of the database opened before sign-in', async () => {
    const keyDb = await createLocalDatabase({ name: 'keyring-host', storage: memoryStorage(), writer, devMode: true });
    opened.push(keyDb);
    const keyring = localDocumentKeyring(keyDb);
    const key = await createKeyring(keyring, 'nurse', 'pw-123456789', FAST);
    expect(await releaseDataKey(localDocumentKeyring(keyDb), 'nurse', 'pw-123456789')).toBe(key);
  });
});

describe('an encrypted workstation database', () => {
  it('writes address, birth date, complaint, diagnoses, vitals and drafts only as ciphertext, and still finds the patient', async () => {
    const { storage, written } = recordingStorage(memoryStorage());
    const dataKey = newDataKey();
    const db = await createLocalDatabase({ name: 'encrypted', storage, writer, devMode: true, dataKey });
    opened.push(db);

    const patient = await saveRecord(
      db,
      'patients',
      makePatient({ institutionId: 'chengguan', name: '张三', birthDate: '1961-07-23', address: '城关镇东街十二号', phone: '13907551234', nationCode: '05' }),
      { writer },
    );
    const visit = await saveRecord(
      db,
      'visits',
      makeClosedVisit({ institutionId: 'chengguan', patientId: patient.id, complaint: '胸闷气短三天', notes: '夜间阵发性呼吸困难', diagnoses: [{ code: 'I50.9', name: '心力衰竭' }] }),
      { writer },
    );
    await saveDraft(db, 'registration', { value: { name: '李四', complaint: '反复咳嗽两周' } });

    const disk = written();
    for (const secret of ['城关镇东街十二号', '1961-07-23', '胸闷气短三天', '夜间阵发性呼吸困难', '心力衰竭', 'I50.9', '"systolic":162', '反复咳嗽两周', '李四']) {
      expect(disk, secret).not.toContain(secret);
    }
    // What stays clear for offline search (documented): name, its pinyin, ID number, phone.
    expect(disk).toContain('张三');
    expect(disk).toContain(patient.idNumber);
    expect(disk).not.toContain(dataKey);

    // The screens read clear records and search as before.
    expect(await getRecord(db, 'patients', patient.id)).toEqual(patient);
    expect(await getRecord(db, 'visits', visit.id)).toEqual(visit);
    expect((await searchPatients(db, 'zs')).map((p) => p.id)).toEqual([patient.id]);
    expect((await findPatientsByIdNumber(db, patient.idNumber)).map((p) => p.id)).toEqual([patient.id]);
    expect((await searchPatients(db, '1390755')).map((p) => p.id)).toEqual([patient.id]);
    expect((await loadDraft(db, 'registration'))?.payload).toEqual({ value: { name: '李四', complaint: '反复咳嗽两周' } });
  });

  it('reopens with its key only: a wrong key or none is refused with a typed error and reveals nothing', async () => {
    const storage = memoryStorage();
    const dataKey = newDataKey();
    const first = await createLocalDatabase({ name: 'locked', storage, writer, devMode: true, dataKey });
    const patient = await saveRecord(first, 'patients', makePatient({ institutionId: 'chengguan', address: '河口乡西村' }), { writer });
    await saveDraft(first, 'visit', { value: { notes: '待复诊' } });
    await first.close();

    const wrongKey = await failure(createLocalDatabase({ name: 'locked', storage, writer, devMode: true, dataKey: newDataKey() }));
    expect(wrongKey).toBeInstanceOf(LocalDataKeyError);
    expect(wrongKey).toMatchObject({ code: 'wrong-key' });
    expect(await failure(createLocalDatabase({ name: 'locked', storage, writer, devMode: true }))).toMatchObject({ code: 'key-required', messageZh: '本机数据已加密，请先登录' });

    const again = await createLocalDatabase({ name: 'locked', storage, writer, devMode: true, dataKey });
    opened.push(again);
    expect((await getRecord(again, 'patients', patient.id))?.address).toBe('河口乡西村');
    expect((await loadDraft(again, 'visit'))?.payload).toEqual({ value: { notes: '待复诊' } });
    // Closed (sign-out, lock): the drafts' key is gone with the database.
    await again.close();
    await expect(loadDraft(again, 'visit')).rejects.toThrow();
  });

  it('keeps the hub\'s state of a refused record sealed too, and reads it back after a reload', async () => {
    const disk = recordingStorage(memoryStorage());
    const dataKey = newDataKey();
    const db = await createLocalDatabase({ name: 'sealed-ledger', storage: disk.storage, writer, devMode: true, dataKey });
    const hubState = { id: 'v-1', complaint: '腹痛待查', _deleted: false };
    const ledger = await NeedsAttention.open(db);
    await ledger.setAside([
      { collection: 'visits', id: 'v-1', version: 'x', assumedMasterState: hubState, code: 'forbidden', status: 403, message: 'm', messageZh: 'z', refusedAt: new Date().toISOString() },
    ]);
    expect(disk.written()).toContain('sync-needs-attention');
    expect(disk.written()).not.toContain('腹痛待查');
    await db.close();

    const reopened = await createLocalDatabase({ name: 'sealed-ledger', storage: disk.storage, writer, devMode: true, dataKey });
    opened.push(reopened);
    expect((await NeedsAttention.open(reopened)).get('visits', 'v-1')?.assumedMasterState).toEqual(hubState);
  });

  it('reports a field altered on disk as a typed error instead of reading it', async () => {
    const disk = memoryStorage();
    const encrypted = wrappedFieldEncryptionStorage({ storage: disk });
    const schema = fillWithDefaultSettings({
      version: 0,
      primaryKey: 'id',
      type: 'object',
      properties: { id: { type: 'string', maxLength: 40 }, note: { type: 'string' } },
      required: ['id', 'note'],
      encrypted: ['note'],
    } as RxJsonSchema<{ id: string; note: string }>);
    const params = { databaseInstanceToken: 'tamper-test', databaseName: 'tamper', collectionName: 'notes', schema, options: {}, multiInstance: false, devMode: false, password: newDataKey() };
    const instance = await encrypted.createStorageInstance(params);
    const doc = { id: 'n1', note: '疑似肺结核，待复查', _deleted: false, _attachments: {}, _rev: '1-a', _meta: { lwt: now() } };
    await instance.bulkWrite([{ document: doc }], 'test');
    expect((await instance.findDocumentsById(['n1'], false))[0]?.note).toBe('疑似肺结核，待复查');

    // The same collection as the disk holds it (no decryption): flip one character of the ciphertext.
    const raw = await disk.createStorageInstance({ ...params, schema: { ...schema, properties: { ...schema.properties, note: { type: 'string' } }, encrypted: [] } });
    const [stored] = await raw.findDocumentsById(['n1'], false);
    const note = (stored as unknown as { note: string }).note;
    expect(note.startsWith('gcm1.')).toBe(true);
    expect(note).not.toContain('肺结核');
    const flipped = note.slice(0, -2) + (note.at(-2) === 'A' ? 'B' : 'A') + note.at(-1)!;
    await raw.bulkWrite([{ previous: stored!, document: { ...stored!, note: flipped, _rev: '2-b', _meta: { lwt: now() } } }], 'tamper');

    const error = await failure(instance.findDocumentsById(['n1'], false));
    expect(error).toBeInstanceOf(FieldDecryptionError);
    expect(error).toMatchObject({ code: 'field-decryption-failed', field: 'note', messageZh: '本机数据无法解密（可能已被改动或密钥不符），请联系管理员' });
    await instance.close();
    await raw.close();
  });

  it('is never the same database as a clear one: a key on a database created clear is refused', async () => {
    const storage = memoryStorage();
    const clear = await createLocalDatabase({ name: 'was-clear', storage, writer, devMode: true });
    await clear.close();
    expect(await failure(createLocalDatabase({ name: 'was-clear', storage, writer, devMode: true, dataKey: newDataKey() }))).toMatchObject({ code: 'wrong-key' });
  });
});
