/** Appends to the audit trail (审计日志). The table refuses updates and deletes (migration 004). */
import type { Queryable } from './db/database.ts';
import type { Caller } from './auth/authenticate.ts';

export type AuditAction =
  | 'read'
  | 'create'
  | 'update'
  | 'delete'
  | 'merge'
  | 'refused'
  | 'blob_read'
  | 'blob_write'
  | 'login'
  | 'login_failed'
  | 'enrol'
  | 'admin'
  /** An institution's first access to another institution's patient (how it began in detail). */
  | 'first_access'
  /** Break the glass: a doctor opened a patient they had no relationship with, giving a reason. */
  | 'emergency_access'
  /** An account locked after repeated wrong passwords. */
  | 'lockout';

export interface AuditEntry {
  action: AuditAction;
  collection?: string | null;
  recordId?: string | null;
  patientId?: string | null;
  /** Several patients in one entry (a pull hands out many): searchable like patientId. */
  patientIds?: string[] | null;
  detail?: Record<string, unknown> | null;
}

export async function appendAudit(
  db: Queryable,
  who: AuditWho,
  entries: AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  // One multi-row insert per call: a pull of 500 records is one statement, not 500.
  const { sql, values } = auditInsert(who, entries, 1);
  await db.query(sql, values);
}

type AuditWho = { institutionId: string; userId: string | null; workstationId: string | null } | Pick<Caller, 'institutionId' | 'userId' | 'workstationId'> | null;

/**
 * The insert appendAudit runs, with its parameters numbered from `firstParam`: for a caller that
 * folds it into a statement of its own (a push's last statement, replication/push.ts). The entries
 * travel as one JSON parameter, so the statement's text is the same for one entry or two hundred:
 * prepared once per connection, and planned in microseconds (a VALUES list of 200 rows × 9 parameters
 * was parsed, bound and planned anew for every push of 200 records).
 */
export function auditInsert(who: AuditWho, entries: AuditEntry[], firstParam: number): { sql: string; values: unknown[] } {
  const rows = entries.map((e) => ({
    action: e.action,
    collection: e.collection ?? null,
    record_id: e.recordId ?? null,
    patient_id: e.patientId ?? null,
    patient_ids: e.patientIds ?? null,
    detail: e.detail ?? null,
  }));
  const [inst, user, ws, list] = [0, 1, 2, 3].map((i) => `$${firstParam + i}`);
  return {
    sql: `insert into audit_log (institution_id, user_id, workstation_id, action, collection, record_id, patient_id, patient_ids, detail)
          select ${inst}::text, ${user}::text, ${ws}::text, e.action, e.collection, e.record_id, e.patient_id, e.patient_ids, e.detail
            from jsonb_to_recordset(${list}::jsonb) as e(action text, collection text, record_id text, patient_id text, patient_ids text[], detail jsonb)`,
    values: [who?.institutionId ?? null, who?.userId ?? null, who?.workstationId ?? null, JSON.stringify(rows)],
  };
}
