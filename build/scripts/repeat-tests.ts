/**
 * Runs a vitest selection N times in a row and says which tests failed in which runs — the check for
 * flaky tests (issue 19: a suite that fails one run in three teaches everyone to ignore red).
 *
 *   npm run test:repeat -- --times 5                      # the E2E suite, five times
 *   npm run test:repeat -- --times 3 --project dom        # another project
 *   npm run test:repeat -- --times 10 tests/e2e/drafts    # one file (any vitest filter)
 *
 * Exit code 1 when any test failed in any run. Each run's JSON report is kept under
 * node_modules/.cache/repeat-tests/ for a closer look.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { times: { type: 'string', default: '5' }, project: { type: 'string', default: 'e2e' } },
});
const times = Number(values.times);
if (!Number.isInteger(times) || times < 1) throw new Error(`--times must be a positive whole number, not "${values.times}"`);

interface JsonReport {
  testResults: Array<{ name: string; assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>; status: string; message?: string }>;
}

const outDir = path.resolve('node_modules/.cache/repeat-tests');
mkdirSync(outDir, { recursive: true });
const failures = new Map<string, number[]>();
const durations: number[] = [];

for (let run = 1; run <= times; run++) {
  const report = path.join(outDir, `run-${run}.json`);
  const started = Date.now();
  console.log(`\n── run ${run} of ${times} ──`);
  spawnSync('npx', ['vitest', 'run', '--project', values.project!, '--reporter=dot', '--reporter=json', `--outputFile.json=${report}`, ...positionals], {
    stdio: 'inherit',
  });
  durations.push((Date.now() - started) / 1000);
  const results = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
  for (const file of results.testResults) {
    const name = path.relative(process.cwd(), file.name);
    const failed = file.assertionResults.filter((t) => t.status === 'failed').map((t) => `${name} > ${t.fullName}`);
    // A file that failed before any test ran (set-up, import) counts as one failure of the file.
    if (file.status === 'failed' && failed.length === 0) failed.push(`${name} (file: ${file.message?.split('\n')[0] ?? 'failed'})`);
    for (const test of failed) failures.set(test, [...(failures.get(test) ?? []), run]);
  }
}

console.log(`\n${times} runs of --project ${values.project} ${positionals.join(' ')}: ${durations.map((d) => `${d.toFixed(0)} s`).join(', ')}`);
if (failures.size === 0) console.log('no test failed in any run');
for (const [test, runs] of failures) console.log(`FAILED ${runs.length}/${times} (runs ${runs.join(', ')}): ${test}`);
process.exitCode = failures.size === 0 ? 0 : 1;
