/**
 * `npm run bench [-- NAME…] [--write]`: runs every tests/bench/*.bench.ts (or those whose name
 * contains one of the given words) one after another, each in its own process, then the soak's
 * short run (tests/soak; the word `soak` selects it alone), and prints their figures. Benchmarks
 * never run inside `npm test`.
 *
 * Every bench reports its figures through tests/bench/support/figures.ts. A full run (no NAME), or
 * any run with `--write`, writes them as one table with the machine they ran on and the target beside
 * each: docs/performance.json and docs/performance.md. A partial run replaces only the figures of the
 * benches it ran; each row keeps the date and machine it was measured on.
 *
 * BENCH_SOAK_MINUTES (default 1), BENCH_SOAK_CLINICS (2), BENCH_SOAK_WORKSTATIONS (2) size the soak.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { meets, type RecordedFigure } from './support/figures.ts';
import type { SoakReport } from '../soak/soak.ts';

const benchDir = import.meta.dirname;
const root = path.resolve(benchDir, '../..');
const args = process.argv.slice(2);
const write = args.includes('--write');
const filters = args.filter((a) => !a.startsWith('--'));
const selected = (name: string) => filters.length === 0 || filters.some((word) => name.includes(word));
const benches = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter(selected)
  .sort();
const runSoak = selected('soak');

if (benches.length === 0 && !runSoak) {
  console.error(`No benchmark matches ${filters.join(', ') || '(none found)'}`);
  process.exit(1);
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-'));
const figuresFile = path.join(scratch, 'figures.ndjson');
const outcome = new Map<string, { ok: boolean; seconds: number }>();
let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench} ===`);
  const name = bench.replace(/\.bench\.ts$/, '');
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, bench)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_FIGURES: figuresFile, BENCH_NAME: name },
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(`--- ${bench}: ${result.status === 0 ? 'done' : `FAILED (exit ${result.status})`} in ${seconds.toFixed(1)} s`);
  outcome.set(name, { ok: result.status === 0, seconds });
  if (result.status !== 0) failed++;
}

const figures: RecordedFigure[] = existsSync(figuresFile)
  ? readFileSync(figuresFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as RecordedFigure)
  : [];

if (runSoak) {
  const minutes = process.env.BENCH_SOAK_MINUTES ?? '1';
  const clinics = process.env.BENCH_SOAK_CLINICS ?? '2';
  const workstations = process.env.BENCH_SOAK_WORKSTATIONS ?? '2';
  console.log(`\n=== soak (short run: ${clinics} clinics × ${workstations} PCs, ${minutes} min day) ===`);
  const reportFile = path.join(scratch, 'soak.json');
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      ...['--import', 'tsx', path.join(root, 'tests/soak/run.ts'), '--clinics', clinics, '--workstations', workstations, '--minutes', minutes, '--seed', '17', '--report', reportFile],
      // Its latency distributions and the hub's health as SVG beside the table.
      ...(filters.length === 0 || write ? ['--charts', path.join(root, 'docs/performance')] : []),
    ],
    { stdio: 'inherit' },
  );
  const seconds = (Date.now() - started) / 1000;
  console.log(`--- soak: ${result.status === 0 ? 'done' : `FAILED (exit ${result.status})`} in ${seconds.toFixed(1)} s`);
  outcome.set('soak', { ok: result.status === 0, seconds });
  if (result.status !== 0) failed++;
  if (existsSync(reportFile)) figures.push(...soakFigures(JSON.parse(readFileSync(reportFile, 'utf8')) as SoakReport));
}
rmSync(scratch, { recursive: true, force: true });

/** The soak report as figures: what was lost (target none), the latencies under faults, the hub's cost, growth. */
function soakFigures(r: SoakReport): RecordedFigure[] {
  const note = `${r.options.clinics} clinics × ${r.options.workstations} PCs, ${r.options.minutes} min day, ${r.faults.total} faults injected`;
  const f = (name: string, value: number | null, unit: string, extra: Partial<RecordedFigure> = {}): RecordedFigure => ({ bench: 'soak', name, value, unit, note, ...extra });
  return [
    f('problems: records lost, duplicated or misplaced, files or reports missing', r.verdict.problems, 'problems', { target: { op: '<=', value: 0 } }),
    f('faults injected', r.faults.total, 'faults', { target: { op: '>', value: 0 } }),
    f('sync under faults, save → other PC p50', r.latencies.syncSaveToOtherPc!.p50Ms, 'ms'),
    f('sync under faults, save → other PC p95', r.latencies.syncSaveToOtherPc!.p95Ms, 'ms'),
    f('ECG send → worklist under faults p95', r.latencies.ecgSendToWorklist!.p95Ms, 'ms'),
    f('sign → clinic under faults p95', r.latencies.signToClinic!.p95Ms, 'ms'),
    f('critical value sign → acknowledged p95', r.latencies.criticalSignToAcknowledged!.p95Ms, 'ms'),
    f('hub CPU, mean over the run', r.hub.cpuPctMean, '% of a core'),
    f('hub resident memory, peak', r.hub.rssMiBPeak, 'MiB'),
    f('hub open file descriptors, end', r.hub.openFdsEnd, 'fds'),
    f('PostgreSQL tables + indexes per 10k records', Math.round(r.postgres.totalBytesPer10kRecords / 1024), 'KiB'),
    f('clinic PC store per 10k records', r.clinicStore.length ? Math.round(r.clinicStore.reduce((s, c) => s + c.bytesPer10kRecords, 0) / r.clinicStore.length / 1024) : null, 'KiB'),
  ];
}

