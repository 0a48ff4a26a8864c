/**
 * Drafts: half-filled forms (a registration, a visit being written) that survive a reload or a
 * crash. Kept as RxDB local documents — not replicated, not a collection (RxDB opens at most 13
 * collections), written on every change the form debounces. In an encrypted database the payload is
 * sealed with AES-GCM under a key derived from the data key (database.ts): a half-typed complaint is
 * clinical content like the saved visit.
 *
 * Writes to one draft run one after another, in the order they were called (issue 19): a form's
 * debounced save can still be in flight when the registration it belongs to discards the draft, and
 * RxDB's `remove()` of a local document writes over the revision it was read at — interleaved, the two
 * collided and RxDB threw a bare conflict object, which the nurse saw as "保存失败：[object Object]"
 * for a registration that had in fact been saved.
 */
import { z } from 'zod';
import { Sequencer } from '../../core/async/sequencer.ts';
import type { LocalDatabase } from './database.ts';
import { openJson, sealJson } from './local-seal.ts';

const DRAFT_PREFIX = 'draft:';
export const DRAFT_MAX_BYTES = 256 * 1024;

const draftKey = z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/);
const draftSchema = z.object({ savedAt: z.string(), payload: z.record(z.string(), z.unknown()) });
export type Draft<T extends Record<string, unknown> = Record<string, unknown>> = { savedAt: string; payload: T };

/** One sequencer per draft, per database; forgotten once idle, so a day of visit drafts leaves nothing behind. */
const sequencers = new WeakMap<LocalDatabase, Map<string, Sequencer>>();

/** Runs `write` after every earlier write of the same draft; a failed write does not stop the later ones. */
function inOrder(db: LocalDatabase, key: string, write: () => Promise<void>): Promise<void> {
  const perKey = sequencers.get(db) ?? sequencers.set(db, new Map()).get(db)!;
  const sequencer = perKey.get(key) ?? perKey.set(key, new Sequencer()).get(key)!;
  const done = sequencer.run(write);
  void done.catch(() => undefined).then(() => sequencer.idle && perKey.get(key) === sequencer && perKey.delete(key));
  return done;
}

export async function saveDraft(db: LocalDatabase, key: string, payload: Record<string, unknown>): Promise<void> {
  draftKey.parse(key);
  const json = JSON.stringify(payload);
  if (json.length > DRAFT_MAX_BYTES) throw new RangeError(`Draft "${key}" is larger than ${DRAFT_MAX_BYTES} bytes`);
  const savedAt = new Date().toISOString();
  // Sealing is inside the queued write too, so a slow seal cannot reorder two saves.
  return inOrder(db, key, async () => {
    const sealed = await sealJson(db, payload);
    await db.upsertLocal(DRAFT_PREFIX + key, sealed ? { savedAt, sealed } : { savedAt, payload: JSON.parse(json) as Record<string, unknown> });
  });
}

/** The draft's payload, opened if it was sealed (undefined if it cannot be). */
const payloadOf = async (db: LocalDatabase, doc: { get(field: string): unknown }): Promise<unknown> => {
  const sealed = doc.get('sealed');
  return sealed === undefined ? doc.get('payload') : openJson(db, sealed);
};

export async function loadDraft<T extends Record<string, unknown>>(db: LocalDatabase, key: string): Promise<Draft<T> | undefined> {
  const doc = await db.getLocal(DRAFT_PREFIX + draftKey.parse(key));
  if (!doc) return undefined;
  const parsed = draftSchema.safeParse({ savedAt: doc.get('savedAt'), payload: await payloadOf(db, doc) });
  return parsed.success ? (parsed.data as Draft<T>) : undefined;
}

export async function discardDraft(db: LocalDatabase, key: string): Promise<void> {
  draftKey.parse(key);
  return inOrder(db, key, async () => {
    // Read at the latest revision inside the queue: nothing of this workstation writes the draft meanwhile.
    const doc = await db.getLocal(DRAFT_PREFIX + key);
    await doc?.remove();
  });
}
