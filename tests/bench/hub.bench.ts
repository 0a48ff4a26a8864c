/**
 * The hub at county scale (issue 15). Prints, on PostgreSQL (127.0.0.1:5432, a scratch database per
 * run, dropped afterwards) and on the embedded PGlite:
 *
 * 1. Morning rush: 200 workstations push at once, each a loop of 10 pushes of 2 new patients (a
 *    registration desk syncing). Pushes/s, records/s, push latency p50/p95/max; /healthz probed
 *    every 20 ms meanwhile (p95); an urgent ECG study pushed mid-burst, timed until the reading
 *    room — listening on the live stream and pulling on each notice — holds it. On PostgreSQL with
 *    one hub process and with two (the workstations alternate between them).
 * 2. Ingest: 100,000 patient records in pushes of 200 rows, 8 at a time, beside a CouchDB-protocol
 *    server (express-pouchdb on leveldb, the Community Health Toolkit's anchor) taking the same
 *    documents through `_bulk_docs`, 200 a request, 8 at a time.
 * 3. Many workstations: 1,000 live streams on one hub process: its memory, and how long one change
 *    takes to reach all of them.
 *
 * The rush on PostgreSQL meets a hub that already holds the county's history (BENCH_HISTORY records,
 * 50,000 by default, with their links and master-patient index, statistics gathered): a morning of an
 * ordinary day, not the first morning of an empty database, whose planner statistics say "empty"
 * until autovacuum's first pass a minute later (every lookup then plans as a scan of the table).
 *
 *   npm run bench -- hub     (BENCH_WORKSTATIONS, BENCH_PUSHES, BENCH_HISTORY, BENCH_INGEST, BENCH_STREAMS change the load;
 *                             BENCH_STORE=pglite|postgres runs one store; BENCH_PARTS=rush1,rush2,ingest,couch,streams
 *                             runs only those parts on PostgreSQL — on a shared machine, before/after runs of one part)
 *
 * Setup shortcut: the workstations are inserted and their access tokens signed directly, so the
 * figures measure replication, not hundreds of scrypt logins.
 */
import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import net from 'node:net';
import { cpus } from 'node:os';
import pg from 'pg';
import { request } from 'undici';
import { makeEcgStudy, makePatient } from '../../core/records/builders.ts';
import { paths, type SyncCheckpoint } from '../../sync/protocol/wire.ts';
import { openPostgres } from '../../sync/hub/db/database.ts';
import { startHub } from '../../sync/hub/start.ts';
import { issueAccessToken, loadOrCreateSigningKeys } from '../../sync/hub/auth/tokens.ts';
import { killHard, spawnHub, type HubProcess } from '../support/hub-process.ts';
import { asCouchDocument, startCouchAnchor } from './support/couchdb-anchor.ts';
import { figure } from './support/figures.ts';
import { generateClinicRecords, seedHubRecords } from './support/hub-seed.ts';

const WORKSTATIONS = Number(process.env.BENCH_WORKSTATIONS ?? 200);
const PUSHES_PER_WORKSTATION = Number(process.env.BENCH_PUSHES ?? 10);
const PATIENTS_PER_PUSH = 2;
const HISTORY_RECORDS = Number(process.env.BENCH_HISTORY ?? 50_000);
const INGEST_RECORDS = Number(process.env.BENCH_INGEST ?? 100_000);
const INGEST_BATCH = 200;
const INGEST_CONCURRENCY = 8;
const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (n: number) => `${n.toFixed(0)} ms`;
const CLINICS = ['chengguan', 'hekou'] as const;

interface County {
  urls: string[];
  /** The hub processes' pids, for the CPU account (none when the hub runs in this process). */
  hubPids: number[];
  db: pg.Pool;
  token(institutionId: string, role: 'nurse' | 'doctor' | 'cardiologist', i: number): Promise<string>;
}

