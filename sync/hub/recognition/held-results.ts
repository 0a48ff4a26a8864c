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

/** Files the results held for a patient just written (by resident ID number or hub patient id). */
export async function fileHeldResults(tx: Queryable, changes: ChangeSet, patient: Doc): Promise<number> {
  if (patient._deleted) return 0;
  const { rows } = await tx.query<{ result_id: string; doc: Doc; posted_by_user: string | null; institution_id: string }>(
    `delete from held_results
      where (subject_kind = 'resident-id' and subject_value = $1 and $2 = 'resident') or (subject_kind = 'patient-id' and subject_value = $3)
      returning result_id, doc, posted_by_user, institution_id`,
    [patient.idNumber, patient.documentType, patient.id],
  );
  if (rows.length === 0) return 0;
  const patientId = await masterPatientOf(tx, patient.id);
  for (const row of rows) {
    await writeRecord(tx, changes, 'results', { ...row.doc, patientId, _deleted: false }, { userId: row.posted_by_user, workstationId: null });
  }
  await appendAudit(
    tx,
    null,
    rows.map((r) => ({ action: 'create' as const, collection: 'results', recordId: r.result_id, patientId, detail: { via: 'fhir', filedFromHold: true, postedBy: r.institution_id } })),
  );
  return rows.length;
}
