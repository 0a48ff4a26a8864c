/**
 * The device host supervisor relaying to a real device agent server in demo mode (the same server
 * the utility process runs), with the utility process itself faked: `spawn` starts the server in
 * this process and posts the 'ready' message a real host posts over its parentPort.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { DeviceEvent } from '../../core/contract/workstation-api.ts';
import { startDeviceAgentServer, type DeviceAgentServer } from '../../devices/agent/ws-server.ts';
import { DeviceHost, type HostProcess, type HostSocket } from './device-host.ts';

vi.mock('electron', () => ({}));

/** A stand-in for the utility process; `crash()` is what a segfaulting driver looks like to main. */
class FakeHostProcess extends EventEmitter implements HostProcess {
  server: DeviceAgentServer | undefined;
  killed = false;
  constructor(readonly configDir: string, readonly behaviour: 'healthy' | 'never-ready' = 'healthy') {
    super();
    if (behaviour === 'healthy') {
      void startDeviceAgentServer({ configDir, demo: true, binding: 'mock', demoKinds: ['id-card'] }).then((server) => {
        this.server = server;
        if (this.killed) return void server.close();
        this.emit('message', { type: 'ready', url: server.url, token: server.token });
      });
    }
  }
  crash(code = 139): void {
    void this.server?.close();
    this.emit('exit', code);
  }
  kill(): boolean {
    this.killed = true;
    void this.server?.close().then(() => this.emit('exit', 0));
    if (!this.server) this.emit('exit', 0);
    return true;
  }
}

const hosts: DeviceHost[] = [];
const processes: FakeHostProcess[] = [];

function makeHost(options: { behaviours?: Array<'healthy' | 'never-ready'>; readyTimeoutMs?: number; callTimeoutMs?: number } = {}) {
  const configDir = mkdtempSync(path.join(tmpdir(), 'cw-host-'));
  const events: DeviceEvent[] = [];
  const lines: string[] = [];
  const behaviours = [...(options.behaviours ?? [])];
  const host = new DeviceHost({
    spawn: () => {
      const child = new FakeHostProcess(configDir, behaviours.shift() ?? 'healthy');
      processes.push(child);
      return child;
    },
    connect: (url) => new WebSocket(url) as unknown as HostSocket,
    onEvent: (event) => events.push(event),
    log: (line) => lines.push(line),
    restartDelaysMs: [20, 40],
    readyTimeoutMs: options.readyTimeoutMs ?? 5_000,
    ...(options.callTimeoutMs ? { callTimeoutMs: () => options.callTimeoutMs as number } : {}),
  });
  hosts.push(host);
  return { host, events, lines };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

afterEach(async () => {
  hosts.splice(0).forEach((h) => h.stop());
  await Promise.all(processes.splice(0).map((p) => p.server?.close()));
});

describe('device host supervisor', () => {
  it('relays agent calls to the host once it is ready, queueing calls made while it starts', async () => {
    const { host } = makeHost();
    host.start();
    expect(host.state).toBe('starting');
    const ports = (await host.call('listPorts')) as Array<{ path: string }>;
    expect(host.state).toBe('ready');
    expect(ports.map((p) => p.path)).toContain('demo:id-card');
  });

  it('pushes the card a simulated reader reads as a device event', async () => {
    const { host, events } = makeHost();
    host.start();
    const samples = (await host.call('simulator.listSamples')) as Array<{ id: string; kind: string }>;
    const idCard = samples.find((s) => s.kind === 'id-card');
    await host.call('simulator.placeCard', { sampleId: idCard?.id });
    await until(() => events.some((e) => e.type === 'identity-document'));
  });

  it('keeps the agent’s own device error code and Chinese message', async () => {
    const { host } = makeHost();
    host.start();
    await expect(host.call('simulator.scanCode', { text: '123' })).rejects.toMatchObject({ code: 'not-configured', key: 'device.not-configured', messageZh: '尚未配置该设备' });
  });

  it('restarts a crashed host, failing the calls in flight with a device error, and serves again', async () => {
    const { host, events, lines } = makeHost();
    host.start();
    await host.call('listPorts');
    const inFlight = host.call('autoDetect');
    processes[0]?.crash();
    await expect(inFlight).rejects.toMatchObject({ code: 'device-host-down', messageZh: '设备服务异常退出，正在重新启动，请稍后再试' });
    expect(events).toContainEqual(expect.objectContaining({ type: 'status', kind: 'id-card', status: 'error' }));
    expect(host.state).toBe('restarting');
    const ports = (await host.call('listPorts')) as Array<{ path: string }>;
    expect(ports.map((p) => p.path)).toContain('demo:id-card');
    expect(processes).toHaveLength(2);
    expect(host.crashes).toBe(1);
    expect(lines.some((l) => l.includes('exit') && l.includes('139'))).toBe(true);
  });

  it('remembers device assignments across a crash, since the new host reloads them from disk', async () => {
    const { host } = makeHost();
    host.start();
    await host.call('configure', { kind: 'barcode', path: 'demo:barcode', baudRate: 9600 });
    processes[0]?.crash();
    await until(() => host.state === 'restarting');
    const assignments = (await host.call('listAssignments')) as Array<{ kind: string }>;
    expect(assignments.map((a) => a.kind)).toContain('barcode');
  });

  it('kills and restarts a host that never says it is ready', async () => {
    const { host } = makeHost({ behaviours: ['never-ready'], readyTimeoutMs: 100 });
    host.start();
    await expect(host.call('listPorts')).resolves.toBeDefined();
    expect(processes[0]?.killed).toBe(true);
    expect(processes).toHaveLength(2);
  });

  it('answers a timeout device error when the host is never ready within the call’s time', async () => {
    const { host } = makeHost({ behaviours: ['never-ready'], readyTimeoutMs: 60_000, callTimeoutMs: 100 });
    host.start();
    await expect(host.call('listPorts')).rejects.toMatchObject({ code: 'timeout', messageZh: '设备无响应，请检查连接和波特率' });
  });

  it('fails calls still waiting for a starting host at once when the app closes', async () => {
    const { host } = makeHost({ behaviours: ['never-ready'], readyTimeoutMs: 60_000, callTimeoutMs: 60_000 });
    host.start();
    const waiting = host.call('listPorts');
    host.stop();
    await expect(waiting).rejects.toMatchObject({ code: 'device-host-unavailable' });
  });

  it('refuses calls after it is stopped and does not restart', async () => {
    const { host } = makeHost();
    host.start();
    await host.call('listPorts');
    host.stop();
    await expect(host.call('listPorts')).rejects.toMatchObject({ code: 'device-host-unavailable' });
    await new Promise((r) => setTimeout(r, 100));
    expect(processes).toHaveLength(1);
  });
});
