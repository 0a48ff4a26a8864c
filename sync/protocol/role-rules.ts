/**
 * Who may write what (角色权限), declared once per replicated collection beside the conflict rules
 * (conflicts.ts). The conflict rules answer "may this institution change this record, and how do two
 * versions merge"; these answer "may this person, in this role, write these fields". The hub checks
 * both on every pushed row (sync/hub/replication/write-guard.ts); a refused row is a 403 naming the
 * rule, and nothing of the push is stored.
 *
 * The author comes from the hub's token, never from the body: fields that name a person (a visit's
 * doctor, an order's orderer, an amendment's author, a recognition event's doctor) must name the
 * signed-in user whenever a write sets or changes them.
 *
 * Why these rules (see docs/security.md):
 * - a nurse registers patients, queues visits, takes vitals and records ECGs; diagnoses, notes,
 *   closing a visit, orders and recognition decisions are a doctor's (执业医师) acts;
 * - a result is either a lab's (posted by FHIR, carrying the lab's "HR" quality mark) or typed by
 *   a doctor, never with the HR mark: only a quality-controlled lab may claim it;
 * - an ECG's reading state past "uploading" and its signed report are written by the hub, through
 *   the reading room's claim and sign (ecg-reading.ts), so the worklist and the clinic's view can
 *   never be forged by replication; the centre's cardiologists may keep unsigned drafts.
 */
import type { ErrorCodeOf } from '../../core/errors/index.ts';
import type { CollectionName } from '../../core/records/index.ts';
import { deepEqual } from './documents.ts';

export const staffRoles = ['nurse', 'doctor', 'cardiologist', 'administrator'] as const;
export type StaffRole = (typeof staffRoles)[number];

/** The signed-in person behind a write, as the hub's token names them. */
export interface Author {
  userId: string;
  role: StaffRole;
  institutionId: string;
  institutionKind: 'county_hospital' | 'township_clinic' | 'ecg_center';
}

/** What the hub knows that the record does not say (looked up by the write guard). */
export interface WriteFacts {
  /** ecgStudies: the study's DICOM file is complete at the hub, uploaded by the study's institution. */
  studyFileAtHub?: boolean;
}

/** Why a rule refused, in the error catalogue's words (`writeRules.*`, core/errors), which name the rule. */
export type RuleRefusalReason = ErrorCodeOf<'writeRules'>;

export type RoleCheck = { ok: true } | { ok: false; rule: string; reason: RuleRefusalReason };

type Doc = Record<string, unknown> & { id: string; institutionId: string; _deleted?: boolean };

export interface RoleRule {
  /** One line for people and the docs. */
  summary: string;
  check(master: Doc | undefined, next: Doc, author: Author, facts: WriteFacts): RoleCheck;
}

const ok: RoleCheck = { ok: true };
const refuse = (rule: string, reason: RuleRefusalReason): RoleCheck => ({ ok: false, rule, reason });

/** The field differs from the master's (or, on a create, from `blank`). */
const changed = (master: Doc | undefined, next: Doc, field: string, blank: unknown) => !deepEqual(next[field], master ? master[field] : blank);

const isAny = (author: Author, ...roles: StaffRole[]) => roles.includes(author.role);

/** Every check of a rule in order; the first refusal wins. */
const all =
  (...checks: Array<(master: Doc | undefined, next: Doc, author: Author, facts: WriteFacts) => RoleCheck>) =>
  (master: Doc | undefined, next: Doc, author: Author, facts: WriteFacts): RoleCheck => {
    for (const check of checks) {
      const result = check(master, next, author, facts);
      if (!result.ok) return result;
    }
    return ok;
  };

/** `field`, when set or changed by this write, must name the author. */
const namesTheAuthor = (rule: string, field: string, reason: RuleRefusalReason) => (master: Doc | undefined, next: Doc, author: Author) =>
  changed(master, next, field, '') && next[field] !== '' && next[field] !== author.userId ? refuse(rule, reason) : ok;

/** Only `roles` may write; `reason` says which (its words name the roles). */
const byRoles = (rule: string, roles: StaffRole[], reason: RuleRefusalReason) => (_master: Doc | undefined, _next: Doc, author: Author) =>
  isAny(author, ...roles) ? ok : refuse(rule, reason);

/** Visit fields only a doctor writes (the clinical record and its closing), with their blank values and the refusal that names them. */
const DOCTOR_VISIT_FIELDS: Record<string, { blank: unknown; reason: RuleRefusalReason }> = {
  diagnoses: { blank: [], reason: 'visit-diagnoses-by-doctors' },
  notes: { blank: '', reason: 'visit-notes-by-doctors' },
  doctorId: { blank: '', reason: 'visit-doctor-by-doctors' },
  closedAt: { blank: null, reason: 'visit-closing-by-doctors' },
  amendments: { blank: [], reason: 'visit-amendments-by-doctors' },
};

type Amendment = { id: string; by: string };

