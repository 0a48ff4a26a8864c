import { afterEach, describe, expect, it } from 'vitest';
import { makeChineseName, makeClosedVisit, makePatient, makeResidentIdNumber, makeVisit, TEST_INSTITUTION } from '../../core/records/builders.ts';
import { collectionNames, isRecordValidationError } from '../../core/records/index.ts';
import type { Writer } from '../protocol/index.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from './database.ts';
import { discardDraft, loadDraft, saveDraft } from './drafts.ts';
import { RecordWriteRefusedError } from './errors.ts';
import { outboxOf } from './outbox.ts';
import { getRecord, saveRecord, saveRecords } from './records.ts';
import {
  findPatientsByIdNumber,
  searchPatients,
  searchPatientsByName,
  searchPatientsByPhone,
  searchPatientsByPinyin,
  searchPatientsByPinyinInitials,
  listQueue,
  nextQueueNumber,
} from './search.ts';

const writer: Writer = { institutionId: TEST_INSTITUTION, role: 'clinic' };
const opened: LocalDatabase[] = [];
let dbCounter = 0;
const open = async (storage = memoryStorage(), name = `test-${++dbCounter}`) => {
  const db = await createLocalDatabase({ name, storage, writer, devMode: true });
  opened.push(db);
  return db;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => (db.closed ? undefined : db.close())));
});

describe('local database', () => {
  it('opens every record collection with the schema derived from zod, accepted by RxDB dev-mode', async () => {
    const db = await open();
    expect(Object.keys(db.collections).sort()).toEqual([...collectionNames].sort());
    expect(db.patients.schema.indexes).toEqual(expect.arrayContaining([['_deleted', 'idNumber', 'id'], ['_deleted', 'pinyinInitials', 'id']]));
  });

  it('saves a patient with its pinyin keys and reads it back', async () => {
    const db = await open();
    const saved = await saveRecord(db, 'patients', makePatient({ name: '张三' }), { writer });
    expect(saved).toMatchObject({ pinyinInitials: 'zs', pinyinFull: 'zhangsan' });
    expect(await getRecord(db, 'patients', saved.id)).toEqual(saved);
  });

  it('refuses an invalid visit with a typed error and writes nothing', async () => {
    const db = await open();
    const visit = makeVisit({ vitals: { systolic: 1200 } });
    const error = await saveRecord(db, 'visits', visit, { writer }).catch((e: unknown) => e);
    expect(isRecordValidationError(error)).toBe(true);
    expect(error).toMatchObject({ issues: [{ path: 'vitals.systolic' }] });
    expect(await getRecord(db, 'visits', visit.id)).toBeUndefined();
    expect((await outboxOf(db)).size).toBe(0);
  });

  it('refuses a whole batch when one record is invalid', async () => {
    const db = await open();
    const batch = [makePatient(), { ...makePatient(), birthDate: '1980-02-30' }, makePatient()];
    await expect(saveRecords(db, 'patients', batch, { writer })).rejects.toMatchObject({ issues: [{ path: '1.birthDate' }] });
    expect(await db.patients.count().exec()).toBe(0);
  });

  it('refuses to rewrite a closed visit but accepts an amendment', async () => {
    const db = await open();
    const closed = await saveRecord(db, 'visits', makeClosedVisit(), { writer });
    await expect(saveRecord(db, 'visits', { ...closed, notes: '改写' }, { writer })).rejects.toBeInstanceOf(RecordWriteRefusedError);
    const amended = await saveRecord(db, 'visits', { ...closed, amendments: [{ id: 'am-1', at: new Date().toISOString(), by: 'dr-wang', text: '血压复测 150/90' }] }, { writer });
    expect(amended.amendments).toHaveLength(1);
  });

  it('counts saved records as pending outgoing changes, also after a reload', async () => {
    const storage = memoryStorage();
    const db = await open(storage, 'outbox-reload');
    await saveRecord(db, 'patients', makePatient(), { writer });
    await saveRecord(db, 'visits', makeVisit(), { writer });
    expect((await outboxOf(db)).size).toBe(2);
    await db.close();
    const reopened = await open(storage, 'outbox-reload');
    expect((await outboxOf(reopened)).size).toBe(2);
  });
});

describe('drafts', () => {
  it('keeps a half-filled registration form across a reload, until discarded', async () => {
    const storage = memoryStorage();
    const db = await open(storage, 'drafts-reload');
    await saveDraft(db, 'registration', { name: '李四', phone: '1390000' });
    await db.close();
    const reopened = await open(storage, 'drafts-reload');
    expect((await loadDraft(reopened, 'registration'))?.payload).toEqual({ name: '李四', phone: '1390000' });
    await discardDraft(reopened, 'registration');
    expect(await loadDraft(reopened, 'registration')).toBeUndefined();
  });

  // Issue 19: the form's debounced save was still in flight when a registration discarded the draft;
  // the removal then wrote over a stale revision and RxDB threw a bare conflict object.
  it('discards a draft while saves of it are still in flight, without a conflict, the last call winning', async () => {
    const db = await open();
    for (let round = 0; round < 50; round++) {
      await saveDraft(db, 'registration', { phone: `13800${round}` });
      // As the form does: a debounced save fires while the registration discards the draft.
      const calls = [saveDraft(db, 'registration', { phone: `13900${round}` }), discardDraft(db, 'registration'), saveDraft(db, 'registration', { phone: '1' })];
      calls.push(discardDraft(db, 'registration'));
      await Promise.all(calls);
      expect(await loadDraft(db, 'registration')).toBeUndefined();
    }
  });

  it('keeps the draft of a save that started after the discard', async () => {
    const db = await open();
    await saveDraft(db, 'registration', { phone: '13800138000' });
    await Promise.all([discardDraft(db, 'registration'), saveDraft(db, 'registration', { phone: '13900139000' })]);
    expect((await loadDraft(db, 'registration'))?.payload).toEqual({ phone: '13900139000' });
  });
});

