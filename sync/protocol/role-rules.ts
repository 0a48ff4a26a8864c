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

export type RoleCheck = { ok: true } | { ok: false; rule: string; message: string; messageZh: string };

type Doc = Record<string, unknown> & { id: string; institutionId: string; _deleted?: boolean };

export interface RoleRule {
  /** One line for people and the docs. */
  summary: string;
  check(master: Doc | undefined, next: Doc, author: Author, facts: WriteFacts): RoleCheck;
}

const ok: RoleCheck = { ok: true };
const refuse = (rule: string, message: string, messageZh: string): RoleCheck => ({ ok: false, rule, message, messageZh });

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
const namesTheAuthor = (rule: string, field: string, label: { en: string; zh: string }) => (master: Doc | undefined, next: Doc, author: Author) =>
  changed(master, next, field, '') && next[field] !== '' && next[field] !== author.userId
    ? refuse(rule, `${label.en} must be the signed-in user (the hub records who writes)`, `${label.zh}必须是当前登录用户本人`)
    : ok;

const byRoles = (rule: string, roles: StaffRole[], what: { en: string; zh: string }) => (_master: Doc | undefined, _next: Doc, author: Author) =>
  isAny(author, ...roles) ? ok : refuse(rule, `${what.en}: ${roles.join(' or ')} only`, `${what.zh}（仅限${roles.map((r) => roleZh[r]).join('或')}）`);

const roleZh: Record<StaffRole, string> = { nurse: '护士', doctor: '医生', cardiologist: '心电医生', administrator: '管理员' };

/** Visit fields only a doctor writes (the clinical record and its closing), with their blank values. */
const DOCTOR_VISIT_FIELDS: Record<string, unknown> = { diagnoses: [], notes: '', doctorId: '', closedAt: null, amendments: [] };

type Amendment = { id: string; by: string };

