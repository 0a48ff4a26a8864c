/**
 * The registration desk's and the doctor's operations on local records: find-or-create a patient by
 * document number, queue a visit with the day's next number, record, close and amend a visit, order a
 * test. Every function returns only after its writes committed (RecordRepository.save), so the
 * caller may say "saved". Nothing here touches the network.
 */
import { CodedError } from '../../core/errors/index.ts';
import { isoDate, normaliseDocumentNumber } from '../../core/identity/index.ts';
import {
  isFinalVisitStatus,
  masterPatientId,
  newRecordId,
  newVisit,
  nowIso,
  type EcgStudy,
  type Order,
  type Patient,
  type RecognitionDecision,
  type Result,
  type Visit,
  type Vitals,
} from '../../core/records/index.ts';
import type { CatalogItem } from '../../core/catalog/index.ts';
import type { ClinicSession, RecordRepository } from './repository.ts';
import type { RegistrationMethod } from '../../sync/protocol/wire.ts';

export type PatientFields = Pick<
  Patient,
  'name' | 'sex' | 'nationCode' | 'birthDate' | 'documentType' | 'idNumber' | 'address' | 'phone' | 'insuranceCardNumber'
>;

export type Diagnosis = Visit['diagnoses'][number];

export const todayIso = (now: Date = new Date()): string => isoDate(now);

/** A closed visit is changed only by amendments (the catalogue's `records.visit-locked`). */
export class VisitLockedError extends CodedError<'records.visit-locked'> {
  override readonly name = 'VisitLockedError';
  constructor() {
    super('records.visit-locked');
  }
}

/** An amendment to a visit still open, which is edited instead (`records.visit-not-closed`). */
export class VisitNotClosedError extends CodedError<'records.visit-not-closed'> {
  override readonly name = 'VisitNotClosedError';
  constructor() {
    super('records.visit-not-closed');
  }
}

export interface PatientHistory {
  visits: Visit[];
  orders: Order[];
  results: Result[];
  ecgStudies: EcgStudy[];
}

export interface ClinicRecords {
  findPatientByDocumentNumber(idNumber: string): Promise<Patient | undefined>;
  /** `registration`: how the identity was taken ('card-read' from the resident ID card at this desk). */
  registerPatient(fields: PatientFields, options?: { registration?: RegistrationMethod }): Promise<{ patient: Patient; created: boolean }>;
  queueVisit(patientId: string, now?: Date): Promise<{ visit: Visit; alreadyQueued: boolean }>;
  startConsultation(visitId: string): Promise<Visit>;
  saveConsultation(visitId: string, changes: ConsultationChanges): Promise<Visit>;
  closeVisit(visitId: string, changes: ConsultationChanges): Promise<Visit>;
  amendVisit(visitId: string, text: string): Promise<Visit>;
  /** Orders an item; `recognition` is the doctor's 互认 decision when a qualifying prior result was offered. */
  orderItem(visitId: string, item: Pick<CatalogItem, 'code' | 'name'>, recognition?: RecognitionDecision | null): Promise<Order>;
  patientHistory(patientId: string): Promise<PatientHistory>;
}

export interface ConsultationChanges {
  complaint: string;
  vitals: Vitals;
  diagnoses: Diagnosis[];
  notes: string;
}

