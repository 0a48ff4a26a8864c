import { describe, expect, it } from 'vitest';
import { makeClosedVisit, makeEcgReport, makeEcgStudy, makeOrder, makePatient, makeVisit, TEST_CENTER } from '../../core/records/builders.ts';
import { masterPatientId } from '../../core/records/index.ts';
import { checkWrite, resolveConflict, type Writer } from './conflicts.ts';
import { planMasterPatientMerge, patientIdentityKey } from './master-patient.ts';
import type { WireDocument } from './wire.ts';

const live = <T extends object>(doc: T): T & { _deleted: boolean } => ({ ...doc, _deleted: false });
const clinicA: Writer = { institutionId: 'th-clinic-01', role: 'clinic' };
const clinicB: Writer = { institutionId: 'th-clinic-02', role: 'clinic' };
const center: Writer = { institutionId: TEST_CENTER, role: 'ecg-center' };
const hub: Writer = { institutionId: 'hub', role: 'hub' };

describe('patients: field-by-field merge by hub order', () => {
  it('keeps the phone one clinic changed and the address another changed, offline at the same time', () => {
    const base = live(makePatient({ phone: '13900000001', address: '旧地址' }));
    const masterFromB = { ...base, address: '新村12号', updatedAt: '2026-11-23T02:00:00.000Z' };
    const localA = { ...base, phone: '13811112222', updatedAt: '2026-11-23T01:00:00.000Z' };
    const resolved = resolveConflict('patients', { newDocumentState: localA, realMasterState: masterFromB, assumedMasterState: base }, clinicA);
    expect(resolved.phone).toBe('13811112222');
    expect(resolved.address).toBe('新村12号');
  });

  it('gives a field both changed to the write that reaches the hub later, even if its clock is earlier', () => {
    const base = live(makePatient({ phone: '13900000001' }));
    const master = { ...base, phone: '13700000000', updatedAt: '2026-11-23T09:00:00.000Z' };
    // Clinic A's clock is hours behind, but its re-push will be the later write at the hub.
    const local = { ...base, phone: '13811112222', updatedAt: '2026-11-23T01:00:00.000Z' };
    expect(resolveConflict('patients', { newDocumentState: local, realMasterState: master, assumedMasterState: base }, clinicA).phone).toBe('13811112222');
  });

  it('keeps the master-patient pointer the hub set while the clinic edited offline', () => {
    const base = live(makePatient());
    const master = { ...base, mergedInto: 'master-1' };
    const local = { ...base, phone: '13811112222' };
    const resolved = resolveConflict('patients', { newDocumentState: local, realMasterState: master, assumedMasterState: base }, clinicA);
    expect(resolved).toMatchObject({ mergedInto: 'master-1', phone: '13811112222' });
    expect(checkWrite('patients', master, resolved, clinicA).ok).toBe(true);
  });

  it('refuses a clinic that sets mergedInto itself', () => {
    const p = live(makePatient());
    expect(checkWrite('patients', p, { ...p, mergedInto: 'someone' }, clinicA)).toMatchObject({ ok: false });
  });

  it('lets another clinic update the phone of a patient it treats, but not delete the patient', () => {
    const p = live(makePatient({ institutionId: clinicA.institutionId }));
    expect(checkWrite('patients', p, { ...p, phone: '13811112222' }, clinicB).ok).toBe(true);
    expect(checkWrite('patients', p, { ...p, _deleted: true }, clinicB).ok).toBe(false);
  });
});

describe('master-patient merge of one person registered twice offline', () => {
  it('points both records at one master, the one the hub received first, and fills its blanks', () => {
    const idNumber = makePatient().idNumber;
    const atA = live(makePatient({ idNumber, institutionId: clinicA.institutionId, phone: '', name: '王芳' }));
    const atB = live(makePatient({ idNumber, institutionId: clinicB.institutionId, phone: '13822223333', name: '王芳' }));
    expect(patientIdentityKey(atA)).toBe(patientIdentityKey(atB));

    const writes = planMasterPatientMerge([atA, atB], '2026-11-23T10:00:00.000Z');
    const stored = new Map([atA, atB].map((p) => [p.id, p]));
    for (const w of writes) {
      expect(checkWrite('patients', stored.get(w.id), w, hub).ok).toBe(true);
      stored.set(w.id, w);
    }
    const a = stored.get(atA.id)!;
    const b = stored.get(atB.id)!;
    expect(masterPatientId(a)).toBe(atA.id);
    expect(masterPatientId(b)).toBe(atA.id);
    expect(a.phone).toBe('13822223333');
    // Applying the plan again changes nothing: the hub can run it after every write.
    expect(planMasterPatientMerge([a, b], '2026-11-23T11:00:00.000Z')).toEqual([]);
  });

  it('re-points a third registration and never merges patients without a document', () => {
    const idNumber = makePatient().idNumber;
    const [a, b, c] = [1, 2, 3].map(() => live(makePatient({ idNumber })));
    const writes = planMasterPatientMerge([a!, { ...b!, mergedInto: a!.id }, c!], '2026-11-23T10:00:00.000Z');
    expect(writes.map((w) => [w.id, w.mergedInto])).toEqual([[c!.id, a!.id]]);
    expect(patientIdentityKey(makePatient({ documentType: 'none', idNumber: '' }))).toBeNull();
  });
});

