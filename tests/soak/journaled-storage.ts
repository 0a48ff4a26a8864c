/**
 * A persisted RxDB storage for workstations run as Node processes in the soak: the memory storage,
 * with every committed write appended to a journal file before the write resolves, and the journal
 * replayed into the memory storage when the process starts again. A workstation killed with SIGKILL
 * therefore restarts from exactly what its database had committed — records, drafts, the outbox and
 * RxDB's own replication state (checkpoints, assumed master states) — as a PC restarts from its
 * IndexedDB. (tests/integration/sync-client/workstation-crash.test.ts puts the killed PC's records
 * back by hand instead, and so loses the replication state; this keeps it, the harder case for the
 * hub.) A write reaches the kernel (appendFileSync) before RxDB hears it succeeded: a killed process
 * loses nothing committed; a machine losing power could, which the soak does not simulate.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { RxStorage, RxStorageInstance } from 'rxdb';
import { getPrimaryFieldOfPrimaryKey } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';

type Doc = Record<string, unknown>;
type Line = { k: string; w?: [string, Doc][]; remove?: true };

export interface JournaledStorage {
  storage: RxStorage<unknown, unknown>;
  /** Bytes of the stored documents as JSON (every instance: records, meta, local documents) and their count. */
  size(): { bytes: number; documents: number };
}

/** Reads the journal into the last state of each document, per storage instance. */
function readJournal(file: string): Map<string, Map<string, Doc>> {
  const state = new Map<string, Map<string, Doc>>();
  if (!existsSync(file)) return state;
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (!text) continue;
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      // The last line of a process killed mid-append: that write never resolved, so it never happened.
      continue;
    }
    if (line.remove) {
      state.delete(line.k);
      continue;
    }
    let docs = state.get(line.k);
    if (!docs) state.set(line.k, (docs = new Map()));
    for (const [id, doc] of line.w ?? []) docs.set(id, doc);
  }
  return state;
}

export function journaledStorage(file: string): JournaledStorage {
  const restored = readJournal(file);
  // Compact at start: one line per instance with its documents' last states.
  const compacted = [...restored].map(([k, docs]) => JSON.stringify({ k, w: [...docs] } satisfies Line)).join('\n');
  writeFileSync(`${file}.tmp`, compacted ? `${compacted}\n` : '');
  renameSync(`${file}.tmp`, file);

  const memory = getRxStorageMemory() as RxStorage<unknown, unknown>;
  const open: { internals: { documents: Map<string, Doc> } }[] = [];
  const storage: RxStorage<unknown, unknown> = {
    ...memory,
    name: memory.name,
    rxdbVersion: memory.rxdbVersion,
    async createStorageInstance(params) {
      const instance = (await memory.createStorageInstance(params)) as RxStorageInstance<Doc, unknown, unknown>;
      const key = `${params.databaseName}|${params.collectionName}|${params.schema.version}`;
      const primaryPath = getPrimaryFieldOfPrimaryKey(params.schema.primaryKey as never) as string;
      const internals = (instance as unknown as { internals: { documents: Map<string, Doc> } }).internals;
      open.push({ internals });
      const saved = restored.get(key);
      if (saved && internals.documents.size === 0 && saved.size > 0) {
        const result = await instance.bulkWrite([...saved.values()].map((document) => ({ document: document as never })), 'journal-restore');
        if (result.error.length > 0) throw new Error(`journal restore of ${key}: ${result.error.length} documents refused`);
      }
      const bulkWrite = instance.bulkWrite.bind(instance);
      instance.bulkWrite = async (rows, context) => {
        const result = await bulkWrite(rows, context);
        const failed = new Set(result.error.map((e) => e.documentId));
        const written = rows.map((r) => r.document as Doc).filter((d) => !failed.has(d[primaryPath] as string));
        if (written.length > 0) appendFileSync(file, `${JSON.stringify({ k: key, w: written.map((d) => [d[primaryPath] as string, d]) } satisfies Line)}\n`);
        return result;
      };
      const remove = instance.remove.bind(instance);
      instance.remove = async () => {
        appendFileSync(file, `${JSON.stringify({ k: key, remove: true } satisfies Line)}\n`);
        await remove();
      };
      return instance as never;
    },
  };
  return {
    storage,
    size() {
      let bytes = 0;
      let documents = 0;
      const seen = new Set<unknown>();
      for (const { internals } of open) {
        if (seen.has(internals)) continue;
        seen.add(internals);
        for (const doc of internals.documents.values()) {
          bytes += Buffer.byteLength(JSON.stringify(doc));
          documents++;
        }
      }
      return { bytes, documents };
    },
  };
}
