/**
 * Workstation ↔ county hub sync, over loopback, with the real hub (in-memory PGlite, demo community)
 * and the real sync client (RxDB on memory storage, startReplication):
 *
 *  (a) initial sync: BENCH_RECORDS records (half patients, half visits, one visit per patient) are
 *      seeded into the hub — BENCH_SEED=sql (default): straight into its store in bulk through the
 *      hub context's database, with the scope columns, sequence numbers and master-patient index
 *      rows its write path would give them; BENCH_SEED=push: through POST /sync/:collection/push,
 *      200 rows a push as clinics send them (real, but ~500 records/s on PGlite: minutes for 100k) —
 *      then a brand-new workstation of the same institution starts replication; the figure is the
 *      time from startReplication to awaitInSync with every record stored locally. Target < 60 s.
 *  (b) live propagation: client A saves a patient with saveRecord; client B (another PC of the same
 *      clinic — 河口, not the seeded one — live stream connected) has it in its local database. BENCH_CHANGES changes, one at a
 *      time; median and p95. Target p95 < 1 s.
 *  Beside each, the anchor (issue 15 item 3; BENCH_ANCHOR=0 leaves it out): the same documents in a
 *  CouchDB-protocol server (express-pouchdb on leveldb) replicated to a fresh PouchDB client, and
 *  PouchDB live replication between two clients; the ratios workstation ÷ PouchDB are printed.
 *
 *   npx tsx tests/bench/sync.bench.ts
 *   BENCH_RECORDS=100000 BENCH_CHANGES=100 BENCH_PULL_BATCH=100 BENCH_SEED=sql npx tsx tests/bench/sync.bench.ts
 *
 * BENCH_PULL_BATCH is the client's pull page size, a comma list: (a) runs once per value on the same
 * seeded hub (default "100,1000": the app's current page, the protocol default, and the hub's maximum). Bounded: every wait has a deadline and the script exits by itself.
 */
import { existsSync } from 'node:fs';
import { makePatient } from '../../core/records/builders.ts';
import { PULL_LIMIT_DEFAULT, PULL_LIMIT_MAX, PUSH_ROWS_MAX, type Writer } from '../../sync/protocol/index.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from '../../sync/client/database.ts';
import { getRecord, saveRecord } from '../../sync/client/records.ts';
import { startReplication, type SyncController } from '../../sync/client/replication.ts';
import { startHub, type StartedHub } from '../../sync/hub/start.ts';
import { demoWorkstation, enrolWorkstation, login, type Session } from '../integration/hub/support/client.ts';
import { pullAll, pushOk } from '../integration/hub/support/sync.ts';
import { asCouchDocument, startCouchAnchor, type PouchReplication } from './support/couchdb-anchor.ts';
import { figure } from './support/figures.ts';
import { generateClinicRecords, seedHubRecords, SQL_SEED_CHUNK, type ClinicRecords } from './support/hub-seed.ts';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 100);
const PULL_BATCHES = (process.env.BENCH_PULL_BATCH ?? `${PULL_LIMIT_DEFAULT},${PULL_LIMIT_MAX}`).split(',').map(Number);
const SEED = process.env.BENCH_SEED === 'push' ? 'push' : 'sql';
/** BENCH_ANCHOR=0 leaves out the CouchDB-protocol anchor (express-pouchdb and PouchDB clients). */
const ANCHOR = process.env.BENCH_ANCHOR !== '0';
const SEED_CONCURRENCY = 4;
const INITIAL_SYNC_DEADLINE_MS = 10 * 60_000;
const CHANGE_DEADLINE_MS = 10_000;
const INSTITUTION = 'chengguan';
const LIVE_INSTITUTION = 'hekou';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const withDeadline = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms).unref())]);

interface Workstation {
  db: LocalDatabase;
  writer: Writer;
  sync?: SyncController;
}
let dbCount = 0;
const openWorkstation = async (session: Session): Promise<Workstation> => {
  const writer: Writer = { institutionId: session.institutionId, role: 'clinic' };
  const db = await createLocalDatabase({ name: `bench-ws-${++dbCount}`, storage: memoryStorage(), writer });
  return { db, writer };
};
/**
 * Wall-clock time with at least one pull outstanding (request sent → body received; collections pull
 * in parallel, so this is the union of their intervals), to split hub time from client time.
 */
