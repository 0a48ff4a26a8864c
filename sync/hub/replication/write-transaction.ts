/**
 * Every transaction that writes replicated records runs here: a fresh ChangeSet per attempt, a
 * retry when PostgreSQL picked this transaction to break a deadlock (writers run side by side now,
 * and two pushes can lock the same patients in opposite orders), and the live-stream notice
 * once it has committed (notifier.ts).
 */
import type { Queryable } from '../db/database.ts';
import type { HubContext } from '../context.ts';
import { ChangeSet } from './store.ts';

/** deadlock_detected, serialization_failure: nothing was written, the same work may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 4;

export async function writeTransaction<T>(
  ctx: Pick<HubContext, 'db' | 'notifier'>,
  work: (tx: Queryable, changes: ChangeSet) => Promise<T>,
  options?: { urgent?: boolean },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const changes = new ChangeSet();
    try {
      const result = await ctx.db.transaction((tx) => work(tx, changes), options);
      const event = changes.toEvent();
      if (event) ctx.notifier.changed(event);
      return result;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt < ATTEMPTS && typeof code === 'string' && RETRYABLE.has(code)) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
        continue;
      }
      throw error;
    }
  }
}
