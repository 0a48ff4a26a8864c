/**
 * `npm run bench [-- NAME…]`: runs every tests/bench/*.bench.ts (or those whose name contains one of
 * the given words) one after another, each in its own process, and prints their figures. Benchmarks
 * never run inside `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const benchDir = import.meta.dirname;
const filters = process.argv.slice(2);
const benches = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((word) => f.includes(word)))
  .sort();

if (benches.length === 0) {
  console.error(`No benchmark matches ${filters.join(', ') || '(none found)'}`);
  process.exit(1);
}

let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench} ===`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, bench)], { stdio: 'inherit' });
  console.log(`--- ${bench}: ${result.status === 0 ? 'done' : `FAILED (exit ${result.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
