/**
 * The role check of every replicated write, kept apart from the push route's storage so the write
 * path can be restructured (set-based inserts) without touching who may write what: the route calls
 * `guardRoles` once per row it is about to store. The rules themselves are declared in
 * sync/protocol/role-rules.ts; this file only gathers the facts they need and turns a refusal into
 * a 403 naming the rule and the row.
 */
import type { Queryable } from '../db/database.ts';
import type { Caller } from '../auth/authenticate.ts';
import type { CollectionName } from '../../../core/records/index.ts';
import { checkRoles, type Author, type WriteFacts } from '../../protocol/role-rules.ts';
import { errors } from '../errors.ts';
import type { Doc } from './store.ts';

export const authorOf = (caller: Caller): Author => ({
  userId: caller.userId,
  role: caller.role,
  institutionId: caller.institutionId,
  institutionKind: caller.institutionKind,
});

async function factsFor(tx: Queryable, collection: CollectionName, master: Doc | undefined, next: Doc): Promise<WriteFacts> {
  if (collection !== 'ecgStudies' || next.readingState !== 'received' || master?.readingState === 'received') return {};
  const { rowCount } = await tx.query('select 1 from blob_owners where sha256 = $1 and institution_id = $2', [next.dicomSha256, next.institutionId]);
  return { studyFileAtHub: rowCount > 0 };
}

/** Throws 403 forbidden naming the rule when the signed-in user may not write `next`. */
export async function guardRoles(tx: Queryable, collection: CollectionName, master: Doc | undefined, next: Doc, caller: Caller): Promise<void> {
  const check = checkRoles(collection, master, next, authorOf(caller), await factsFor(tx, collection, master, next));
  if (!check.ok) throw errors.refusedByRule(check.rule, check.reason, [next.id]);
}