export const roleRules: Record<CollectionName, RoleRule> = {
  patients: {
    summary: 'Registered and edited by clinic nurses and doctors (identity fields: see the master-patient index rules).',
    check: byRoles('patients.registered-by-clinical-staff', ['nurse', 'doctor'], 'patients-by-clinical-staff'),
  },
  visits: {
    summary: 'Nurses queue visits (complaint, vitals, cancel); diagnoses, notes, the doctor, closing and amendments are written by doctors, as themselves.',
    check: all(
      byRoles('visits.written-by-clinical-staff', ['nurse', 'doctor'], 'visits-by-clinical-staff'),
      (master, next, author) => {
        if (author.role === 'doctor') return ok;
        const doctorField = Object.entries(DOCTOR_VISIT_FIELDS).find(([f, { blank }]) => changed(master, next, f, blank))?.[1];
        const startsConsultation = changed(master, next, 'status', 'waiting') && (next.status === 'in-consultation' || next.status === 'closed');
        if (doctorField || startsConsultation) return refuse('visits.clinical-record-by-doctors', doctorField?.reason ?? 'visit-status-by-doctors');
        return ok;
      },
      namesTheAuthor('visits.doctor-is-the-writer', 'doctorId', 'visit-doctor-is-the-writer'),
      (master, next, author) => {
        const known = new Set(((master?.amendments as Amendment[] | undefined) ?? []).map((a) => a.id));
        const added = ((next.amendments as Amendment[] | undefined) ?? []).filter((a) => !known.has(a.id));
        return added.some((a) => a.by !== author.userId) ? refuse('visits.amendment-by-its-author', 'amendment-by-its-author') : ok;
      },
    ),
  },
  orders: {
    summary: 'Ordered (and the recognition decision taken) by doctors, in their own name.',
    check: all(
      byRoles('orders.by-doctors', ['doctor'], 'orders-by-doctors'),
      namesTheAuthor('orders.ordered-by-the-writer', 'orderedBy', 'order-by-the-writer'),
    ),
  },
  results: {
    summary: 'Results come from a lab by FHIR (the hub writes those) or are typed by a doctor; a typed result never carries the lab\'s "HR" quality mark.',
    check: all(
      byRoles('results.from-fhir-or-doctor', ['doctor'], 'results-from-fhir-or-doctor'),
      (_master, next) => (next.hrMark === true ? refuse('results.hr-mark-from-lab', 'hr-mark-from-lab') : ok),
    ),
  },
  ecgStudies: {
    summary: 'Recorded by clinic nurses and doctors; replication moves the reading state only to "uploading" (or "received" once the file is at the hub); reading and reporting go through the reading room.',
    check: all(
      (_master, _next, author) =>
        author.institutionKind === 'ecg_center' ? refuse('ecgStudies.reading-state-by-the-hub', 'center-reads-through-reading-room') : ok,
      byRoles('ecgStudies.recorded-by-clinical-staff', ['nurse', 'doctor'], 'ecg-recorded-by-clinical-staff'),
      (master, next, author, facts) => {
        if (master && master.readingState === next.readingState) return ok;
        const state = next.readingState;
        if (state === 'queued' || state === 'uploading') return ok;
        if (state === 'received' && facts.studyFileAtHub) return ok;
        return refuse('ecgStudies.reading-state-by-the-hub', 'reading-state-by-the-hub');
      },
    ),
  },
  ecgReports: {
    summary: 'Signed only through the reading room (claim, then sign: the hub stamps signer and time); a 危急值 is acknowledged only through the hub (it stamps who and when); cardiologists of the ECG centre may keep unsigned drafts.',
    check: all(
      (_master, next) =>
        next.signedAt != null || next.signedBy != null ? refuse('ecgReports.signed-through-the-reading-room', 'report-signed-through-reading-room') : ok,
      (_master, next) =>
        next.acknowledgedAt != null || next.acknowledgedBy != null ? refuse('ecgReports.acknowledged-through-the-hub', 'report-acknowledged-through-the-hub') : ok,
      (_master, _next, author) =>
        author.institutionKind === 'ecg_center' && author.role === 'cardiologist'
          ? ok
          : refuse('ecgReports.drafts-by-cardiologists', 'report-drafts-by-cardiologists'),
    ),
  },
  recognitionEvents: {
    summary: 'Recorded by the doctor who ordered, in their own name.',
    check: all(
      byRoles('recognitionEvents.by-doctors', ['doctor'], 'recognition-by-doctors'),
      namesTheAuthor('recognitionEvents.by-the-writer', 'by', 'recognition-by-the-writer'),
    ),
  },
};

/**
 * May `author` write `next` over `master` (undefined for an insert)? A deletion (tombstone) is judged
 * like the write that made the record: only who may write it may delete it.
 */
export const checkRoles = (collection: CollectionName, master: Doc | undefined, next: Doc, author: Author, facts: WriteFacts = {}): RoleCheck =>
  roleRules[collection].check(master, next, author, facts);