export function clinicRecords(repo: RecordRepository, session: ClinicSession): ClinicRecords {
  const loadVisit = async (visitId: string): Promise<Visit> => {
    const visit = await repo.get('visits', visitId);
    if (!visit) throw new Error(`Visit ${visitId} not found`);
    return visit;
  };
  const editableVisit = async (visitId: string): Promise<Visit> => {
    const visit = await loadVisit(visitId);
    if (isFinalVisitStatus(visit.status)) throw new VisitLockedError();
    return visit;
  };

  const findPatientByDocumentNumber = async (idNumber: string): Promise<Patient | undefined> => {
    const number = normaliseDocumentNumber(idNumber);
    if (!number) return undefined;
    const matches = await repo.findBy('patients', 'idNumber', number);
    const match = matches.find((p) => p.mergedInto === null) ?? matches[0];
    if (!match) return undefined;
    // A duplicate merged by the hub's master-patient index: use the master record.
    return match.mergedInto ? ((await repo.get('patients', masterPatientId(match))) ?? match) : match;
  };

  /**
   * A patient without an identity document (a newborn, an elderly person without a card) has no
   * number to match: the same name and birth date, registered without a document, is the same
   * person unless both records carry different phone numbers.
   */
  const findUndocumentedPatient = async (fields: PatientFields): Promise<Patient | undefined> => {
    const name = fields.name.trim();
    if (!name || !fields.birthDate) return undefined;
    const sameName = await repo.findBy('patients', 'name', name);
    const phone = fields.phone.trim();
    return sameName.find(
      (p) => p.documentType === 'none' && p.mergedInto === null && p.birthDate === fields.birthDate && (!phone || !p.phone || p.phone === phone),
    );
  };

  return {
    findPatientByDocumentNumber,

    async registerPatient(fields, options = {}) {
      const existing = fields.documentType === 'none' ? await findUndocumentedPatient(fields) : await findPatientByDocumentNumber(fields.idNumber);
      // A patient registered by another institution is theirs to change (sync/protocol ownerOnly): use it as it is.
      if (existing && existing.institutionId !== session.institutionId) return { patient: existing, created: false };
      if (existing) {
        // The card is authoritative for what it carries; what the nurse typed fills the rest.
        const updated: Patient = {
          ...existing,
          ...fields,
          phone: fields.phone || existing.phone,
          insuranceCardNumber: fields.insuranceCardNumber || existing.insuranceCardNumber,
          address: fields.address || existing.address,
          nationCode: fields.nationCode || existing.nationCode,
        };
        const changed = (Object.keys(fields) as (keyof PatientFields)[]).some((k) => updated[k] !== existing[k]);
        if (!changed) return { patient: existing, created: false };
        return { patient: await repo.save('patients', { ...updated, updatedAt: nowIso() }, options), created: false };
      }
      const patient: Patient = {
        id: newRecordId(),
        institutionId: session.institutionId,
        updatedAt: nowIso(),
        ...fields,
        idNumber: normaliseDocumentNumber(fields.idNumber),
        pinyinInitials: '',
        pinyinFull: '',
        mergedInto: null,
      };
      return { patient: await repo.save('patients', patient, options), created: true };
    },

    async queueVisit(patientId, now = new Date()) {
      const visitDate = todayIso(now);
      const today = await repo.visitsOn(visitDate);
      const open = today.find((v) => v.patientId === patientId && (v.status === 'waiting' || v.status === 'in-consultation'));
      if (open) return { visit: open, alreadyQueued: true };
      const ours = today.filter((v) => v.institutionId === session.institutionId);
      const queueNumber = Math.max(0, ...ours.map((v) => v.queueNumber)) + 1;
      const visit = newVisit({ institutionId: session.institutionId, patientId, visitDate, queueNumber, registeredAt: now.toISOString() });
      return { visit: await repo.save('visits', visit), alreadyQueued: false };
    },

    async startConsultation(visitId) {
      const visit = await editableVisit(visitId);
      if (visit.status === 'in-consultation' && visit.doctorId) return visit;
      return repo.save('visits', { ...visit, status: 'in-consultation', doctorId: session.userId, updatedAt: nowIso() });
    },

    async saveConsultation(visitId, changes) {
      const visit = await editableVisit(visitId);
      return repo.save('visits', {
        ...visit,
        ...changes,
        status: 'in-consultation',
        doctorId: visit.doctorId || session.userId,
        updatedAt: nowIso(),
      });
    },

    async closeVisit(visitId, changes) {
      const visit = await editableVisit(visitId);
      const at = nowIso();
      return repo.save('visits', { ...visit, ...changes, status: 'closed', doctorId: visit.doctorId || session.userId, closedAt: at, updatedAt: at });
    },

    async amendVisit(visitId, text) {
      const visit = await loadVisit(visitId);
      if (!isFinalVisitStatus(visit.status)) throw new VisitNotClosedError();
      const at = nowIso();
      return repo.save('visits', {
        ...visit,
        amendments: [...visit.amendments, { id: newRecordId(), at, by: session.userId, text: text.trim() }],
        updatedAt: at,
      });
    },

    async orderItem(visitId, item, recognition = null) {
      const visit = await editableVisit(visitId);
      const order: Order = {
        id: newRecordId(),
        institutionId: session.institutionId,
        updatedAt: nowIso(),
        visitId,
        patientId: visit.patientId,
        itemCode: item.code,
        itemName: item.name,
        orderedAt: nowIso(),
        orderedBy: session.userId,
        // A recognized result replaces the test: nothing is performed, so the order is not "ordered".
        status: recognition?.decision === 'recognized' ? 'recognized' : 'ordered',
        recognition,
      };
      return repo.save('orders', order);
    },

    async patientHistory(patientId) {
      const [visits, orders, results, ecgStudies] = await Promise.all([
        repo.findBy('visits', 'patientId', patientId),
        repo.findBy('orders', 'patientId', patientId),
        repo.findBy('results', 'patientId', patientId),
        repo.findBy('ecgStudies', 'patientId', patientId),
      ]);
      const newestFirst = <T>(key: (t: T) => string) => (a: T, b: T) => key(b).localeCompare(key(a));
      return {
        visits: visits.sort(newestFirst((v) => v.registeredAt)),
        orders: orders.sort(newestFirst((o) => o.orderedAt)),
        results: results.sort(newestFirst((r) => r.performedAt)),
        ecgStudies: ecgStudies.sort(newestFirst((s) => s.capturedAt)),
      };
    },
  };
}
