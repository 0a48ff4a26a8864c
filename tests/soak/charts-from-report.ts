/** `npx tsx tests/soak/charts-from-report.ts REPORT.json DIR [PREFIX]`: the two SVG charts of a saved soak report. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { healthChart, latencyChart } from './charts.ts';
import type { SoakReport } from './soak.ts';

const [file, dir, prefix = 'soak'] = process.argv.slice(2);
if (!file || !dir) {
  console.error('usage: charts-from-report.ts REPORT.json DIR [PREFIX]');
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8')) as SoakReport;
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, `${prefix}-latency.svg`), latencyChart(report));
writeFileSync(path.join(dir, `${prefix}-hub-health.svg`), healthChart(report));
