/**
 * The runner's side of a workstation process: fork it, send it commands and await the answers,
 * receive its events, kill it with SIGKILL and start it again on the same stored database.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command, Reply, WorkstationEvent, WorkstationOptions } from './protocol.ts';

const script = fileURLToPath(new URL('./workstation.ts', import.meta.url));

export class WorkstationDownError extends Error {
  override readonly name = 'WorkstationDownError';
}

export class WorkstationHandle {
  private child: ChildProcess | undefined;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readyPromise: Promise<void> = Promise.resolve();
  starts = 0;
  kills = 0;
  restoredDocuments = 0;

  constructor(
    readonly options: WorkstationOptions,
    private readonly onEvent: (ws: WorkstationHandle, event: WorkstationEvent) => void,
    private readonly logFile?: string,
  ) {}

  get name(): string {
    return this.options.name;
  }

  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the process has opened its database and started replicating. */
  get ready(): Promise<void> {
    return this.readyPromise;
  }

  start(): Promise<void> {
    const child = fork(script, [JSON.stringify(this.options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child = child;
    this.starts++;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    this.readyPromise = new Promise<void>((resolve, reject) => {
      child.on('message', (message: WorkstationEvent | Reply) => {
        if ('re' in message) {
          const waiter = this.waiting.get(message.re);
          this.waiting.delete(message.re);
          if (message.ok) waiter?.resolve(message.value);
          else waiter?.reject(new Error(`${this.name}: ${message.error}`));
          return;
        }
        if (message.ev === 'ready') {
          this.restoredDocuments = message.restoredDocuments;
          resolve();
        }
        this.onEvent(this, message);
      });
      child.once('exit', (code, signal) => {
        reject(new Error(`${this.name} exited before it was ready (${signal ?? code}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
        for (const [, waiter] of this.waiting) waiter.reject(new WorkstationDownError(`${this.name} went down (${signal ?? code})`));
        this.waiting.clear();
        if (signal !== 'SIGKILL' && code !== 0 && this.logFile) console.error(`[soak] ${this.name} exited ${signal ?? code}: ${stderr.trim().split('\n').slice(-8).join('\n')}`);
      });
    });
    this.readyPromise.catch(() => undefined);
    return this.readyPromise;
  }

  async call<T = unknown>(command: Command, timeoutMs = 10 * 60_000): Promise<T> {
    if (!this.alive) throw new WorkstationDownError(`${this.name} is down`);
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(seq);
        reject(new Error(`${this.name}: ${command.op} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(seq, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child!.send({ ...command, seq });
    });
  }

  /** Power cut: SIGKILL, nothing flushed beyond what the store had committed. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    this.kills++;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    const child = this.child!;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await this.call({ op: 'stop' }, 30_000).catch(() => child.kill('SIGKILL'));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