/** Workstation rows and signed tokens straight into the hub's database. */
async function countyOf(urls: string[], hubPids: number[], databaseUrl: string): Promise<County & { close(): Promise<void> }> {
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const hubDb = await openPostgres(databaseUrl, 1);
  const keys = await loadOrCreateSigningKeys(hubDb);
  await hubDb.close();
  return {
    urls,
    hubPids,
    db,
    async token(institutionId, role, i) {
      const id = `ws-bench-${institutionId}-${i}`;
      await db.query('insert into workstations (id, institution_id, name, credential_hash, enrolled_at) values ($1, $2, $3, $4, now()) on conflict do nothing', [
        id,
        institutionId,
        `bench ${i}`,
        randomBytes(32).toString('hex'),
      ]);
      return issueAccessToken(keys, { userId: `${institutionId}-${role === 'cardiologist' ? 'cardiologist' : role}`, workstationId: id, institutionId, role }, 3600);
    },
    close: () => db.end(),
  };
}

/**
 * The load generator's requests: undici's `request`, not `fetch` (the same HTTP client underneath,
 * without the WHATWG streams): the generator shares the machine's two cores with the hub and
 * PostgreSQL, and `fetch` spent 1.2 ms of them on each push.
 */
async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const response = await request(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.statusCode, body: await response.body.json() };
}

const post = (url: string, token: string, path: string, body: unknown) => postJson(`${url}${path}`, body, { authorization: `Bearer ${token}` });

