/**
 * Pending outgoing changes, for the sync-status panel ("3 changes not yet sent"). RxDB replication
 * does not expose this count, so the workstation keeps a small ledger: saveRecord adds the written
 * document's id, the push handler removes it once the hub has accepted that very state (or the
 * conflict rules resolved to the hub's version, so there is nothing left to send). The ledger is a
 * local document, so the count is right after a reload too.
 */
import { BehaviorSubject, type Observable } from 'rxjs';
import type { CollectionName } from '../../core/records/index.ts';
import type { LocalDatabase } from './database.ts';

const OUTBOX_DOC = 'sync-outbox';
type Ledger = Partial<Record<CollectionName, string[]>>;

export class Outbox {
  private readonly pending = new Map<CollectionName, Set<string>>();
  private readonly count = new BehaviorSubject(0);
  private persistQueue: Promise<unknown> = Promise.resolve();
  readonly count$: Observable<number> = this.count.asObservable();

  private constructor(private readonly db: LocalDatabase) {}

  static async open(db: LocalDatabase): Promise<Outbox> {
    const box = new Outbox(db);
    const stored = await db.getLocal<{ ledger: Ledger }>(OUTBOX_DOC);
    const ledger = stored?.get('ledger') as Ledger | undefined;
    for (const [collection, ids] of Object.entries(ledger ?? {})) box.pending.set(collection as CollectionName, new Set(ids));
    box.publish();
    return box;
  }

  get size(): number {
    return this.count.getValue();
  }

  has(collection: CollectionName, id: string): boolean {
    return this.pending.get(collection)?.has(id) ?? false;
  }

  add(collection: CollectionName, ids: readonly string[]): Promise<unknown> {
    let set = this.pending.get(collection);
    if (!set) this.pending.set(collection, (set = new Set()));
    for (const id of ids) set.add(id);
    return this.changed();
  }

  remove(collection: CollectionName, ids: readonly string[]): Promise<unknown> {
    const set = this.pending.get(collection);
    if (!set) return this.persistQueue;
    let removed = false;
    for (const id of ids) removed = set.delete(id) || removed;
    return removed ? this.changed() : this.persistQueue;
  }

  private publish() {
    let n = 0;
    for (const set of this.pending.values()) n += set.size;
    this.count.next(n);
  }

  private changed(): Promise<unknown> {
    this.publish();
    const ledger: Ledger = {};
    for (const [c, set] of this.pending) ledger[c] = [...set];
    // Serialised so an older ledger never overwrites a newer one.
    this.persistQueue = this.persistQueue.then(() => (this.db.closed ? undefined : this.db.upsertLocal(OUTBOX_DOC, { ledger }))).catch(() => undefined);
    return this.persistQueue;
  }
}

const outboxes = new WeakMap<LocalDatabase, Promise<Outbox>>();
export const outboxOf = (db: LocalDatabase): Promise<Outbox> => {
  let box = outboxes.get(db);
  if (!box) outboxes.set(db, (box = Outbox.open(db)));
  return box;
};
