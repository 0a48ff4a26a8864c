/**
 * RecordRepository over the sync client's local database (sync/client: RxDB on Dexie/IndexedDB).
 * Writes go through saveRecord, which validates, applies the shared write rules and resolves after
 * the IndexedDB transaction committed; searches use the client's indexed look-ups.
 */
import type { CollectionName, RecordTypes } from '../../core/records/index.ts';
import type { Writer } from '../../sync/protocol/index.ts';
import type { LocalDatabase } from '../../sync/client/database.ts';
import { discardDraft, loadDraft, saveDraft } from '../../sync/client/drafts.ts';
import { getRecord, saveRecord } from '../../sync/client/records.ts';
import { searchPatients } from '../../sync/client/search.ts';
import type { RecordRepository } from './repository.ts';

export function syncClientRepository(db: LocalDatabase, writer: Writer): RecordRepository {
  const collection = <C extends CollectionName>(c: C) =>
    db[c] as unknown as {
      find(q: { selector: Record<string, unknown> }): { exec(): Promise<Array<{ toMutableJSON(w: false): RecordTypes[C] }>> };
      $: { subscribe(next: () => void): { unsubscribe(): void } };
    };
  return {
    get: (c, id) => getRecord(db, c, id),
    async findBy(c, field, value) {
      const docs = await collection(c).find({ selector: { [field]: value } }).exec();
      return docs.map((d) => d.toMutableJSON(false));
    },
    save: (c, record, options) => saveRecord(db, c, record, { writer, registration: options?.registration }),
    searchPatients: (query, limit) => searchPatients(db, query, limit),
    async visitsOn(visitDate) {
      const docs = await collection('visits').find({ selector: { visitDate } }).exec();
      return docs.map((d) => d.toMutableJSON(false));
    },
    onChange(c, listener) {
      const sub = collection(c).$.subscribe(() => listener());
      return () => sub.unsubscribe();
    },
    drafts: {
      async get<T>(key: string) {
        return ((await loadDraft<{ value: T & Record<string, unknown> }>(db, key))?.payload.value) as T | undefined;
      },
      set: (key, value) => saveDraft(db, key, { value }),
      remove: (key) => discardDraft(db, key),
    },
  };
}
