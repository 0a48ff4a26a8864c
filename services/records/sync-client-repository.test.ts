/**
 * The screens' operations on the sync client's real RxDB database (memory storage here; IndexedDB in
 * the browser E2E): the adapter, the shared write rules and the operations agree.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeResidentIdNumber } from '../../core/records/builders.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from '../../sync/client/database.ts';
import { clinicRecords, VisitLockedError, type PatientFields } from './clinic-records.ts';
import { syncClientRepository } from './sync-client-repository.ts';

const session = { institutionId: 'th-clinic-01', userId: 'dr-wang' };
const writer = { institutionId: session.institutionId, role: 'clinic' as const };
let db: LocalDatabase | undefined;

afterEach(async () => {
  await db?.close();
  db = undefined;
});

async function open() {
  db = await createLocalDatabase({ name: `test-${crypto.randomUUID()}`, storage: memoryStorage(), writer, devMode: true });
  const repo = syncClientRepository(db, writer);
  return { repo, records: clinicRecords(repo, session) };
}

const zhangSan = (): PatientFields => ({
  name: '张三',
  sex: '1',
  nationCode: '01',
  birthDate: '1968-04-12',
  documentType: 'resident',
  idNumber: makeResidentIdNumber('1968-04-12', 123, true),
  address: '',
  phone: '13900001111',
  insuranceCardNumber: '',
});

describe('clinic records on the sync client', () => {
  it('creates a patient once and finds it again by ID number, name initials and phone', async () => {
    const { repo, records } = await open();
    const first = await records.registerPatient(zhangSan());
    const second = await records.registerPatient(zhangSan());
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, patient: { id: first.patient.id } });
    expect((await repo.searchPatients('zs', 20)).map((p) => p.name)).toEqual(['张三']);
    expect((await repo.searchPatients('1390000', 20)).map((p) => p.id)).toEqual([first.patient.id]);
    expect((await records.findPatientByDocumentNumber(zhangSan().idNumber))?.id).toBe(first.patient.id);
  });

  it('does not create a second record for a patient without an identity document', async () => {
    const { repo, records } = await open();
    const baby: PatientFields = { ...zhangSan(), name: '李小宝', birthDate: '2026-10-01', documentType: 'none', idNumber: '', phone: '' };
    const first = await records.registerPatient(baby);
    // Registered again, now with the parent's phone: the same record, completed.
    const again = await records.registerPatient({ ...baby, phone: '13900002222' });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, patient: { id: first.patient.id, phone: '13900002222' } });
    // Same name and birth date but another phone is another child.
    expect((await records.registerPatient({ ...baby, phone: '13900003333' })).created).toBe(true);
    expect((await repo.searchPatients('李小宝', 20)).length).toBe(2);
  });

  it("numbers the day's queue and does not queue a waiting patient twice", async () => {
    const { records } = await open();
    const a = await records.registerPatient(zhangSan());
    const b = await records.registerPatient({ ...zhangSan(), name: '李四', idNumber: makeResidentIdNumber('1970-01-01', 44, false), sex: '2', birthDate: '1970-01-01' });
    const day = new Date(2026, 10, 23, 9);
    expect((await records.queueVisit(a.patient.id, day)).visit.queueNumber).toBe(1);
    expect((await records.queueVisit(b.patient.id, day)).visit.queueNumber).toBe(2);
    expect(await records.queueVisit(a.patient.id, day)).toMatchObject({ alreadyQueued: true, visit: { queueNumber: 1 } });
  });

  it('locks a closed visit and keeps amendments', async () => {
    const { repo, records } = await open();
    const { patient } = await records.registerPatient(zhangSan());
    const { visit } = await records.queueVisit(patient.id);
    await records.orderItem(visit.id, { code: 'LAB-CBC', name: '血常规' });
    const changes = { complaint: '头晕', vitals: { systolic: 150, diastolic: 90 }, diagnoses: [{ code: 'I10', name: '原发性高血压' }], notes: '' };
    await records.closeVisit(visit.id, changes);
    await expect(records.saveConsultation(visit.id, { ...changes, notes: 'changed' })).rejects.toBeInstanceOf(VisitLockedError);
    await expect(records.orderItem(visit.id, { code: 'LAB-FBG', name: '空腹血糖' })).rejects.toBeInstanceOf(VisitLockedError);
    const amended = await records.amendVisit(visit.id, '补充：血压复测 145/88');
    expect(amended.amendments.map((a) => a.text)).toEqual(['补充：血压复测 145/88']);
    expect((await repo.get('visits', visit.id))?.notes).toBe('');
    expect((await repo.findBy('orders', 'visitId', visit.id)).map((o) => o.itemCode)).toEqual(['LAB-CBC']);
  });

  it('keeps a draft until it is removed', async () => {
    const { repo } = await open();
    await repo.drafts.set('registration-form', { name: '孙丽', phone: '13812345678' });
    expect(await repo.drafts.get('registration-form')).toEqual({ name: '孙丽', phone: '13812345678' });
    await repo.drafts.remove('registration-form');
    expect(await repo.drafts.get('registration-form')).toBeUndefined();
  });
});
