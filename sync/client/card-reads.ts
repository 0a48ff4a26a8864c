/**
 * Patients registered from a resident ID card read at this workstation, until the hub has them.
 *
 * The hub records how a treating relationship with another clinic's patient began (issue 13): a push
 * row of a patient may say `registration: 'card-read'` (sync/protocol/wire.ts), and a row that says
 * nothing counts as hand-typed. The flag is about the act at the desk, not about the record, so it is
 * not a record field (no stored-schema change, nothing for the hub to validate or other clinics to
 * pull): it is a small ledger in a local document, like the outbox. saveRecord adds the id when the
 * registration screen says the identity came from the card; the push handler sends the flag with the
 * patient's rows and drops the id once the hub accepted a push of that patient. A crash between the
 * record's write and the ledger's leaves the patient hand-typed: the weaker claim, never a false one.
 */
import type { LocalDatabase } from './database.ts';

const CARD_READS_DOC = 'sync-card-reads';

export class CardReads {
  private readonly ids: Set<string>;
  private persistQueue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: LocalDatabase,
    ids: readonly string[],
  ) {
    this.ids = new Set(ids);
  }

  static async open(db: LocalDatabase): Promise<CardReads> {
    const stored = await db.getLocal<{ ids: string[] }>(CARD_READS_DOC);
    const ids = stored?.get('ids') as string[] | undefined;
    return new CardReads(db, Array.isArray(ids) ? ids : []);
  }

  has(patientId: string): boolean {
    return this.ids.has(patientId);
  }

  /** Every id still waiting (the encrypted-database move copies them). */
  list(): string[] {
    return [...this.ids];
  }

  add(patientIds: readonly string[]): Promise<unknown> {
    const before = this.ids.size;
    for (const id of patientIds) this.ids.add(id);
    return this.ids.size > before ? this.persist() : this.persistQueue;
  }

  remove(patientIds: readonly string[]): Promise<unknown> {
    let removed = false;
    for (const id of patientIds) removed = this.ids.delete(id) || removed;
    return removed ? this.persist() : this.persistQueue;
  }

  private persist(): Promise<unknown> {
    const ids = [...this.ids];
    // Serialised so an older list never overwrites a newer one.
    this.persistQueue = this.persistQueue.then(() => (this.db.closed ? undefined : this.db.upsertLocal(CARD_READS_DOC, { ids }))).catch(() => undefined);
    return this.persistQueue;
  }
}

const ledgers = new WeakMap<LocalDatabase, Promise<CardReads>>();
export const cardReadsOf = (db: LocalDatabase): Promise<CardReads> => {
  let ledger = ledgers.get(db);
  if (!ledger) ledgers.set(db, (ledger = CardReads.open(db)));
  return ledger;
};
