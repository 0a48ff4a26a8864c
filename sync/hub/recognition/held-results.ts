/**
 * Results for people the medical community has not registered (yet): accepted and held, never
 * refused, so a FHIR answer does not tell its sender whether an ID number is known (issue 13, item 1).
 * When a clinic registers the patient, the held results are filed under them as ordinary `results`
 * records. Filing never links the posting hospital to the patient: a result grants no access.
 */
import type { Queryable } from '../db/database.ts';
import { appendAudit } from '../audit.ts';
import type { ChangeSet} from '../replication/store.ts';
import { writeRecord, type Doc } from '../replication/store.ts';
import { masterPatientOf } from '../replication/scope.ts';
import type { SubjectRef } from './fhir-results.ts';

export async function holdResult(tx: Queryable, subject: SubjectRef, doc: Doc, postedBy: string | null): Promise<void> {
  await tx.query(
    `insert into held_results (result_id, institution_id, subject_kind, subject_value, doc, posted_by_user) values ($1, $2, $3, $4, $5, $6)
     on conflict (result_id) do update set doc = excluded.doc, subject_kind = excluded.subject_kind, subject_value = excluded.subject_value, received_at = now()`,
    [doc.id, doc.institutionId, subject.kind, subject.value, doc, postedBy],
  );
}

/** A held result taken off hold, as the statement of takeHeldResults returns it. */
export interface TakenResult {
  result_id: string;
  doc: Doc;
  posted_by_user: string | null;
  institution_id: string;
  subject_kind: string;
  subject_value: string;
}

/**
 * The statement that takes the results held for patients just written (by resident ID number or hub
 * patient id) off hold, returning them, with its parameters numbered from `firstParam`: a push folds it
 * into its closing statement (replication/push.ts), since usually none are held. Null for no live patient.
 */
export function takeHeldResults(patients: Doc[], firstParam: number): { sql: string; values: unknown[] } | null {
  const live = patients.filter((p) => !p._deleted);
  if (live.length === 0) return null;
  const residentIds = live.filter((p) => p.documentType === 'resident').map((p) => p.idNumber as string);
  return {
    sql: `delete from held_results
           where (subject_kind = 'resident-id' and subject_value = any($${firstParam})) or (subject_kind = 'patient-id' and subject_value = any($${firstParam + 1}))
           returning result_id, doc, posted_by_user, institution_id, subject_kind, subject_value`,
    values: [residentIds, live.map((p) => p.id)],
  };
}

/** Files results taken off hold (takeHeldResults) under the patients they were held for, as ordinary `results` records. */
export async function fileTakenResults(tx: Queryable, changes: ChangeSet, patients: Doc[], taken: TakenResult[]): Promise<void> {
  if (taken.length === 0) return;
  const live = patients.filter((p) => !p._deleted);
  const patientFor = (row: TakenResult) =>
    live.find((p) => (row.subject_kind === 'patient-id' ? p.id === row.subject_value : p.documentType === 'resident' && p.idNumber === row.subject_value))!;
  const audit = [];
  for (const row of taken) {
    const patientId = await masterPatientOf(tx, patientFor(row).id);
    await writeRecord(tx, changes, 'results', { ...row.doc, patientId, _deleted: false }, { userId: row.posted_by_user, workstationId: null });
    audit.push({ action: 'create' as const, collection: 'results', recordId: row.result_id, patientId, detail: { via: 'fhir', filedFromHold: true, postedBy: row.institution_id } });
  }
  await appendAudit(tx, null, audit);
}