/** A live-stream reader that calls `onNotice` for each notice. */
async function listen(url: string, token: string, onNotice: () => void): Promise<AbortController> {
  const controller = new AbortController();
  const response = await fetch(`${url}${paths.stream()}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const reader = response.body!.getReader();
  void (async () => {
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) if (Buffer.from(chunk.value).toString().includes('data: ')) onNotice();
    } catch {
      // aborted
    }
  })();
  return controller;
}

/**
 * The county's records before the rush, straight into the store in the shape the hub writes them
 * (owner, patient, position, the registering clinic's link, the master-patient index), then ANALYZE,
 * as autovacuum would have done long since on a hub in service.
 */
async function seedHistory(db: pg.Pool, total: number): Promise<void> {
  for (const institutionId of CLINICS) await seedHubRecords(db, institutionId, generateClinicRecords(Math.ceil(total / CLINICS.length), institutionId), { links: true });
  await db.query('analyze');
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
async function cpuSecondsOf(pid: number | 'self'): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds of every PostgreSQL server process on this machine (the server is local in the bench). */
async function postgresCpuSeconds(): Promise<number> {
  let total = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'postgres') total += await cpuSecondsOf(Number(entry));
  }
  return total;
}

/**
 * Where the two cores go during the rush, per push: the load generator (this process), the hub
 * processes, PostgreSQL. The targets need the three to add up to less than 2 cores ÷ 1,270 pushes/s
 * ≈ 1.6 ms a push on this machine.
 */
async function cpuAccount(county: County): Promise<() => Promise<{ generator: number; hub: number; postgres: number }>> {
  const sample = async () => ({
    generator: await cpuSecondsOf('self'),
    hub: (await Promise.all(county.hubPids.map((pid) => cpuSecondsOf(pid)))).reduce((a, b) => a + b, 0),
    postgres: await postgresCpuSeconds(),
  });
  const before = await sample();
  return async () => {
    const after = await sample();
    return { generator: after.generator - before.generator, hub: after.hub - before.hub, postgres: after.postgres - before.postgres };
  };
}

/** 1. The morning rush, with the health probe and the urgent ECG study. */
async function rush(label: string, county: County): Promise<void> {
  const tokens = await Promise.all(Array.from({ length: WORKSTATIONS }, (_, i) => county.token(CLINICS[i % 2]!, 'nurse', i)));
  const clinicDoctor = await county.token('chengguan', 'doctor', 10_000);
  const readingRoom = await county.token('ecg-center', 'cardiologist', 10_001);
  const latencies: number[] = [];
  const health: number[] = [];
  let failures = 0;
  let done = 0;
  const total = WORKSTATIONS * PUSHES_PER_WORKSTATION;

  // Where the urgent study's time goes: its push's answer, the room's first notice after it, the pull that found it.
  const urgentSteps: string[] = [];
  let noticeAfter = Infinity;
  let firstNotice = NaN;
  let foundBy = NaN;
  // The reading room pulls ecgStudies on every notice, from its own checkpoint, like the app.
  let roomCheckpoint: SyncCheckpoint = { tx: 0, seq: 0 };
  const seenStudies = new Set<string>();
  let pulling: Promise<void> | undefined;
  let again = false;
  const roomPull = (): Promise<void> => {
    if (pulling) {
      again = true;
      return pulling;
    }
    pulling = (async () => {
      do {
        again = false;
        for (;;) {
          const response = await fetch(`${county.urls[0]}${paths.pull('ecgStudies', roomCheckpoint, 100)}`, { headers: { authorization: `Bearer ${readingRoom}` } });
          const page = (await response.json()) as { documents: { id: string }[]; checkpoint: SyncCheckpoint };
          for (const d of page.documents) seenStudies.add(d.id);
          if (Number.isNaN(foundBy) && page.documents.length > 0 && performance.now() >= noticeAfter) foundBy = performance.now();
          roomCheckpoint = page.checkpoint;
          if (page.documents.length < 100) break;
        }
      } while (again);
    })().finally(() => (pulling = undefined));
    return pulling;
  };
  await roomPull();
  const room = await listen(county.urls.at(-1)!, readingRoom, () => {
    if (Number.isNaN(firstNotice) && performance.now() >= noticeAfter) firstNotice = performance.now();
    void roomPull();
  });

  let probing = true;
  const probe = (async () => {
    while (probing) {
      const t0 = performance.now();
      await fetch(`${county.urls[0]}/healthz`).then((r) => r.arrayBuffer());
      health.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();

  let urgent: Promise<number> | undefined;
  const sendUrgent = async (): Promise<number> => {
    const patient = makePatient({ institutionId: 'chengguan' });
    const study = makeEcgStudy({ institutionId: 'chengguan', patientId: patient.id, priority: 'urgent', readingState: 'queued' });
    await post(county.urls[0]!, clinicDoctor, paths.push('patients'), { rows: [{ newDocumentState: { ...patient, _deleted: false }, assumedMasterState: null }] });
    const t0 = performance.now();
    noticeAfter = t0;
    await post(county.urls[0]!, clinicDoctor, paths.push('ecgStudies'), { rows: [{ newDocumentState: { ...study, _deleted: false }, assumedMasterState: null }] });
    urgentSteps.push(`push answered ${ms(performance.now() - t0)}`);
    while (!seenStudies.has(study.id)) {
      if (performance.now() - t0 > 30_000) return Infinity;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    urgentSteps.push(`first notice ${ms(firstNotice - t0)}`, `pull that found it answered ${ms(foundBy - t0)}`);
    return performance.now() - t0;
  };

  const cpu = await cpuAccount(county);
  const started = performance.now();
  await Promise.all(
    tokens.map(async (token, i) => {
      const institutionId = CLINICS[i % 2];
      for (let k = 0; k < PUSHES_PER_WORKSTATION; k++) {
        const rows = Array.from({ length: PATIENTS_PER_PUSH }, () => ({ newDocumentState: { ...makePatient({ institutionId }), _deleted: false }, assumedMasterState: null }));
        const url = county.urls[(i + k) % county.urls.length]!; // behind a load balancer: either process
        const t0 = performance.now();
        const reply = await post(url, token, paths.push('patients'), { rows });
        latencies.push(performance.now() - t0);
        if (reply.status !== 200) failures++;
        if (++done === Math.floor(total / 2)) urgent = sendUrgent();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = await cpu();
  const urgentMs = await (urgent ?? sendUrgent());
  probing = false;
  await probe;
  room.abort();
  latencies.sort((a, b) => a - b);
  health.sort((a, b) => a - b);
  const note = `${WORKSTATIONS} workstations × ${PUSHES_PER_WORKSTATION} pushes of ${PATIENTS_PER_PUSH}`;
  // Issue 15's targets: ≥ 10× the 127 pushes/s measured before, p95 < 300 ms, /healthz p95 < 50 ms, urgent ECG < 1 s.
  figure({ name: `hub rush pushes/s (${label})`, value: latencies.length / seconds, unit: 'pushes/s', target: { op: '>=', value: 1270 }, note });
  figure({ name: `hub rush push latency p95 (${label})`, value: percentile(latencies, 95), unit: 'ms', target: { op: '<', value: 300 }, note });
  figure({ name: `hub /healthz p95 during the rush (${label})`, value: percentile(health, 95), unit: 'ms', target: { op: '<', value: 50 } });
  figure({ name: `urgent ECG mid-rush → reading room (${label})`, value: urgentMs, unit: 'ms', target: { op: '<', value: 1000 } });
  console.log(
    `${label.padEnd(22)} ${WORKSTATIONS} workstations × ${PUSHES_PER_WORKSTATION} pushes: ${(latencies.length / seconds).toFixed(0)} pushes/s, ` +
      `${((latencies.length * PATIENTS_PER_PUSH) / seconds).toFixed(0)} records/s, latency p50 ${ms(percentile(latencies, 50))}, ` +
      `p95 ${ms(percentile(latencies, 95))} (target < 300 ms), max ${ms(latencies.at(-1)!)}, failures ${failures}; ` +
      `/healthz p95 ${ms(percentile(health, 95))} (target < 50 ms, ${health.length} probes); urgent ECG → reading room ${ms(urgentMs)} (target < 1000 ms: ${urgentSteps.join(', ')})`,
  );
  const perPush = (s: number) => `${((s * 1000) / latencies.length).toFixed(2)} ms`;
  console.log(
    county.hubPids.length === 0
      ? `${label.padEnd(22)} CPU a push: ${perPush(used.generator)} (load generator, hub and PGlite in one process)`
      : `${label.padEnd(22)} CPU a push: load generator ${perPush(used.generator)}, hub ${perPush(used.hub)}, PostgreSQL ${perPush(used.postgres)}; ` +
          `${((used.generator + used.hub + used.postgres) / seconds).toFixed(2)} of the machine's cores busy; hub and PostgreSQL alone would carry ` +
          `≈ ${(cpus().length / ((used.hub + used.postgres) / latencies.length)).toFixed(0)} pushes/s on these ${cpus().length} cores (an estimate: the generator elsewhere)`,
  );
}

