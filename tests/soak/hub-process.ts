/**
 * The county hub as the soak runs it: `sync/hub/main.ts` (what `npm run hub` starts) in a child
 * process of its own, on the run's PostgreSQL database, on a fixed port so the fault proxies keep
 * pointing at it across restarts. The node process is the hub itself (tsx is a loader, not a
 * wrapper), so SIGKILL is a real crash. Its CPU time, resident memory and open file descriptors are
 * read from /proc (Linux) for the long-run health series.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, type WriteStream } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const hubMain = fileURLToPath(new URL('../../sync/hub/main.ts', import.meta.url));
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

export const freePort = async (): Promise<number> => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

export interface HubSample {
  rssBytes: number;
  openFds: number;
  /** CPU seconds (user + system) of this process since it started. */
  cpuSeconds: number;
}

export class HubProcess {
  private child: ChildProcess | undefined;
  private log: WriteStream;
  /** CPU seconds of earlier lives of this hub (before restarts). */
  private cpuBefore = 0;
  private lastCpu = 0;
  starts = 0;
  unexpectedExits = 0;
  private stopping = false;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  async start(timeoutMs = 180_000): Promise<void> {
    this.stopping = false;
    const child = spawn(process.execPath, ['--import', 'tsx', hubMain], {
      env: { ...process.env, ...this.env, HUB_PORT: String(this.port), HUB_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    this.lastCpu = 0;
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    child.once('exit', (code, signal) => {
      this.cpuBefore += this.lastCpu;
      this.lastCpu = 0;
      if (!this.stopping) this.unexpectedExits++;
      this.log.write(`\n[soak] ${this.name} exited: ${signal ?? code}\n`);
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${this.name} exited while starting (${child.signalCode ?? child.exitCode}); see its log`);
      try {
        const response = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`${this.name} did not answer /healthz in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGTERM: a clean stop (in-flight requests finish); SIGKILL: a crash. */
  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.sample(); // the CPU time of this life, read before it is gone
    this.stopping = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }

  /** Restarts the hub if it died on its own (a supervisor's job in production: systemd, a container). */
  async ensureRunning(): Promise<boolean> {
    if (this.pid !== undefined || this.stopping) return false;
    await this.start();
    return true;
  }

  sample(): HubSample | undefined {
    const pid = this.pid;
    if (pid === undefined) return undefined;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[11], fields[12]: utime, stime (stat fields 14 and 15)
      this.lastCpu = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return { rssBytes: Number(rss?.[1] ?? 0) * 1024, openFds: readdirSync(`/proc/${pid}/fd`).length, cpuSeconds: this.lastCpu };
    } catch {
      return undefined; // it just exited
    }
  }

  /** CPU seconds over every life of this hub. */
  get totalCpuSeconds(): number {
    return this.cpuBefore + this.lastCpu;
  }

  close(): void {
    this.log.end();
  }
}
