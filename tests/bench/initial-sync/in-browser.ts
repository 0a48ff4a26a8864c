/**
 * The part of the initial-sync benchmark that runs inside Chromium (bundled by
 * ../initial-sync.bench.ts): a new workstation's first sync from the hub into the app's own
 * database — the protected records on IndexedDB (RxDB on Dexie, sensitive fields sealed), opened as
 * a sign-in opens them, replicated by the app's replication — and, for comparison, the same documents
 * written by a raw RxDB `bulkInsert` into a plain IndexedDB database, fetched beforehand (not timed),
 * in pages of the same size.
 */
import { collectionNames } from '../../../core/records/index.ts';
import { browserStorage, createLocalDatabase, type LocalDatabase } from '../../../sync/client/database.ts';
import { openBootDatabase, openProtectedDatabase, protectedDatabaseName } from '../../../sync/client/protected-database.ts';
import { startReplication } from '../../../sync/client/replication.ts';
import { INITIAL_CHECKPOINT, paths, PULL_LIMIT_MAX, type SyncCheckpoint } from '../../../sync/protocol/index.ts';

export interface InitialSyncPlan {
  hubUrl: string;
  token: string;
  institutionId: string;
  user: { username: string; password: string };
}

const writerOf = (institutionId: string) => ({ institutionId, role: 'clinic' }) as const;

/**
 * IndexedDB object-store writes (put, add) counted while a side runs: where the ratio comes from. RxDB's
 * replication writes each pulled document twice — into the collection, and its assumed master state into
 * the replication's meta store — where a bulkInsert writes it once.
 */
let idbWrites = 0;
for (const method of ['put', 'add'] as const) {
  const original = IDBObjectStore.prototype[method];
  IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: Parameters<typeof original>) {
    idbWrites++;
    return original.apply(this, args);
  };
}
const countingWrites = async <T extends { ms: number; records: number }>(run: () => Promise<T>): Promise<T & { idbWrites: number }> => {
  const before = idbWrites;
  const result = await run();
  return { ...result, idbWrites: idbWrites - before };
};

/** The app's path: key released, protected database opened (not timed), then replication until in sync. */
async function appInitialSync(plan: InitialSyncPlan): Promise<{ ms: number; records: number }> {
  const writer = writerOf(plan.institutionId);
  const boot = await openBootDatabase({ name: `clinic-${plan.institutionId}`, storage: browserStorage(), writer });
  const db = await openProtectedDatabase({ boot, name: protectedDatabaseName(plan.institutionId), storage: browserStorage(), writer, ...plan.user, verifiedByHub: false });
  await boot.close();
  return replicateUntilInSync(db, plan);
}

/** Where the time goes: the same replication into a database without sealed fields. */
async function clearInitialSync(plan: InitialSyncPlan): Promise<{ ms: number; records: number }> {
  const db = await createLocalDatabase({ name: `clear-${plan.institutionId}`, storage: browserStorage(), writer: writerOf(plan.institutionId) });
  return replicateUntilInSync(db, plan);
}

async function replicateUntilInSync(db: LocalDatabase, plan: InitialSyncPlan): Promise<{ ms: number; records: number }> {
  const writer = writerOf(plan.institutionId);
  try {
    const started = performance.now();
    // As services/records/open-clinic-records.ts starts it (the app's page size: PULL_LIMIT_MAX).
    const sync = await startReplication({ db, writer, hubUrl: plan.hubUrl, getToken: async () => plan.token, retry: { initialMs: 1000, maxMs: 30_000 } });
    await sync.awaitInSync();
    const ms = performance.now() - started;
    await sync.stop();
    const counts = await Promise.all(collectionNames.map((c) => db[c].count().exec()));
    return { ms, records: counts.reduce((a, b) => a + b, 0) };
  } finally {
    await db.close();
  }
}

/** Every document the hub has for this clinic, per collection, in pull pages (not timed). */
async function fetchPages(plan: InitialSyncPlan): Promise<Map<string, Record<string, unknown>[][]>> {
  const pages = new Map<string, Record<string, unknown>[][]>();
  for (const collection of collectionNames) {
    const list: Record<string, unknown>[][] = [];
    let checkpoint: SyncCheckpoint = INITIAL_CHECKPOINT;
    for (;;) {
      const response = await fetch(`${plan.hubUrl}${paths.pull(collection, checkpoint, PULL_LIMIT_MAX)}`, { headers: { authorization: `Bearer ${plan.token}` } });
      if (!response.ok) throw new Error(`pull ${collection}: ${response.status}`);
      const body = (await response.json()) as { documents: Record<string, unknown>[]; checkpoint: SyncCheckpoint };
      if (body.documents.length > 0) list.push(body.documents.map(({ _deleted: _, ...doc }) => doc));
      checkpoint = body.checkpoint;
      if (body.documents.length < PULL_LIMIT_MAX) break;
    }
    pages.set(collection, list);
  }
  return pages;
}

/** The floor: the same documents, already in memory, bulk-inserted page by page into a plain RxDB database. */
async function rawBulkInsert(plan: InitialSyncPlan): Promise<{ ms: number; records: number }> {
  const pages = await fetchPages(plan);
  const db = await createLocalDatabase({ name: `raw-${plan.institutionId}`, storage: browserStorage(), writer: writerOf(plan.institutionId) });
  try {
    const started = performance.now();
    let records = 0;
    // Collections side by side, as the replication pulls them.
    await Promise.all(
      [...pages].map(async ([collection, list]) => {
        for (const page of list) {
          const result = await db[collection as (typeof collectionNames)[number]].bulkInsert(page as never[]);
          if (result.error.length > 0) throw new Error(`${result.error.length} ${collection} refused`);
          records += page.length;
        }
      }),
    );
    return { ms: performance.now() - started, records };
  } finally {
    await db.close();
  }
}

(globalThis as unknown as { initialSyncBench: unknown }).initialSyncBench = {
  appInitialSync: (plan: InitialSyncPlan) => countingWrites(() => appInitialSync(plan)),
  clearInitialSync: (plan: InitialSyncPlan) => countingWrites(() => clearInitialSync(plan)),
  rawBulkInsert: (plan: InitialSyncPlan) => countingWrites(() => rawBulkInsert(plan)),
};
