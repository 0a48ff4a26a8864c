/**
 * A real pseudo-terminal pair from socat (docs/protocols.md §5): what one end writes, the other reads,
 * through the kernel's tty layer. Killing socat closes both masters, which the opened ends see as
 * the device being unplugged; `replug()` starts socat again on the same link paths.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** The end a driver (or the `device` CLI) opens. */
  hostPath: string;
  /** The end a simulator (or the `sim` CLI) opens. */
  devicePath: string;
  /** Kills socat: both ends lose their master, like pulling a USB adapter. */
  unplug(): Promise<void>;
  /** Starts socat again on the same paths. */
  replug(): Promise<void>;
  dispose(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startPtyPair(): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-pty-'));
  const hostPath = join(dir, 'host');
  const devicePath = join(dir, 'device');
  let socat: ChildProcess | undefined;

  const start = async () => {
    const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${devicePath}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    socat = child;
    const deadline = Date.now() + 5000;
    // socat logs "starting data transfer loop" once both ptys exist and it is relaying.
    while (!(existsSync(hostPath) && existsSync(devicePath) && stderr.includes('starting data transfer loop'))) {
      if (child.exitCode !== null) throw new Error(`socat exited: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`socat links did not appear: ${stderr}`);
      await sleep(10);
    }
  };

  const stop = async () => {
    const child = socat;
    socat = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    // socat removes its links on exit; wait so a replug cannot race the removal.
    const deadline = Date.now() + 2000;
    while ((existsSync(hostPath) || existsSync(devicePath)) && Date.now() < deadline) await sleep(10);
  };

  await start();
  return {
    hostPath,
    devicePath,
    unplug: stop,
    replug: start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