const pullWait = { ms: 0, requests: 0, open: 0, since: 0 };
const timedFetch: typeof fetch = async (input, init) => {
  if (!String(input).includes('/pull?')) return fetch(input, init);
  if (pullWait.open++ === 0) pullWait.since = performance.now();
  try {
    const response = await fetch(input, init);
    const body = await response.arrayBuffer();
    pullWait.requests++;
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  } finally {
    if (--pullWait.open === 0) pullWait.ms += performance.now() - pullWait.since;
  }
};
const replicate = async (ws: Workstation, hubUrl: string, session: Session, pullBatchSize = PULL_LIMIT_DEFAULT) => {
  ws.sync = await startReplication({ db: ws.db, writer: ws.writer, hubUrl, getToken: () => session.accessToken, pullBatchSize, fetch: timedFetch, retry: { initialMs: 100, maxMs: 1000 } });
  return ws.sync;
};

type SeedData = ClinicRecords;
/** The records both the hub and the CouchDB-protocol anchor are given: the same documents. */
const seedData = (): SeedData => generateClinicRecords(RECORDS, INSTITUTION);

async function seedSql(hub: StartedHub, data: SeedData): Promise<void> {
  const started = performance.now();
  await seedHubRecords(hub.context.db, INSTITUTION, data);
  console.log(`seeded    ${data.patients.length} patients + ${data.visits.length} visits in bulk into the hub's store (${SQL_SEED_CHUNK} rows a statement) in ${seconds(performance.now() - started)} s`);
}

async function seedPush(hubUrl: string, session: Session, { patients, visits }: SeedData): Promise<void> {
  const patientCount = patients.length;
  const batches: { collection: 'patients' | 'visits'; rows: { newDocumentState: object; assumedMasterState: null }[] }[] = [];
  for (let i = 0; i < patientCount; i += PUSH_ROWS_MAX) {
    batches.push({ collection: 'patients', rows: patients.slice(i, i + PUSH_ROWS_MAX).map((p) => ({ newDocumentState: { ...p, _deleted: false }, assumedMasterState: null })) });
  }
  const visitBatches: typeof batches = [];
  for (let i = 0; i < visits.length; i += PUSH_ROWS_MAX) {
    const rows = visits.slice(i, i + PUSH_ROWS_MAX).map((v) => ({ newDocumentState: { ...v, _deleted: false }, assumedMasterState: null }));
    visitBatches.push({ collection: 'visits', rows });
  }
  const started = performance.now();
  // Patients first: a visit may only be written about a patient the clinic can see.
  for (const group of [batches, visitBatches]) {
    let next = 0;
    await Promise.all(
      Array.from({ length: SEED_CONCURRENCY }, async () => {
        while (next < group.length) {
          const batch = group[next++]!;
          await pushOk(hubUrl, session, batch.collection, batch.rows);
        }
      }),
    );
  }
  console.log(`seeded    ${patientCount} patients + ${visits.length} visits through POST /sync/:collection/push (${PUSH_ROWS_MAX} rows each) in ${seconds(performance.now() - started)} s`);
}

/** The hub alone: every patient pulled page by page with plain fetch, nothing stored. */
async function hubPullOnly(hubUrl: string, session: Session, pullBatch: number): Promise<void> {
  const started = performance.now();
  const { documents } = await pullAll(hubUrl, session, 'patients', undefined, pullBatch);
  const elapsed = performance.now() - started;
  console.log(`hub only  ${documents.length} patients pulled with fetch alone, page ${pullBatch}: ${seconds(elapsed)} s (${(documents.length / (elapsed / 1000)).toFixed(0)} records/s)`);
}

async function initialSync(hubUrl: string, session: Session, pullBatch: number): Promise<number> {
  const ws = await openWorkstation(session);
  try {
    pullWait.ms = 0;
    pullWait.requests = 0;
    const started = performance.now();
    const sync = await replicate(ws, hubUrl, session, pullBatch);
    await withDeadline(sync.awaitInSync(), INITIAL_SYNC_DEADLINE_MS, 'initial sync');
    const elapsed = performance.now() - started;
    const [patients, visits] = await Promise.all([ws.db.patients.count().exec(), ws.db.visits.count().exec()]);
    const memory = process.memoryUsage().rss / 2 ** 20;
    const ok = patients + visits >= RECORDS;
    figure({ name: `initial sync of ${RECORDS} records, pull page ${pullBatch}`, value: elapsed, unit: 'ms', target: { op: '<', value: 60_000 } });
    console.log(
      `initial   ${patients + visits} records (${patients} patients, ${visits} visits) to a new workstation, pull batch ${pullBatch}: ` +
        `${seconds(elapsed)} s until awaitInSync, ${((patients + visits) / (elapsed / 1000)).toFixed(0)} records/s ` +
        `(${pullWait.requests} pulls, ${seconds(pullWait.ms)} s of it with a pull awaiting the hub), RSS ${memory.toFixed(0)} MiB ` +
        `(target < 60 s: ${elapsed < 60_000 ? 'met' : 'NOT met'})${ok ? '' : ` — INCOMPLETE, expected ${RECORDS}`}`,
    );
    if (!ok) process.exitCode = 1;
    return elapsed;
  } finally {
    await ws.sync?.stop();
    await ws.db.close();
  }
}

