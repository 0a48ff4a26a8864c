/**
 * Runs a hub in its own process: `node --import tsx hub-process.ts '<options json>'`. Prints
 * `{"url": …}` on stdout once listening. Crash tests kill it with SIGKILL, like a power cut; the
 * multi-process tests run two of them on one PostgreSQL database. `spawnHub` starts one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startHub } from '../../sync/hub/start.ts';

export interface HubProcess {
  url: string;
  child: ChildProcess;
}

export async function spawnHub(options: object): Promise<HubProcess> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify({ port: 0, demo: true, ...options })], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    if (out.includes('\n')) break;
  }
  if (!out.includes('\n')) throw new Error(`The hub process exited before listening (exit code ${child.exitCode})`);
  return { url: JSON.parse(out.split('\n')[0]!).url, child };
}

export async function killHard(hub: HubProcess): Promise<void> {
  hub.child.kill('SIGKILL');
  if (hub.child.exitCode === null && hub.child.signalCode === null) await once(hub.child, 'exit');
}

// Run as a script (the child): start the hub and say where it listens.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = JSON.parse(process.argv[2] ?? '{}');
  const hub = await startHub({ ...options, logLevel: 'silent' });
  process.stdout.write(`${JSON.stringify({ url: hub.url })}\n`);
}