export const roleRules: Record<CollectionName, RoleRule> = {
  patients: {
    summary: 'Registered and edited by clinic nurses and doctors (identity fields: see the master-patient index rules).',
    check: byRoles('patients.registered-by-clinical-staff', ['nurse', 'doctor'], { en: 'Patients are registered by clinical staff', zh: '患者由临床人员登记' }),
  },
  visits: {
    summary: 'Nurses queue visits (complaint, vitals, cancel); diagnoses, notes, the doctor, closing and amendments are written by doctors, as themselves.',
    check: all(
      byRoles('visits.written-by-clinical-staff', ['nurse', 'doctor'], { en: 'Visits are written by clinical staff', zh: '就诊记录由临床人员填写' }),
      (master, next, author) => {
        if (author.role === 'doctor') return ok;
        const doctorField = Object.keys(DOCTOR_VISIT_FIELDS).find((f) => changed(master, next, f, DOCTOR_VISIT_FIELDS[f]));
        const startsConsultation = changed(master, next, 'status', 'waiting') && (next.status === 'in-consultation' || next.status === 'closed');
        if (doctorField || startsConsultation)
          return refuse(
            'visits.clinical-record-by-doctors',
            `Only a doctor writes ${doctorField ?? 'the consultation status'} of a visit`,
            `就诊的${doctorField ? (visitFieldZh[doctorField] ?? doctorField) : '接诊状态'}只能由医生填写`,
          );
        return ok;
      },
      namesTheAuthor('visits.doctor-is-the-writer', 'doctorId', { en: 'The visit doctor', zh: '接诊医生' }),
      (master, next, author) => {
        const known = new Set(((master?.amendments as Amendment[] | undefined) ?? []).map((a) => a.id));
        const added = ((next.amendments as Amendment[] | undefined) ?? []).filter((a) => !known.has(a.id));
        return added.some((a) => a.by !== author.userId)
          ? refuse('visits.amendment-by-its-author', 'An amendment is written in the name of the signed-in doctor', '更正记录只能以当前登录医生本人名义添加')
          : ok;
      },
    ),
  },
  orders: {
    summary: 'Ordered (and the recognition decision taken) by doctors, in their own name.',
    check: all(
      byRoles('orders.by-doctors', ['doctor'], { en: 'Tests are ordered by doctors', zh: '检查检验由医生开具' }),
      namesTheAuthor('orders.ordered-by-the-writer', 'orderedBy', { en: 'The ordering doctor', zh: '开单医生' }),
    ),
  },
  results: {
    summary: 'Results come from a lab by FHIR (the hub writes those) or are typed by a doctor; a typed result never carries the lab\'s "HR" quality mark.',
    check: all(
      byRoles('results.from-fhir-or-doctor', ['doctor'], { en: 'Results are posted by a lab (FHIR) or typed by a doctor', zh: '检查检验结果由实验室（FHIR）上传或由医生录入' }),
      (_master, next) =>
        next.hrMark === true
          ? refuse('results.hr-mark-from-lab', 'Only a quality-controlled lab (by FHIR) marks a result "HR"', '“HR”互认标识只能由质控合格的实验室通过 FHIR 上传')
          : ok,
    ),
  },
  ecgStudies: {
    summary: 'Recorded by clinic nurses and doctors; replication moves the reading state only to "uploading" (or "received" once the file is at the hub); reading and reporting go through the reading room.',
    check: all(
      (_master, _next, author) =>
        author.institutionKind === 'ecg_center'
          ? refuse('ecgStudies.reading-state-by-the-hub', 'The ECG centre reads through claim and sign, not by replicating studies', '心电中心须通过认领和签发阅片，不能直接同步修改检查')
          : ok,
      byRoles('ecgStudies.recorded-by-clinical-staff', ['nurse', 'doctor'], { en: 'ECGs are recorded by clinic nurses and doctors', zh: '心电图由卫生院护士或医生采集' }),
      (master, next, author, facts) => {
        if (master && master.readingState === next.readingState) return ok;
        const state = next.readingState;
        if (state === 'queued' || state === 'uploading') return ok;
        if (state === 'received' && facts.studyFileAtHub) return ok;
        return refuse(
          'ecgStudies.reading-state-by-the-hub',
          'The reading state past "uploading" is set by the hub (file received, claimed, reported), never by replication',
          '心电检查的阅片状态（已接收、阅片中、已报告）由平台设置，不能通过同步写入',
        );
      },
    ),
  },
  ecgReports: {
    summary: 'Signed only through the reading room (claim, then sign: the hub stamps signer and time); cardiologists of the ECG centre may keep unsigned drafts.',
    check: all(
      (_master, next) =>
        next.signedAt != null || next.signedBy != null
          ? refuse('ecgReports.signed-through-the-reading-room', 'A report is signed through the reading room, which checks the claim on the study', '报告须在阅片室认领检查后签发，不能通过同步直接写入')
          : ok,
      (_master, _next, author) =>
        author.institutionKind === 'ecg_center' && author.role === 'cardiologist'
          ? ok
          : refuse('ecgReports.drafts-by-cardiologists', 'Report drafts are written by the ECG centre\'s cardiologists', '报告草稿只能由心电中心医生书写'),
    ),
  },
  recognitionEvents: {
    summary: 'Recorded by the doctor who ordered, in their own name.',
    check: all(
      byRoles('recognitionEvents.by-doctors', ['doctor'], { en: 'Recognition decisions are taken by doctors', zh: '互认决定由医生作出' }),
      namesTheAuthor('recognitionEvents.by-the-writer', 'by', { en: 'The deciding doctor', zh: '作出互认决定的医生' }),
    ),
  },
};

const visitFieldZh: Record<string, string> = { diagnoses: '诊断', notes: '病历记录', doctorId: '接诊医生', closedAt: '结束时间', amendments: '更正记录' };

/**
 * May `author` write `next` over `master` (undefined for an insert)? A deletion (tombstone) is judged
 * like the write that made the record: only who may write it may delete it.
 */
export const checkRoles = (collection: CollectionName, master: Doc | undefined, next: Doc, author: Author, facts: WriteFacts = {}): RoleCheck =>
  roleRules[collection].check(master, next, author, facts);
