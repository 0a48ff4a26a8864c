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
 * folds it into a statement of its own (a push's last statement, replication/push.ts).
 */
export function auditInsert(who: AuditWho, entries: AuditEntry[], firstParam: number): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const tuples = entries.map((e, i) => {
    values.push(who?.institutionId ?? null, who?.userId ?? null, who?.workstationId ?? null, e.action, e.collection ?? null, e.recordId ?? null, e.patientId ?? null, e.patientIds ?? null, e.detail ?? null);
    const b = firstParam - 1 + i * 9;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9})`;
  });
  return { sql: `insert into audit_log (institution_id, user_id, workstation_id, action, collection, record_id, patient_id, patient_ids, detail) values ${tuples.join(', ')}`, values };
}
