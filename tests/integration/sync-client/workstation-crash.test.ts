/**
 * A clinic PC that loses power in the middle of a push. The workstation runs in its own process
 * (workstation-process.ts) against the real hub through a slow link (FaultProxy delaying every
 * chunk), so the hub commits the first batch while its answer is still on the wire; then the process
 * gets SIGKILL. The PC restarts with the documents its local database held (put back as stored:
 * memory storage does not outlive a process, IndexedDB does) and replicates from scratch — the
 * client keeps no push checkpoint of the killed run (the push handler never returned). It re-pushes
 * every record; the hub must end with each record exactly once, the committed batch untouched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Patient } from '../../../core/records/index.ts';
import type { StartedHub } from '../../../sync/hub/start.ts';
import { startTestHub } from '../../support/pglite-template.ts';
import { demoWorkstation, login, type Session } from '../hub/support/client.ts';
import { FaultProxy } from '../hub/support/fault-proxy.ts';
import { pullAll } from '../hub/support/sync.ts';

const script = fileURLToPath(new URL('./workstation-process.ts', import.meta.url));
const PATIENTS = 120;
const PUSH_BATCH = 50;

interface WorkstationProcess {
  child: ChildProcess;
  /** Resolves with the first stdout message that has `key`. */
  message<T = Record<string, unknown>>(key: string, timeoutMs?: number): Promise<T>;
  exited: Promise<NodeJS.Signals | number | null>;
}

function spawnWorkstation(options: object): WorkstationProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      messages.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return; // not one of ours (a library notice)
    }
    waiters.splice(0).forEach((w) => w());
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  return {
    child,
    exited,
    async message<T>(key: string, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find((m) => key in m);
        if (found) return found as T;
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`workstation process ended before "${key}"`);
        if (Date.now() > deadline) throw new Error(`no "${key}" from the workstation process in ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 50);
          waiters.push(() => (clearTimeout(t), resolve()));
        });
      }
    },
  };
}

let hub: StartedHub;
let proxy: FaultProxy;
let proxyUrl: string;
let nurse: Session;
let doctor: Session;
const children: ChildProcess[] = [];

const hubRows = async (ids: string[]) =>
  (await hub.context.db.query<{ id: string; doc: Patient; seq: string }>("select id, doc, seq from records where collection = 'patients' and id = any($1)", [ids])).rows;

beforeAll(async () => {
  hub = await startTestHub({ port: 0, demo: true, logLevel: 'silent' });
  proxy = new FaultProxy(Number(new URL(hub.url).port));
  proxyUrl = await proxy.listen();
  nurse = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
  doctor = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
afterAll(async () => {
  await proxy?.close();
  await hub?.close();
});

describe('a workstation killed in the middle of a push', () => {
  it('re-pushes after the restart and the hub holds every record exactly once, the committed batch unchanged', async () => {
    // Every chunk each way waits 1.5 s: the hub has committed a push long before its answer arrives.
    proxy.always({ kind: 'delay', ms: 1500 });
    const first = spawnWorkstation({ hubUrl: proxyUrl, token: nurse.accessToken, institutionId: 'chengguan', patients: PATIENTS, pushBatchSize: PUSH_BATCH });
    children.push(first.child);
    const { stored } = await first.message<{ stored: Patient[] }>('stored');
    const ids = stored.map((p) => p.id);
    expect(ids).toHaveLength(PATIENTS);

    // Power cut as soon as the hub has committed the first batch, its answer still in the proxy.
    const deadline = Date.now() + 45_000;
    while ((await hubRows(ids)).length === 0) {
      if (Date.now() > deadline) throw new Error('the first push never reached the hub');
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    await expect(first.message('inSync', 0)).rejects.toThrow(/ended before/);
    const committed = await hubRows(ids);
    // One transaction per push: the hub holds the whole first batch, not a part of it.
    expect(committed).toHaveLength(PUSH_BATCH);
    const seqAtCrash = new Map(committed.map((r) => [r.id, r.seq]));

    proxy.always({ kind: 'none' });
    const restarted = spawnWorkstation({ hubUrl: proxyUrl, token: nurse.accessToken, institutionId: 'chengguan', restore: stored, pushBatchSize: PUSH_BATCH });
    children.push(restarted.child);
    await restarted.message('inSync', 45_000);
    expect(await restarted.exited).toBe(0);

    const rows = await hubRows(ids);
    expect(rows).toHaveLength(PATIENTS);
    const byId = new Map(stored.map((p) => [p.id, p]));
    for (const row of rows) {
      // Exactly what the nurse saved: not re-stamped, and not merged as a duplicate of itself.
      expect(row.doc).toEqual(byId.get(row.id));
      if (seqAtCrash.has(row.id)) expect(row.seq).toBe(seqAtCrash.get(row.id));
    }
    // Another PC of the clinic pulls each patient once, and one patient per ID number.
    const pulled = (await pullAll(hub.url, doctor, 'patients')).documents.filter((d) => byId.has(d.id));
    expect(pulled).toHaveLength(PATIENTS);
    expect(new Set(pulled.map((d) => d.idNumber)).size).toBe(PATIENTS);
  });
});
