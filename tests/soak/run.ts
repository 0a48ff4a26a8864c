/**
 * `npm run soak -- --clinics N --workstations M --hours H --seed S [--minutes X] [--hubs K]
 *  [--patients P] [--report FILE] [--charts DIR] [--keep-db]
 *  [--no-faults]`: a county day under faults (soak.ts). `--hours` is
 * the real length of the day phase (default 0.5); `--minutes` says the same in minutes. Prints the
 * figures and the verdict; writes the whole report as JSON with `--report`. Exit code 1 on any lost,
 * duplicated or misplaced record, 2 when the run itself failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { healthChart, latencyChart } from './charts.ts';
import { printReport } from './print.ts';
import { runSoak } from './soak.ts';

const { values } = parseArgs({
  options: {
    clinics: { type: 'string', default: '4' },
    workstations: { type: 'string', default: '3' },
    hours: { type: 'string' },
    minutes: { type: 'string' },
    seed: { type: 'string', default: '17' },
    hubs: { type: 'string', default: '1' },
    patients: { type: 'string' },
    report: { type: 'string' },
    charts: { type: 'string' },
    'keep-db': { type: 'boolean', default: false },
    'no-faults': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});

const minutes = values.minutes !== undefined ? Number(values.minutes) : Number(values.hours ?? '0.5') * 60;
try {
  const report = await runSoak({
    clinics: Number(values.clinics),
    workstations: Number(values.workstations),
    minutes,
    seed: Number(values.seed),
    hubs: Number(values.hubs),
    ...(values.patients ? { patientsPerClinic: Number(values.patients) } : {}),
    keepDatabase: values['keep-db'],
    faults: !values['no-faults'],
    log: values.quiet ? () => {} : (line) => console.error(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}`),
  });
  printReport(report);
  if (values.report) writeFileSync(values.report, JSON.stringify(report, null, 2));
  if (values.charts) {
    mkdirSync(values.charts, { recursive: true });
    writeFileSync(path.join(values.charts, 'soak-latency.svg'), latencyChart(report));
    writeFileSync(path.join(values.charts, 'soak-hub-health.svg'), healthChart(report));
  }
  process.exit(report.verdict.ok ? 0 : 1);
} catch (error) {
  console.error('soak run failed:', error);
  process.exit(2);
}