const ingestDocs = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const p = makePatient({ institutionId: CLINICS[i % 2] });
    return { ...p, address: `${p.address ?? ''}${'某'.repeat(40)}` }; // ~400 bytes, as in the issue's figures
  });

async function inBatches<T>(items: T[], size: number, concurrency: number, send: (batch: T[]) => Promise<void>): Promise<number> {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) await send(batches[next++]!);
    }),
  );
  return (performance.now() - started) / 1000;
}

/** 2. Ingest through the hub's push route. */
async function ingest(label: string, county: County, docs: ReturnType<typeof ingestDocs>): Promise<void> {
  const tokens = new Map(await Promise.all(CLINICS.map(async (c, i) => [c, await county.token(c, 'nurse', 20_000 + i)] as const)));
  let failures = 0;
  const cpu = await cpuAccount(county);
  const walAt = async () => (await county.db.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]!.lsn;
  const walBefore = await walAt();
  const seconds = await inBatches(docs, INGEST_BATCH, INGEST_CONCURRENCY, async (batch) => {
    const institutionId = batch[0]!.institutionId;
    const rows = batch.filter((d) => d.institutionId === institutionId).map((d) => ({ newDocumentState: { ...d, _deleted: false }, assumedMasterState: null }));
    const rest = batch.filter((d) => d.institutionId !== institutionId).map((d) => ({ newDocumentState: { ...d, _deleted: false }, assumedMasterState: null }));
    for (const [group, token] of [[rows, tokens.get(institutionId as (typeof CLINICS)[number])!], [rest, tokens.get(institutionId === 'chengguan' ? 'hekou' : 'chengguan')!]] as const) {
      if (group.length === 0) continue;
      const reply = await post(county.urls[0]!, token, paths.push('patients'), { rows: group });
      if (reply.status !== 200) failures++;
    }
  });
  figure({ name: `hub push ingest (${label})`, value: docs.length / seconds, unit: 'records/s', target: { op: '>=', value: 10_000 }, note: `${docs.length} records, ${INGEST_BATCH} a push, ${INGEST_CONCURRENCY} at a time` });
  const used = await cpu();
  // The write-ahead log the ingest made: what the disk (and a streaming replica) must take, and a measure
  // of the store's work per record that the machine's speed does not blur.
  const { rows: wal } = await county.db.query<{ bytes: string }>('select pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn) as bytes', [walBefore]);
  const per1000 = (s: number) => `${((s * 1000 * 1000) / docs.length).toFixed(0)} ms`;
  console.log(`${label.padEnd(22)} ingest ${docs.length} records, ${INGEST_BATCH} a push, ${INGEST_CONCURRENCY} at a time: ${(docs.length / seconds).toFixed(0)} records/s (target ≥ 10,000), failures ${failures}`);
  console.log(
    `${label.padEnd(22)} CPU per 1,000 records: load generator ${per1000(used.generator)}, hub ${per1000(used.hub)}, PostgreSQL ${per1000(used.postgres)}; ` +
      `${((used.generator + used.hub + used.postgres) / seconds).toFixed(2)} of the machine's cores busy; write-ahead log ${((Number(wal[0]!.bytes) * 1000) / docs.length / 1024).toFixed(0)} KiB per 1,000 records`,
  );
  // What the store costs on disk (docs/scaling.md works from these): tables with their indexes and TOAST.
  const { rows } = await county.db.query<{ relation: string; bytes: string }>(
    `select relation, pg_total_relation_size(relation) as bytes from unnest(array['records', 'audit_log', 'patient_links', 'patient_master_index']) as relation`,
  );
  const per10k = (bytes: string) => `${((Number(bytes) / docs.length) * 10_000 / 1024 / 1024).toFixed(1)} MiB`;
  console.log(`${label.padEnd(22)} on disk per 10k patient records: ${rows.map((r) => `${r.relation} ${per10k(r.bytes)}`).join(', ')}`);
}