if (filters.length === 0 || write) writeReport(figures);
process.exit(failed ? 1 : 0);

interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverage: number[];
}
interface Row extends RecordedFigure {
  met: boolean | null;
  measuredAt: string;
  commit: string;
  machine: Machine;
}

function writeReport(fresh: RecordedFigure[]): void {
  const jsonFile = path.join(root, 'docs/performance.json');
  const mdFile = path.join(root, 'docs/performance.md');
  const machine: Machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
  };
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim() || 'unknown';
  const measuredAt = new Date().toISOString();
  const ran = new Set(outcome.keys());
  const previous: Row[] = existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as { figures: Row[] }).figures : [];
  const rows: Row[] = [
    ...previous.filter((r) => !ran.has(r.bench)),
    ...fresh.map((fig) => ({ ...fig, met: meets(fig.value, fig.target), measuredAt, commit, machine })),
  ].sort((a, b) => (a.bench === b.bench ? 0 : a.bench < b.bench ? -1 : 1));
  const failedBenches = [...outcome].filter(([, o]) => !o.ok).map(([name]) => name);
  writeFileSync(jsonFile, `${JSON.stringify({ generatedAt: measuredAt, figures: rows }, null, 2)}\n`);

  const fmt = (v: number | null) => (v === null ? '—' : Number.isInteger(v) || Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
  const machineOf = (m: Machine) => `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}`;
  const machines = [...new Set(rows.map((r) => machineOf(r.machine)))];
  const lines = [
    '# Performance',
    '',
    'Every figure the benchmarks (`tests/bench/*.bench.ts`) and the soak (`tests/soak`, short run) report, with its target where',
    'one is set. Written by `npm run bench` (all of them) or `npm run bench -- NAME… --write` (those named; the other rows keep',
    'their earlier measurement). The same rows as JSON: [performance.json](performance.json).',
    '',
    `Machines: ${machines.map((m, i) => `(${String.fromCharCode(97 + i)}) ${m}`).join('; ')}.`,
    'The development machine is shared (2 cores, other jobs running): the load average at the time is kept with each row in the JSON.',
    '',
    '| bench | figure | value | unit | target | met | measured | machine | note |',
    '| --- | --- | ---: | --- | --- | :---: | --- | :---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.bench} | ${r.name} | ${fmt(r.value)} | ${r.unit} | ${r.target ? `${r.target.op} ${r.target.value}` : ''} | ${r.met === null ? '' : r.met ? 'yes' : '**no**'} | ${r.measuredAt.slice(0, 10)} ${r.commit} | ${String.fromCharCode(97 + machines.indexOf(machineOf(r.machine)))} | ${r.note ?? ''} |`,
    ),
    '',
    ...(failedBenches.length ? [`Benches that failed in the last run (their rows may be missing or partial): ${failedBenches.join(', ')}.`, ''] : []),
    ...(existsSync(path.join(root, 'docs/performance/soak-latency.svg'))
      ? ['## The soak short run', '', '![soak latency distributions](performance/soak-latency.svg)', '', '![hub memory and open files over the soak](performance/soak-hub-health.svg)', '']
      : []),
    '## Reproduce',
    '',
    '```sh',
    'npm run bench                       # every bench and the soak short run; rewrites this page',
    'npm run bench -- sync soak --write  # some of them; replaces only their rows',
    'npm run soak -- --clinics 4 --workstations 3 --hours 0.5 --seed 17   # the long soak (not in this table)',
    '```',
    '',
  ];
  writeFileSync(mdFile, lines.join('\n'));

  // The README's Performance section shows the same table, between its markers.
  const readmeFile = path.join(root, 'README.md');
  const readme = readFileSync(readmeFile, 'utf8');
  const start = '<!-- performance:start -->';
  const end = '<!-- performance:end -->';
  if (readme.includes(start) && readme.includes(end)) {
    const table = [
      start,
      `| bench | figure | value | target | met |`,
      '| --- | --- | ---: | --- | :---: |',
      ...rows.map((r) => `| ${r.bench} | ${r.name} | ${fmt(r.value)} ${r.unit} | ${r.target ? `${r.target.op} ${r.target.value}` : ''} | ${r.met === null ? '' : r.met ? 'yes' : '**no**'} |`),
      '',
      `Measured on ${machines.join('; ')} (shared, 2 cores); dates, commits and notes per row in [docs/performance.md](docs/performance.md).`,
      end,
    ].join('\n');
    writeFileSync(readmeFile, readme.slice(0, readme.indexOf(start)) + table + readme.slice(readme.indexOf(end) + end.length));
  }
  console.log(`\nwrote ${path.relative(root, mdFile)} and ${path.relative(root, jsonFile)} (${fresh.length} new figures, ${rows.length} in all)`);
}