async function livePropagation(hubUrl: string, sessionA: Session, sessionB: Session): Promise<number> {
  const a = await openWorkstation(sessionA);
  const b = await openWorkstation(sessionB);
  try {
    // Another clinic than the seeded one, so the two PCs start nearly empty; wait until both are in
    // sync and B's stream is up before timing anything.
    const [syncA, syncB] = await Promise.all([replicate(a, hubUrl, sessionA), replicate(b, hubUrl, sessionB)]);
    await withDeadline(Promise.all([syncA.awaitInSync(), syncB.awaitInSync()]), INITIAL_SYNC_DEADLINE_MS, 'catch-up before the live test');
    const streamUp = Date.now() + CHANGE_DEADLINE_MS;
    while (!syncB.status.streamConnected) {
      if (Date.now() > streamUp) throw new Error('client B never connected its live stream');
      await new Promise((r) => setTimeout(r, 20));
    }

    const latencies: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const patient = makePatient({ institutionId: LIVE_INSTITUTION });
      // Subscribe before writing, so an arrival faster than the write's promise is not missed.
      const arrived = new Promise<number>((resolve) => {
        const sub = b.db.patients.findOne(patient.id).$.subscribe((doc) => {
          if (doc) {
            const at = performance.now();
            queueMicrotask(() => sub.unsubscribe());
            resolve(at);
          }
        });
      });
      const t0 = performance.now();
      await saveRecord(a.db, 'patients', patient, { writer: a.writer });
      const at = await withDeadline(arrived, CHANGE_DEADLINE_MS, `change ${i} reaching client B`);
      latencies.push(at - t0);
      if (!(await getRecord(b.db, 'patients', patient.id))) throw new Error(`change ${i} not stored on client B`);
    }
    latencies.sort((x, y) => x - y);
    const p95 = percentile(latencies, 95);
    figure({ name: 'live propagation PC → PC p95', value: p95, unit: 'ms', target: { op: '<', value: 1000 } });
    console.log(
      `live      ${CHANGES} changes saveRecord on A → stored on B (same clinic, live stream): median ${percentile(latencies, 50).toFixed(0)} ms, ` +
        `p95 ${p95.toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms (target p95 < 1 s: ${p95 < 1000 ? 'met' : 'NOT met'})`,
    );
    return p95;
  } finally {
    await Promise.all([a.sync?.stop(), b.sync?.stop()]);
    await Promise.all([a.db.close(), b.db.close()]);
  }
}

/**
 * The anchor: the same documents in a CouchDB-protocol server (express-pouchdb), replicated to a
 * fresh PouchDB client (leveldb; on /dev/shm when there is one, so neither side pays for a disk the
 * other does not), batch_size = the hub's pull page. Returns the time per batch size.
 */
async function anchorInitialSync(data: SeedData): Promise<Map<number, number>> {
  const anchor = await startCouchAnchor({ folder: existsSync('/dev/shm') ? '/dev/shm' : undefined });
  const times = new Map<number, number>();
  try {
    const server = anchor.serverDatabase('clinic');
    const docs = [...data.patients, ...data.visits].map(asCouchDocument);
    const started = performance.now();
    for (let i = 0; i < docs.length; i += SQL_SEED_CHUNK) await server.bulkDocs(docs.slice(i, i + SQL_SEED_CHUNK));
    console.log(`anchor    seeded the same ${docs.length} documents into express-pouchdb (leveldb) in ${seconds(performance.now() - started)} s`);
    for (const pullBatch of PULL_BATCHES) {
      const client = anchor.clientDatabase(`fresh-${pullBatch}`);
      const t0 = performance.now();
      await withDeadline(Promise.resolve(client.replicate.from(anchor.remoteDatabase('clinic'), { batch_size: pullBatch })), INITIAL_SYNC_DEADLINE_MS, 'PouchDB initial replication');
      const elapsed = performance.now() - t0;
      const { doc_count: count } = await client.info();
      times.set(pullBatch, elapsed);
      figure({ name: `PouchDB initial replication of ${RECORDS} documents, batch ${pullBatch}`, value: elapsed, unit: 'ms', note: 'the anchor, same documents' });
      console.log(`anchor    ${count} documents replicated to a fresh PouchDB (leveldb), batch_size ${pullBatch}: ${seconds(elapsed)} s, ${(count / (elapsed / 1000)).toFixed(0)} docs/s${count < docs.length ? ' — INCOMPLETE' : ''}`);
    }
  } finally {
    await anchor.close();
  }
  return times;
}