describe('visits: a closed visit is the owner institution\'s version', () => {
  it('keeps the closed master when a workstation that had it open edits the complaint', () => {
    const base = live(makeVisit({ institutionId: clinicA.institutionId }));
    const closed = live(makeClosedVisit({ ...base, status: 'closed' }));
    const local = { ...base, complaint: '补充：伴恶心' };
    expect(resolveConflict('visits', { newDocumentState: local, realMasterState: closed, assumedMasterState: base }, clinicA)).toEqual(closed);
  });

  it('keeps amendments written at two workstations of the owner after close', () => {
    const closed = live(makeClosedVisit({ institutionId: clinicA.institutionId }));
    const amendment = (id: string, at: string) => ({ id, at, by: 'dr-wang', text: `更正${id}` });
    const master = { ...closed, amendments: [amendment('a1', '2026-11-23T05:00:00.000Z')] };
    const local = { ...closed, amendments: [amendment('a2', '2026-11-23T04:00:00.000Z')] };
    const resolved = resolveConflict('visits', { newDocumentState: local, realMasterState: master, assumedMasterState: closed }, clinicA);
    expect(resolved.amendments.map((a) => a.id)).toEqual(['a2', 'a1']);
    expect(checkWrite('visits', master, resolved, clinicA).ok).toBe(true);
  });

  it('refuses any change but an amendment to a closed visit, and any write by another institution', () => {
    const closed = live(makeClosedVisit({ institutionId: clinicA.institutionId }));
    expect(checkWrite('visits', closed, { ...closed, notes: '改写' }, clinicA).ok).toBe(false);
    expect(checkWrite('visits', closed, { ...closed, amendments: [{ id: 'x', at: closed.updatedAt, by: 'dr', text: '更正' }] }, clinicA).ok).toBe(true);
    const open = live(makeVisit({ institutionId: clinicA.institutionId }));
    expect(checkWrite('visits', open, { ...open, complaint: '咳嗽' }, clinicB).ok).toBe(false);
    // Resolving as the other institution yields the master, which needs no write.
    expect(resolveConflict('visits', { newDocumentState: { ...open, complaint: '咳嗽' }, realMasterState: open, assumedMasterState: open }, clinicB)).toBe(open);
  });

  it('merges two open edits field by field', () => {
    const base = live(makeVisit({ institutionId: clinicA.institutionId }));
    const master = { ...base, vitals: { systolic: 130, diastolic: 80 } };
    const local = { ...base, complaint: '头痛' };
    expect(resolveConflict('visits', { newDocumentState: local, realMasterState: master, assumedMasterState: base }, clinicA)).toMatchObject({ complaint: '头痛', vitals: { systolic: 130 } });
  });

  it('takes the master when a merge would make an invalid record', () => {
    const base = live(makeVisit({ institutionId: clinicA.institutionId, vitals: { systolic: 140 } }));
    const master = { ...base, vitals: { systolic: 140, diastolic: 90 }, diagnoses: [] };
    // Locally closed with a diagnosis; meanwhile the master was changed; the local side also cleared diagnoses → invalid.
    const local = { ...base, status: 'closed' as const, closedAt: '2026-11-23T06:00:00.000Z', diagnoses: [] };
    expect(resolveConflict('visits', { newDocumentState: local, realMasterState: master, assumedMasterState: { ...base, diagnoses: [{ code: 'I10', name: '高血压' }] } }, clinicA)).toBe(master);
  });
});

describe('ECG studies and reports', () => {
  it('never moves a study back from being read to uploading', () => {
    const base = live(makeEcgStudy({ institutionId: clinicA.institutionId, readingState: 'uploading' }));
    const master = { ...base, readingState: 'being-read' as const };
    const local = { ...base, readingState: 'received' as const, clinicalNote: '胸痛2小时' };
    const resolved = resolveConflict('ecgStudies', { newDocumentState: local, realMasterState: master, assumedMasterState: base }, clinicA);
    expect(resolved).toMatchObject({ readingState: 'being-read', clinicalNote: '胸痛2小时' });
    expect(checkWrite('ecgStudies', master, { ...master, readingState: 'uploading' }, clinicA).ok).toBe(false);
  });

  it('lets the center advance the reading state and nothing else', () => {
    const study = live(makeEcgStudy({ institutionId: clinicA.institutionId, readingState: 'received' }));
    expect(checkWrite('ecgStudies', study, { ...study, readingState: 'being-read' }, center).ok).toBe(true);
    expect(checkWrite('ecgStudies', study, { ...study, priority: 'urgent' }, center).ok).toBe(false);
  });

  it('keeps the center\'s signed report over any other version', () => {
    const draft = live(makeEcgReport());
    const signed = { ...draft, freeText: '急性下壁心肌梗死', critical: true, signedBy: 'dr-li', signedAt: '2026-11-23T03:00:00.000Z' };
    const otherDraft = { ...draft, freeText: '窦性心律' };
    expect(resolveConflict('ecgReports', { newDocumentState: otherDraft, realMasterState: signed, assumedMasterState: draft }, center)).toBe(signed);
    expect(checkWrite('ecgReports', signed, { ...signed, critical: false }, center).ok).toBe(false);
    expect(checkWrite('ecgReports', undefined, draft, clinicA).ok).toBe(false);
  });
});

describe('orders', () => {
  it('are written only by the ordering institution', () => {
    const order = live(makeOrder({ institutionId: clinicA.institutionId })) as WireDocument<'orders'>;
    expect(checkWrite('orders', undefined, order, clinicA).ok).toBe(true);
    expect(checkWrite('orders', undefined, order, clinicB).ok).toBe(false);
  });
});