/** 2'. The same documents into a CouchDB-protocol server (express-pouchdb on leveldb). */
async function couchIngest(docs: ReturnType<typeof ingestDocs>): Promise<void> {
  const anchor = await startCouchAnchor();
  try {
    const url = `${anchor.url}/patients`;
    await fetch(url, { method: 'PUT' });
    const seconds = await inBatches(docs, INGEST_BATCH, INGEST_CONCURRENCY, async (batch) => {
      await postJson(`${url}/_bulk_docs`, { docs: batch.map(asCouchDocument) });
    });
    figure({ name: 'CouchDB-protocol _bulk_docs ingest (express-pouchdb, leveldb)', value: docs.length / seconds, unit: 'docs/s', note: 'the anchor, same documents' });
    console.log(`${'couchdb-protocol'.padEnd(22)} ingest ${docs.length} records through _bulk_docs, ${INGEST_BATCH} a request, ${INGEST_CONCURRENCY} at a time: ${(docs.length / seconds).toFixed(0)} docs/s (express-pouchdb on leveldb)`);
  } finally {
    await anchor.close();
  }
}

/** 3. 1,000 live streams on one hub process: its resident memory and the fan-out of one change. */
async function manyStreams(county: County, hub: HubProcess): Promise<void> {
  const rss = async () => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${hub.child.pid}/status`, 'utf8'))![1]) / 1024;
  const before = await rss();
  const token = await county.token('chengguan', 'doctor', 30_000);
  let pushedAt = 0;
  const arrivals: number[] = [];
  const streams: AbortController[] = [];
  for (let i = 0; i < STREAMS; i++) streams.push(await listen(county.urls[0]!, token, () => arrivals.push(performance.now() - pushedAt)));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const withStreams = await rss();
  arrivals.length = 0;
  pushedAt = performance.now();
  await post(county.urls[0]!, token, paths.push('patients'), { rows: [{ newDocumentState: { ...makePatient({ institutionId: 'chengguan' }), _deleted: false }, assumedMasterState: null }] });
  while (arrivals.length < STREAMS && performance.now() - pushedAt < 10_000) await new Promise((resolve) => setTimeout(resolve, 5));
  const sorted = [...arrivals].sort((a, b) => a - b);
  for (const s of streams) s.abort();
  figure({ name: `hub memory per live stream (${STREAMS} streams)`, value: ((withStreams - before) * 1024) / STREAMS, unit: 'KiB' });
  figure({ name: `live notice fan-out p95 (${STREAMS} streams)`, value: percentile(sorted, 95), unit: 'ms', note: `${arrivals.length}/${STREAMS} reached` });
  console.log(
    `${'postgres'.padEnd(22)} ${STREAMS} live streams on one hub process: RSS ${before.toFixed(0)} → ${withStreams.toFixed(0)} MiB ` +
      `(${(((withStreams - before) * 1024) / STREAMS).toFixed(1)} KiB a stream); one change reached ${arrivals.length}/${STREAMS}: p50 ${ms(percentile(sorted, 50))}, p95 ${ms(percentile(sorted, 95))}, last ${ms(sorted.at(-1) ?? NaN)}`,
  );
}

async function withScratchDatabase(work: (databaseUrl: string) => Promise<void>): Promise<void> {
  const name = `hub_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    await work(`postgres://postgres@127.0.0.1:5432/${name}`);
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function onPostgres(processes: number, work: (county: County, hubs: HubProcess[]) => Promise<void>): Promise<void> {
  await withScratchDatabase(async (databaseUrl) => {
    const hubs: HubProcess[] = [];
    try {
      for (let i = 0; i < processes; i++) hubs.push(await spawnHub({ databaseUrl }));
      const county = await countyOf(
        hubs.map((h) => h.url),
        hubs.map((h) => h.child.pid!),
        databaseUrl,
      );
      try {
        await work(county, hubs);
      } finally {
        await county.close();
      }
    } finally {
      for (const h of hubs) await killHard(h);
    }
  });
}

const postgresUp = await new Promise<boolean>((resolve) => {
  const s = net.connect(5432, '127.0.0.1');
  s.once('connect', () => (s.destroy(), resolve(true)));
  s.once('error', () => resolve(false));
});

const only = process.env.BENCH_STORE;
const parts = new Set((process.env.BENCH_PARTS ?? 'rush1,rush2,ingest,couch,streams').split(','));
if (only !== 'pglite') {
  if (!postgresUp) console.log('postgres               skipped: nothing listens on 127.0.0.1:5432');
  else {
    const withHistory = (label: string) => async (county: County & { db: pg.Pool }) => {
      await seedHistory(county.db, HISTORY_RECORDS);
      await rush(`${label}, ${HISTORY_RECORDS / 1000}k records before`, county);
    };
    if (parts.has('rush1')) await onPostgres(1, withHistory('postgres, 1 process'));
    if (parts.has('rush2')) await onPostgres(2, withHistory('postgres, 2 processes'));
    const docs = parts.has('ingest') || parts.has('couch') ? ingestDocs(INGEST_RECORDS) : [];
    if (parts.has('ingest')) await onPostgres(1, (county) => ingest('postgres', county, docs));
    if (parts.has('couch')) await couchIngest(docs);
    if (parts.has('streams')) await onPostgres(1, (county, [hub]) => manyStreams(county, hub!));
  }
}
if (only !== 'postgres') {
  // In memory, in this process: the figures are the hub's, not the disk's.
  const hub = await startHub({ port: 0, demo: true, logLevel: 'silent' });
  try {
    const keys = hub.context.keys;
    const county: County = {
      urls: [hub.url],
      hubPids: [],
      db: undefined as never,
      async token(institutionId, role, i) {
        const id = `ws-bench-${institutionId}-${i}`;
        await hub.context.db.query('insert into workstations (id, institution_id, name, credential_hash, enrolled_at) values ($1, $2, $3, $4, now()) on conflict do nothing', [
          id,
          institutionId,
          `bench ${i}`,
          randomBytes(32).toString('hex'),
        ]);
        return issueAccessToken(keys, { userId: `${institutionId}-${role}`, workstationId: id, institutionId, role }, 3600);
      },
    };
    await rush('pglite', county);
  } finally {
    await hub.close();
  }
}
