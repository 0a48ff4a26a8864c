/**
 * Refused attempts on patient data are audited (等级保护 security audit): a 403 rolls its transaction
 * back, so the audit entry is written afterwards, on its own, naming the rule and the refused
 * documents (ids only, never contents).
 */
import type { HubContext } from '../context.ts';
import type { Caller } from '../auth/authenticate.ts';
import { appendAudit } from '../audit.ts';
import { HubError } from '../errors.ts';

export async function auditingRefusals<T>(ctx: HubContext, caller: Caller, collection: string | null, work: () => Promise<T>, patientId: string | null = null): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HubError && error.code === 'forbidden') {
      const ids = error.details?.documentIds ?? [];
      await appendAudit(ctx.db, caller, [
        { action: 'refused', collection, recordId: ids[0] ?? null, patientId, detail: { rule: error.details?.rule ?? null, documentIds: ids.slice(0, 50), message: error.message.slice(0, 300) } },
      ]);
    }
    throw error;
  }
}
