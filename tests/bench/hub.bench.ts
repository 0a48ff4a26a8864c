/**
 * Hub push throughput: 200 simulated workstations push at once over loopback, each a bounded loop
 * of pushes (2 new patients per push, the way a registration desk syncs). Prints pushes per second,
 * records per second and latency percentiles, on PGlite (the embedded default) and, when it is
 * running, the PostgreSQL server on 127.0.0.1:5432 (a scratch database, dropped afterwards).
 *
 *   npx tsx tests/bench/hub.bench.ts   (BENCH_WORKSTATIONS, BENCH_PUSHES change the load; BENCH_STORE=pglite|postgres runs one)
 *
 * Setup shortcut: the 200 workstations are inserted and their access tokens signed directly, so the
 * figures measure replication, not 200 scrypt logins.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import pg from 'pg';
import { makePatient } from '../../core/records/builders.ts';
import { paths } from '../../sync/protocol/wire.ts';
import { startHub, type StartedHub } from '../../sync/hub/start.ts';
import { issueAccessToken } from '../../sync/hub/auth/tokens.ts';
import { figure } from './support/figures.ts';

const WORKSTATIONS = Number(process.env.BENCH_WORKSTATIONS ?? 200);
const PUSHES_PER_WORKSTATION = Number(process.env.BENCH_PUSHES ?? 10);
const PATIENTS_PER_PUSH = 2;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function prepareWorkstations(hub: StartedHub): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < WORKSTATIONS; i++) {
    const institutionId = i % 2 === 0 ? 'chengguan' : 'hekou';
    const id = `ws-bench-${i}`;
    await hub.context.db.query('insert into workstations (id, institution_id, name, credential_hash, enrolled_at) values ($1, $2, $3, $4, now()) on conflict do nothing', [
      id,
      institutionId,
      `bench ${i}`,
      randomBytes(32).toString('hex'),
    ]);
    tokens.push(await issueAccessToken(hub.context.keys, { userId: `${institutionId}-nurse`, workstationId: id, institutionId, role: 'nurse' }, 3600));
  }
  return tokens;
}

async function run(label: string, options: { dataDir?: string; databaseUrl?: string }) {
  const hub = await startHub({ ...options, port: 0, demo: true, logLevel: 'silent' });
  try {
    const tokens = await prepareWorkstations(hub);
    const latencies: number[] = [];
    let failures = 0;
    const started = performance.now();
    await Promise.all(
      tokens.map(async (token, i) => {
        const institutionId = i % 2 === 0 ? 'chengguan' : 'hekou';
        for (let k = 0; k < PUSHES_PER_WORKSTATION; k++) {
          const rows = Array.from({ length: PATIENTS_PER_PUSH }, () => ({ newDocumentState: { ...makePatient({ institutionId }), _deleted: false }, assumedMasterState: null }));
          const t0 = performance.now();
          const response = await fetch(`${hub.url}${paths.push('patients')}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ rows }),
          });
          await response.arrayBuffer();
          latencies.push(performance.now() - t0);
          if (response.status !== 200) failures++;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const pushes = latencies.length;
    const stored = await hub.context.db.query<{ n: string }>("select count(*) as n from records where collection = 'patients'");
    figure({ name: `hub push throughput (${label})`, value: (pushes * PATIENTS_PER_PUSH) / seconds, unit: 'records/s', note: `${WORKSTATIONS} workstations × ${PUSHES_PER_WORKSTATION} pushes` });
    figure({ name: `hub push latency p95 (${label})`, value: percentile(latencies, 95), unit: 'ms' });
    console.log(
      `${label.padEnd(9)} ${WORKSTATIONS} workstations × ${PUSHES_PER_WORKSTATION} pushes: ${(pushes / seconds).toFixed(0)} pushes/s, ` +
        `${((pushes * PATIENTS_PER_PUSH) / seconds).toFixed(0)} records/s, latency p50 ${percentile(latencies, 50).toFixed(0)} ms, ` +
        `p95 ${percentile(latencies, 95).toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms, failures ${failures}, stored ${stored.rows[0]!.n}`,
    );
  } finally {
    await hub.close();
  }
}

const postgresUp = await new Promise<boolean>((resolve) => {
  const s = net.connect(5432, '127.0.0.1');
  s.once('connect', () => (s.destroy(), resolve(true)));
  s.once('error', () => resolve(false));
});

const only = process.env.BENCH_STORE;
if (only !== 'postgres') await run('pglite', {}); // in memory: the figures are the hub's, not the disk's
if (only === 'pglite') {
  // PostgreSQL not asked for
} else if (postgresUp) {
  const name = `hub_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    await run('postgres', { databaseUrl: `postgres://postgres@127.0.0.1:5432/${name}` });
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
} else {
  console.log('postgres  skipped: nothing listens on 127.0.0.1:5432');
}
