/**
 * Builds the Electron bundles and runs the built device host the way Electron would, in a child
 * Node process whose `process.parentPort` is shimmed onto the fork IPC channel (no Electron binary
 * can be downloaded here, docs/stack.md). Proves the bundle starts the device agent and answers.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { projectRoot } from '../demo/renderer-build.ts';
import { buildElectronBundles } from './build-electron.ts';

// Inside the project so the bundles' bare imports (ws, serialport, zod) resolve from node_modules.
const target = path.join(projectRoot, 'node_modules', '.cache', `cw-electron-build-${process.pid}`);
const parentPortShim = `data:text/javascript,${encodeURIComponent('process.parentPort = { postMessage: (m) => process.send(m), on() {} };')}`;

beforeAll(async () => {
  await mkdir(path.dirname(target), { recursive: true });
  await buildElectronBundles(target);
}, 120_000);

afterAll(async () => {
  await rm(target, { recursive: true, force: true });
});

describe('Electron build', () => {
  it('bundles a preload that requires only electron and carries no zod', () => {
    const preload = readFileSync(path.join(target, 'preload', 'preload.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).not.toMatch(/ZodType|safeParse/);
    expect(preload).toContain('cw:agent:');
  });

  it('runs the built device host, which announces its agent server and serves demo devices', async () => {
    const child = fork(path.join(target, 'main', 'device-host.js'), [], {
      execArgv: ['--import', parentPortShim],
      env: { ...process.env, CLINIC_WORKSTATION_DEMO: '1', CLINIC_WORKSTATION_DEVICE_CONFIG_DIR: mkdtempSync(path.join(tmpdir(), 'cw-host-bundle-')) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    try {
      const ready = await new Promise<{ type: string; url: string; token: string }>((resolve, reject) => {
        child.once('message', (m) => resolve(m as { type: string; url: string; token: string }));
        child.once('exit', (code) => reject(new Error(`device host exited with ${code}`)));
      });
      expect(ready).toMatchObject({ type: 'ready', url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+$/) });
      const socket = new WebSocket(ready.url);
      const replies: Array<Record<string, unknown>> = [];
      socket.on('message', (data) => replies.push(JSON.parse(String(data)) as Record<string, unknown>));
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'auth', token: ready.token }));
      socket.send(JSON.stringify({ id: 1, method: 'listPorts' }));
      const started = Date.now();
      while (!replies.some((r) => r.id === 1) && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
      const reply = replies.find((r) => r.id === 1) as { ok: boolean; value: Array<{ path: string }> };
      expect(reply.ok).toBe(true);
      expect(reply.value.map((p) => p.path)).toContain('demo:id-card');
      socket.close();
    } finally {
      child.kill('SIGTERM');
    }
  });
});
