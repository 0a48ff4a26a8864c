/**
 * A new workstation's first sync in real Chromium (issue 15 item 3): BENCH_RECORDS records of one
 * clinic (half patients, half visits) bulk-loaded into a demo hub (in-memory PGlite), then, in a fresh
 * Chromium profile, the app's own path — the protected IndexedDB database the app opens at sign-in,
 * filled by the app's replication until in sync — against the floor: the same documents, fetched
 * beforehand, written by a raw RxDB `bulkInsert` into a plain IndexedDB database, page by page. Goal:
 * the app within 1.5× of the floor. The Node-side comparison with PouchDB is in sync.bench.ts.
 *
 *   npm run bench -- initial-sync        (BENCH_RECORDS, default 100000)
 *   BENCH_PROFILE=1: the app's sync runs under Chromium's sampling profiler and the functions with the
 *   most self time are printed (where the ratio goes).
 *   BENCH_RTT_MS=60 (BENCH_MBPS=20): the page reaches the hub through a link with that round trip and
 *   bandwidth each way (support/throttle-proxy.ts), as a township clinic's line would carry it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { startHub } from '../../sync/hub/start.ts';
import { CHROMIUM_PATH } from '../support/system-deps.ts';
import { chromiumArgs } from '../e2e/support/browser.ts';
import { demoWorkstation, enrolWorkstation, login } from '../integration/hub/support/client.ts';
import type { InitialSyncPlan } from './initial-sync/in-browser.ts';
import { figure } from './support/figures.ts';
import { generateClinicRecords, seedHubRecords } from './support/hub-seed.ts';
import { ThrottleProxy } from './support/throttle-proxy.ts';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const INSTITUTION = 'chengguan';
const DEADLINE_MS = 15 * 60_000;
const PROFILE = process.env.BENCH_PROFILE === '1';
const RTT_MS = Number(process.env.BENCH_RTT_MS ?? 0);
const LINK_MBPS = Number(process.env.BENCH_MBPS ?? 20);
type Result = { ms: number; records: number; idbWrites: number };
type Bench = Record<'appInitialSync' | 'clearInitialSync' | 'rawBulkInsert', (plan: InitialSyncPlan) => Promise<Result>>;

const seconds = (ms: number) => (ms / 1000).toFixed(1);

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[] | undefined;
  timeDeltas?: number[] | undefined;
}
/** The functions (name, file) with the most self time in a Chromium CPU profile, and their share. */
function printSelfTimes(profile: CpuProfile, top = 20): void {
  const frameOf = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const selfUs = new Map<string, number>();
  let total = 0;
  (profile.samples ?? []).forEach((id, i) => {
    const frame = frameOf.get(id)!;
    const key = `${frame.functionName || '(anonymous)'}  ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}`;
    const us = profile.timeDeltas?.[i] ?? 0;
    selfUs.set(key, (selfUs.get(key) ?? 0) + us);
    total += us;
  });
  console.log(`profile   ${seconds(total / 1000)} s sampled in the page; most self time:`);
  for (const [key, us] of [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${seconds(us / 1000).padStart(6)} s  ${key}`);
  }
}

// The bench bundle on a loopback origin of its own (a demo hub answers loopback origins' CORS).
const bundleDir = await mkdtemp(path.join(os.tmpdir(), 'cw-initial-sync-'));
await build({
  configFile: false,
  logLevel: 'warn',
  // Profiled, the functions keep their names.
  build: { outDir: bundleDir, emptyOutDir: true, target: 'chrome120', minify: !PROFILE, lib: { entry: path.join(import.meta.dirname, 'initial-sync/in-browser.ts'), formats: ['es'], fileName: () => 'bench.js' } },
});
const server = createServer((request, response) => {
  const file = path.join(bundleDir, path.normalize(new URL(request.url ?? '/', 'http://x').pathname));
  if (file.endsWith('.js') && file.startsWith(bundleDir)) {
    void readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': 'text/javascript' }).end(body),
      () => response.writeHead(404).end(),
    );
    return;
  }
  response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><script type="module" src="/bench.js"></script>');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const hub = await startHub({ port: 0, demo: true, logLevel: 'silent' });
const link =
  RTT_MS > 0 ? new ThrottleProxy(Number(new URL(hub.url).port), { upBitsPerSecond: LINK_MBPS * 1e6, downBitsPerSecond: LINK_MBPS * 1e6, oneWayLatencyMs: RTT_MS / 2 }) : undefined;
const hubUrl = link ? await link.listen() : hub.url;
if (link) console.log(`link      the page reaches the hub over ${RTT_MS} ms round trips and ${LINK_MBPS} Mbit/s each way`);
const profile = await mkdtemp(path.join(os.tmpdir(), 'cw-initial-sync-profile-'));
try {
  const started = performance.now();
  const data = generateClinicRecords(RECORDS, INSTITUTION);
  await seedHubRecords(hub.context.db, INSTITUTION, data);
  console.log(`seeded    ${data.patients.length} patients + ${data.visits.length} visits into the hub (in-memory PGlite) in ${seconds(performance.now() - started)} s`);
  const countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
  const nurse = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, INSTITUTION), 'nurse');
  const plan: InitialSyncPlan = { hubUrl, token: nurse.accessToken, institutionId: INSTITUTION, user: { username: 'nurse', password: 'demo1234' } };

  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: chromiumArgs, headless: true });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => console.error('page error:', error.message));
    page.on('console', (message) => message.type() === 'error' && console.error(`page ${message.type()}: ${message.text()}`));
    page.setDefaultTimeout(DEADLINE_MS);
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'initialSyncBench' in globalThis);
    const run = (which: keyof Bench) => page.evaluate(([w, p]) => (globalThis as unknown as { initialSyncBench: Bench }).initialSyncBench[w](p), [which, plan] as const);
    const profiler = PROFILE ? await context.newCDPSession(page) : undefined;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 500 });
      await profiler.send('Profiler.start');
    }
    const app = await run('appInitialSync');
    if (profiler) printSelfTimes((await profiler.send('Profiler.stop')).profile);
    const writesPerRecord = (r: Result) => (r.idbWrites / r.records).toFixed(2);
    console.log(`app       ${app.records} records into the protected IndexedDB database by the app's replication: ${seconds(app.ms)} s, ${(app.records / (app.ms / 1000)).toFixed(0)} records/s, ${writesPerRecord(app)} IndexedDB writes a record`);
    const clear = await run('clearInitialSync');
    console.log(`          the same replication into a database without sealed fields: ${seconds(clear.ms)} s (sealing costs ${seconds(app.ms - clear.ms)} s)`);
    const raw = await run('rawBulkInsert');
    console.log(`floor     ${raw.records} records, already fetched, raw RxDB bulkInsert into a plain IndexedDB database: ${seconds(raw.ms)} s, ${(raw.records / (raw.ms / 1000)).toFixed(0)} records/s, ${writesPerRecord(raw)} IndexedDB writes a record`);
    const ratio = app.ms / raw.ms;
    figure({ name: `initial sync of ${RECORDS} records in Chromium IndexedDB`, value: app.ms, unit: 'ms', target: { op: '<', value: 60_000 } });
    figure({ name: 'initial sync in Chromium ÷ raw RxDB bulkInsert', value: Number(ratio.toFixed(2)), unit: '×', target: { op: '<=', value: 1.5 } });
    console.log(`ratio     app ÷ raw bulkInsert = ${ratio.toFixed(2)} (goal ≤ 1.5: ${ratio <= 1.5 ? 'met' : 'NOT met'})`);
    if (app.records < RECORDS || raw.records < RECORDS) {
      console.log(`INCOMPLETE: expected ${RECORDS} records on each side`);
      process.exitCode = 1;
    }
    console.log(`machine load average: ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} on ${os.cpus().length} cores`);
  } finally {
    await context.close();
  }
} finally {
  await link?.close();
  await hub.close();
  server.close();
  await rm(profile, { recursive: true, force: true });
  await rm(bundleDir, { recursive: true, force: true });
}
process.exit();
