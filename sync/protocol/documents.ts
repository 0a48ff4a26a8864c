/**
 * Document equality as the protocol defines it: same data fields and same `_deleted`, whatever the
 * key order. RxDB's storage fields (_rev, _meta, _attachments) are not part of a replicated state.
 * The hub uses it for "is assumedMasterState the master?", the client's conflict handler for isEqual.
 */
const LOCAL_FIELDS = new Set(['_rev', '_meta', '_attachments']);

export const deepEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  // An absent key and an undefined value are the same state (JSON drops both).
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) if (!deepEqual(ra[k], rb[k])) return false;
  return true;
};

/** The replicated state of a document: everything but RxDB's local bookkeeping; `_deleted` defaults to false. */
export const replicatedState = <T extends object>(doc: T): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!LOCAL_FIELDS.has(k) && v !== undefined) out[k] = v;
  out._deleted = out._deleted === true;
  return out;
};

export const sameDocumentState = (a: object | null | undefined, b: object | null | undefined): boolean => {
  if (!a || !b) return !a && !b;
  return deepEqual(replicatedState(a), replicatedState(b));
};