/** The anchor's live propagation: PouchDB A replicating live to the server, B live from it. */
async function anchorLivePropagation(): Promise<number> {
  const anchor = await startCouchAnchor({ folder: existsSync('/dev/shm') ? '/dev/shm' : undefined });
  const a = anchor.clientDatabase('live-a');
  const b = anchor.clientDatabase('live-b');
  await fetch(`${anchor.url}/live`, { method: 'PUT' });
  const push = a.replicate.to(anchor.remoteDatabase('live'), { live: true, retry: true });
  const pull = b.replicate.from(anchor.remoteDatabase('live'), { live: true, retry: true });
  const arrivals = new Map<string, (at: number) => void>();
  const feed = b.changes({ since: 'now', live: true }).on('change', (change) => {
    const id = (change as { id: string }).id;
    arrivals.get(id)?.(performance.now());
  });
  try {
    const latencies: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const patient = asCouchDocument(makePatient({ institutionId: LIVE_INSTITUTION }));
      const arrived = new Promise<number>((resolve) => arrivals.set(patient._id, resolve));
      const t0 = performance.now();
      await a.put(patient);
      latencies.push((await withDeadline(arrived, CHANGE_DEADLINE_MS, `PouchDB change ${i} reaching client B`)) - t0);
      arrivals.delete(patient._id);
    }
    latencies.sort((x, y) => x - y);
    const p95 = percentile(latencies, 95);
    figure({ name: 'PouchDB live replication PC → PC p95', value: p95, unit: 'ms', note: 'the anchor' });
    console.log(`anchor    ${CHANGES} changes put on PouchDB A → on B (live replication through express-pouchdb): median ${percentile(latencies, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms`);
    return p95;
  } finally {
    // Cancelled replications finish their requests first; closing the server under them throws.
    const ended = (replication: PouchReplication) => new Promise((resolve) => replication.on('complete', resolve));
    const done = Promise.all([ended(push), ended(pull)]);
    feed.cancel();
    push.cancel();
    pull.cancel();
    await withDeadline(done, CHANGE_DEADLINE_MS, 'PouchDB live replications ending');
    await anchor.close();
  }
}

const hub = await startHub({ port: 0, demo: true, logLevel: 'silent' });
try {
  console.log(`sync bench: BENCH_RECORDS=${RECORDS} BENCH_CHANGES=${CHANGES} BENCH_PULL_BATCH=${PULL_BATCHES.join(',')} BENCH_SEED=${SEED} BENCH_ANCHOR=${ANCHOR ? 1 : 0}; hub on in-memory PGlite, client on RxDB memory storage`);
  const data = seedData();
  const countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
  const desk = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
  if (SEED === 'push') await seedPush(hub.url, desk, data);
  else await seedSql(hub, data);
  const newPc = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, INSTITUTION), 'nurse');
  const ours = new Map<number, number>();
  for (const pullBatch of PULL_BATCHES) {
    ours.set(pullBatch, await initialSync(hub.url, newPc, pullBatch));
    await hubPullOnly(hub.url, newPc, pullBatch);
  }
  if (ANCHOR) {
    const anchor = await anchorInitialSync(data);
    for (const [pullBatch, ms] of ours) {
      const ratio = ms / anchor.get(pullBatch)!;
      figure({ name: `initial sync, workstation ÷ PouchDB, page ${pullBatch}`, value: Number(ratio.toFixed(2)), unit: '×', target: { op: '<=', value: 1 } });
      console.log(`ratio     initial sync, page ${pullBatch}: workstation ${seconds(ms)} s ÷ PouchDB ${seconds(anchor.get(pullBatch)!)} s = ${ratio.toFixed(2)} (goal ≤ 1.0: ${ratio <= 1 ? 'met' : 'NOT met'})`);
    }
  }
  if (CHANGES > 0) {
    const deskPc = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, LIVE_INSTITUTION), 'nurse');
    const doctorPc = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, LIVE_INSTITUTION), 'doctor');
    const oursP95 = await livePropagation(hub.url, deskPc, doctorPc);
    if (ANCHOR) {
      const theirs = await anchorLivePropagation();
      console.log(`ratio     live propagation p95: workstation ${oursP95.toFixed(0)} ms ÷ PouchDB ${theirs.toFixed(0)} ms = ${(oursP95 / theirs).toFixed(2)}`);
    }
  }
} finally {
  await hub.close();
}
process.exit();
