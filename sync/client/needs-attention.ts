/**
 * Records the hub refused ("needs attention" on the sync screen). A refusal (a 4xx naming the row:
 * validation failed, another institution's patient, a rule the writer may not break) will not change
 * by retrying, so the sync client sets the record aside here with the hub's own words, keeps pushing
 * the rest of the collection, and leaves the record out of pushes until it is edited (a new
 * `updatedAt`, or a deletion), which ends the set-aside: the edited record is pushed again.
 *
 * Kept as a local document so the list survives a reload. An entry holds ids, the hub's message and
 * the hub's state of the record at the refusal (needed to push the edited record against the right
 * master state; sealed like a draft in an encrypted database) — never the refused content itself,
 * which stays in its collection.
 */
import { BehaviorSubject, type Observable } from 'rxjs';
import type { CollectionName } from '../../core/records/index.ts';
import type { LocalDatabase } from './database.ts';
import type { SyncErrorCode } from './hub-http.ts';
import { openJson, sealJson, type Sealed } from './local-seal.ts';

const LEDGER_DOC = 'sync-needs-attention';

export interface RefusalIssue {
  path: string;
  message: string;
  messageZh: string;
}

export interface RefusedRecord {
  collection: CollectionName;
  id: string;
  /** The refused version (`updatedAt` and deletion): an edit changes it and ends the set-aside. */
  version: string;
  /**
   * What the hub held when it refused the push (null: nothing). RxDB marks a set-aside row as
   * replicated, so when the edited record goes up again this, not RxDB's idea, is the assumed master.
   */
  assumedMasterState: Record<string, unknown> | null;
  code: SyncErrorCode;
  status: number;
  message: string;
  messageZh: string;
  /** Which fields broke which rule (validation refusals; no values). */
  issues?: RefusalIssue[];
  refusedAt: string;
}

type StoredRecord = RefusedRecord & { assumedMasterSealed?: Sealed };

const keyOf = (collection: CollectionName, id: string) => `${collection}\u0001${id}`;

/** The version a refusal is recorded against: a later local save has another updatedAt. */
export const versionOf = (doc: Record<string, unknown>): string => `${String(doc.updatedAt ?? '')}${doc._deleted === true ? '|deleted' : ''}`;

export class NeedsAttention {
  private readonly entries = new Map<string, RefusedRecord>();
  private readonly list = new BehaviorSubject<readonly RefusedRecord[]>([]);
  private persistQueue: Promise<unknown> = Promise.resolve();
  readonly list$: Observable<readonly RefusedRecord[]> = this.list.asObservable();

  private constructor(private readonly db: LocalDatabase) {}

  static async open(db: LocalDatabase): Promise<NeedsAttention> {
    const ledger = new NeedsAttention(db);
    const stored = await db.getLocal<{ records: StoredRecord[] }>(LEDGER_DOC);
    for (const { assumedMasterSealed, ...r } of (stored?.get('records') as StoredRecord[] | undefined) ?? []) {
      const assumedMasterState = assumedMasterSealed ? ((await openJson(db, assumedMasterSealed)) as RefusedRecord['assumedMasterState'] | undefined) : r.assumedMasterState;
      // Unreadable (a closed database): the record is pushed again when edited and the hub answers with a conflict.
      ledger.entries.set(keyOf(r.collection, r.id), { ...r, assumedMasterState: assumedMasterState ?? null });
    }
    ledger.publish();
    return ledger;
  }

  get records(): readonly RefusedRecord[] {
    return this.list.getValue();
  }

  get(collection: CollectionName, id: string): RefusedRecord | undefined {
    return this.entries.get(keyOf(collection, id));
  }

  has(collection: CollectionName, id: string): boolean {
    return this.entries.has(keyOf(collection, id));
  }

  setAside(records: readonly RefusedRecord[]): Promise<unknown> {
    for (const r of records) this.entries.set(keyOf(r.collection, r.id), r);
    return this.changed();
  }

  release(collection: CollectionName, ids: readonly string[]): Promise<unknown> {
    let removed = false;
    for (const id of ids) removed = this.entries.delete(keyOf(collection, id)) || removed;
    return removed ? this.changed() : this.persistQueue;
  }

  private publish() {
    this.list.next([...this.entries.values()].sort((a, b) => a.refusedAt.localeCompare(b.refusedAt)));
  }

  private changed(): Promise<unknown> {
    this.publish();
    const entries = [...this.entries.values()];
    // Serialised so an older list never overwrites a newer one.
    this.persistQueue = this.persistQueue
      .then(async () => {
        if (this.db.closed) return;
        const records = await Promise.all(entries.map((r) => this.toStored(r)));
        await this.db.upsertLocal(LEDGER_DOC, { records });
      })
      .catch(() => undefined);
    return this.persistQueue;
  }

  private async toStored(r: RefusedRecord): Promise<StoredRecord> {
    if (!r.assumedMasterState) return r;
    const sealed = await sealJson(this.db, r.assumedMasterState);
    return sealed ? { ...r, assumedMasterState: null, assumedMasterSealed: sealed } : r;
  }
}

const ledgers = new WeakMap<LocalDatabase, Promise<NeedsAttention>>();
export const needsAttentionOf = (db: LocalDatabase): Promise<NeedsAttention> => {
  let ledger = ledgers.get(db);
  if (!ledger) ledgers.set(db, (ledger = NeedsAttention.open(db)));
  return ledger;
};
