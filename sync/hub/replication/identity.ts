/**
 * Identity protection of master patients (issue 13, item 2). The conflict rule (sync/protocol/
 * conflicts.ts) refuses an identity change from outside the home institution; this records what was
 * proposed — from an edit elsewhere, or a duplicate registration whose card or form says otherwise —
 * for the county's patient-index administrator (routes/patient-index.ts), so nothing is lost and
 * nothing is silently overwritten. Kept apart from the push route so the write path can change shape.
 */
import type { Queryable } from '../db/database.ts';
import type { Caller } from '../auth/authenticate.ts';
import { appendAudit } from '../audit.ts';
import { identityChanged } from '../../protocol/conflicts.ts';
import type { Doc } from './store.ts';

/** The fields a discrepancy proposes; pinyin keys follow the name and are recomputed on acceptance. */
const PROPOSABLE = new Set(['name', 'sex', 'birthDate', 'documentType', 'idNumber']);

export async function recordIdentityDiscrepancy(
  tx: Queryable,
  master: Doc,
  proposedBy: Doc,
  source: 'edit' | 'duplicate-registration',
  caller: Pick<Caller, 'institutionId' | 'userId' | 'workstationId'>,
  registration: string | null = null,
): Promise<string[]> {
  const fields = identityChanged(master, proposedBy).filter((f) => PROPOSABLE.has(f));
  if (fields.length === 0) return [];
  const proposed = Object.fromEntries(fields.map((f) => [f, proposedBy[f]]));
  // One open discrepancy per source record and proposal: a retried push does not file it twice.
  const { rowCount } = await tx.query(
    `select 1 from identity_discrepancies where master_patient_id = $1 and source_record_id = $2 and resolved_at is null and proposed = $3::jsonb`,
    [master.id, proposedBy.id, JSON.stringify(proposed)],
  );
  if (rowCount > 0) return fields;
  await tx.query(
    `insert into identity_discrepancies (master_patient_id, source_record_id, source, registration, reported_by_institution, reported_by_user, proposed)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [master.id, proposedBy.id, source, registration, caller.institutionId, caller.userId, JSON.stringify(proposed)],
  );
  // The audit names the fields, never their values.
  await appendAudit(tx, caller, [{ action: 'refused', collection: 'patients', recordId: proposedBy.id, patientId: master.id, detail: { rule: 'patients.identity-at-home-institution', discrepancy: fields, source } }]);
  return fields;
}
