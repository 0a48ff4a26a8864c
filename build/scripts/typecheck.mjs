// Type-checks each environment with its own tsconfig (see tsconfig.<env>.json), so an API from the
// wrong environment fails the build. Runs the checks in parallel and reports each.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const environments = ['pure', 'node', 'dom', 'electron-main', 'preload', 'test'];
const tsc = 'node_modules/typescript/bin/tsc';

const run = (env) =>
  new Promise((resolve) => {
    const project = `tsconfig.${env}.json`;
    if (!existsSync(project)) return resolve({ env, code: 1, output: `${project} is missing\n` });
    const child = spawn(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ env, code, output }));
  });

const results = await Promise.all(environments.map(run));
let failed = 0;
for (const { env, code, output } of results) {
  // TS18003 "No inputs were found" means an environment has no files yet: not an error.
  const empty = /TS18003/.test(output) && output.trim().split('\n').length === 1;
  if (code === 0 || empty) {
    console.log(`typecheck ${env}: ok${empty ? ' (no files yet)' : ''}`);
  } else {
    failed++;
    console.log(`typecheck ${env}: FAILED\n${output}`);
  }
}
process.exit(failed ? 1 : 0);
