/**
 * Writing records. The only write path the UI uses: it validates with the shared zod schema (so an
 * invalid record is refused with a typed, bilingual error and nothing is written), applies the
 * shared write rules (a closed visit only takes amendments), and resolves only after the storage has
 * committed the write — on Dexie, when the IndexedDB transaction completed.
 */
import { nowIso, validateRecord, type CollectionName, type RecordTypes } from '../../core/records/index.ts';
import { checkWrite, type WireDocument, type Writer } from '../protocol/index.ts';
import type { LocalDatabase } from './database.ts';
import { RecordValidationError, RecordWriteRefusedError } from './errors.ts';
import { outboxOf } from './outbox.ts';
import { cardReadsOf } from './card-reads.ts';
import type { RegistrationMethod } from '../protocol/wire.ts';

export interface SaveOptions {
  /** Who writes; the write rules are checked for this institution and role. */
  writer: Writer;
  /**
   * Patients only: 'card-read' when the identity came from the resident ID card read at this desk.
   * Remembered until the hub accepted the patient and sent with its push rows (card-reads.ts).
   */
  registration?: RegistrationMethod | undefined;
}

const asWire = <C extends CollectionName>(doc: RecordTypes[C], deleted = false) => ({ ...doc, _deleted: deleted }) as WireDocument<C>;

const validated = <C extends CollectionName>(collection: C, data: RecordTypes[C]): RecordTypes[C] => {
  const outcome = validateRecord(collection, { ...data, updatedAt: nowIso() });
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
};

/** Applies the shared write rules against the stored versions (the local copy of the master). */
const checkAgainstStored = async <C extends CollectionName>(db: LocalDatabase, collection: C, values: readonly RecordTypes[C][], writer: Writer) => {
  const stored = await db[collection].findByIds(values.map((v) => v.id)).exec();
  for (const value of values) {
    const existing = stored.get(value.id);
    const master = existing ? asWire<C>(existing.toMutableJSON(false) as RecordTypes[C]) : undefined;
    const verdict = checkWrite(collection, master, asWire<C>(value), writer);
    if (!verdict.ok) throw new RecordWriteRefusedError(collection, verdict.reason);
  }
};

const prepare = async <C extends CollectionName>(db: LocalDatabase, collection: C, data: RecordTypes[C], writer: Writer): Promise<RecordTypes[C]> => {
  const value = validated(collection, data);
  await checkAgainstStored(db, collection, [value], writer);
  return value;
};

/** Creates or replaces one record. Resolves with the stored record (computed fields filled in). */
export async function saveRecord<C extends CollectionName>(db: LocalDatabase, collection: C, data: RecordTypes[C], options: SaveOptions): Promise<RecordTypes[C]> {
  const value = await prepare(db, collection, data, options.writer);
  const doc = await (db[collection] as unknown as { upsert(d: unknown): Promise<{ toMutableJSON(w: false): RecordTypes[C] }> }).upsert(value);
  if (collection === 'patients' && options.registration === 'card-read') await (await cardReadsOf(db)).add([value.id]);
  await (await outboxOf(db)).add(collection, [value.id]);
  return doc.toMutableJSON(false);
}

/**
 * Creates or replaces many records in one storage transaction (a day's import, test fixtures).
 * All are validated first: one invalid record refuses the whole batch and nothing is written.
 */
export async function saveRecords<C extends CollectionName>(db: LocalDatabase, collection: C, data: readonly RecordTypes[C][], options: SaveOptions): Promise<number> {
  const values: RecordTypes[C][] = [];
  const issues: RecordValidationError['issues'] = [];
  for (const [i, d] of data.entries()) {
    try {
      values.push(validated(collection, d));
    } catch (e) {
      if (e instanceof RecordValidationError) issues.push(...e.issues.map((x) => ({ ...x, path: `${i}.${x.path}` })));
      else throw e;
    }
  }
  if (issues.length > 0) throw new RecordValidationError(collection, issues);
  await checkAgainstStored(db, collection, values, options.writer);
  const result = await (db[collection] as unknown as { bulkUpsert(d: unknown[]): Promise<{ error: unknown[] }> }).bulkUpsert(values);
  if (result.error.length > 0) throw new Error(`${result.error.length} of ${values.length} ${collection} records could not be stored`);
  await (await outboxOf(db)).add(collection, values.map((v) => v.id));
  return values.length;
}

/** Marks a record deleted (a tombstone that replicates). Refused where the rules forbid it. */
export async function deleteRecord(db: LocalDatabase, collection: CollectionName, id: string, options: SaveOptions): Promise<void> {
  const doc = await db[collection].findOne(id).exec();
  if (!doc) return;
  const current = doc.toMutableJSON(false) as RecordTypes[typeof collection];
  const verdict = checkWrite(collection, asWire(current), asWire(current, true), options.writer);
  if (!verdict.ok) throw new RecordWriteRefusedError(collection, verdict.reason);
  await doc.remove();
  await (await outboxOf(db)).add(collection, [id]);
}

export async function getRecord<C extends CollectionName>(db: LocalDatabase, collection: C, id: string): Promise<RecordTypes[C] | undefined> {
  const doc = await db[collection].findOne(id).exec();
  return doc ? (doc.toMutableJSON(false) as RecordTypes[C]) : undefined;
}