describe('patient search on a few hundred patients', () => {
  const seed = async () => {
    const db = await open();
    const patients = Array.from({ length: 400 }, (_, i) => makePatient({ name: makeChineseName(i), phone: `1380000${String(i).padStart(4, '0')}` }));
    patients.push(makePatient({ name: '张三', phone: '13912345678' }));
    await saveRecords(db, 'patients', patients, { writer });
    return { db, patients, zhangSan: patients.at(-1)! };
  };

  it('finds one patient by exact ID number, also typed with a lower-case x', async () => {
    const { db, zhangSan } = await seed();
    expect((await findPatientsByIdNumber(db, zhangSan.idNumber)).map((p) => p.id)).toEqual([zhangSan.id]);
    expect(await findPatientsByIdNumber(db, zhangSan.idNumber.slice(0, 17) + (zhangSan.idNumber.endsWith('1') ? '2' : '1'))).toEqual([]);
    // A number whose check character is X, as nurses often type it: lower case.
    const withX = Array.from({ length: 1000 }, (_, seq) => makeResidentIdNumber('1975-06-01', seq)).find((n) => n.endsWith('X'))!;
    const patient = await saveRecord(db, 'patients', makePatient({ birthDate: '1975-06-01', idNumber: withX }), { writer });
    expect((await findPatientsByIdNumber(db, withX.toLowerCase())).map((p) => p.id)).toEqual([patient.id]);
  });

  it('finds 张三 by the initials zs, by full pinyin and by the name prefix, first N only', async () => {
    const { db, zhangSan, patients } = await seed();
    const zs = await searchPatientsByPinyinInitials(db, 'ZS');
    expect(zs.map((p) => p.name)).toContain('张三');
    expect(zs.every((p) => p.pinyinInitials.startsWith('zs'))).toBe(true);
    expect((await searchPatientsByPinyin(db, 'zhangs')).map((p) => p.id)).toContain(zhangSan.id);
    const zhang = await searchPatientsByName(db, '张', 5);
    expect(zhang).toHaveLength(5);
    expect(zhang.every((p) => p.name.startsWith('张'))).toBe(true);
    const expectedZhang = patients.filter((p) => p.name.startsWith('张')).length;
    expect((await searchPatientsByName(db, '张', 1000)).length).toBe(expectedZhang);
  });

  it('finds by phone prefix, and routes the single search box by what was typed', async () => {
    const { db, zhangSan } = await seed();
    expect((await searchPatientsByPhone(db, '1391234')).map((p) => p.id)).toEqual([zhangSan.id]);
    expect((await searchPatientsByPhone(db, '1380000')).length).toBe(20);
    expect((await searchPatients(db, zhangSan.idNumber)).map((p) => p.id)).toEqual([zhangSan.id]);
    expect((await searchPatients(db, 'zs')).map((p) => p.name)).toContain('张三');
    expect((await searchPatients(db, 'zhangsan')).map((p) => p.id)).toContain(zhangSan.id);
    expect((await searchPatients(db, '张三')).map((p) => p.id)).toContain(zhangSan.id);
  });

  it('shows only the master when a merged duplicate is also found', async () => {
    const db = await open();
    const master = makePatient({ name: '王芳' });
    const duplicate = makePatient({ name: '王芳', idNumber: master.idNumber, mergedInto: null });
    await saveRecords(db, 'patients', [master], { writer });
    // The hub sets mergedInto; here it arrives as a hub write would.
    await db.patients.insert({ ...duplicate, mergedInto: master.id });
    expect((await searchPatientsByName(db, '王芳')).map((p) => p.id)).toEqual([master.id]);
  });
});

describe('the day\'s queue', () => {
  it('lists today\'s waiting and in-consultation visits in queue order and gives the next number', async () => {
    const db = await open();
    const today = '2026-11-23';
    expect(await nextQueueNumber(db, today)).toBe(1);
    await saveRecords(db, 'visits', [
      makeVisit({ visitDate: today, queueNumber: 3, status: 'waiting' }),
      makeVisit({ visitDate: today, queueNumber: 1, status: 'in-consultation' }),
      makeClosedVisit({ visitDate: today, queueNumber: 2 }),
      makeVisit({ visitDate: '2026-11-22', queueNumber: 9, status: 'waiting' }),
    ], { writer });
    expect((await listQueue(db, today)).map((v) => [v.queueNumber, v.status])).toEqual([[1, 'in-consultation'], [3, 'waiting']]);
    expect(await nextQueueNumber(db, today)).toBe(4);
  });
});
