import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startDeviceAgentServer, type DeviceAgentServer } from './ws-server.ts';

const servers: DeviceAgentServer[] = [];
async function start(demo = false) {
  const server = await startDeviceAgentServer({
    configDir: mkdtempSync(path.join(tmpdir(), 'cw-ws-')),
    demo,
    binding: 'mock',
    authTimeoutMs: 300,
    ...(demo ? { demoKinds: ['id-card'] as const } : {}),
  });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A minimal client: sends calls, collects replies and pushed events. */
async function connect(url: string) {
  const socket = new WebSocket(url);
  const messages: unknown[] = [];
  const waiters: { match: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as Record<string, unknown>;
    messages.push(message);
    const index = waiters.findIndex((w) => w.match(message));
    if (index >= 0) waiters.splice(index, 1)[0]!.resolve(message);
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const waitFor = (match: (m: Record<string, unknown>) => boolean, timeoutMs = 5000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const seen = messages.find((m) => match(m as Record<string, unknown>));
      if (seen) return resolve(seen as Record<string, unknown>);
      const timer = setTimeout(() => reject(new Error('no such message')), timeoutMs);
      waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  let nextId = 1;
  const call = (method: string, params?: unknown) => {
    const id = nextId++;
    socket.send(JSON.stringify(params === undefined ? { id, method } : { id, method, params }));
    return waitFor((m) => m.id === id);
  };
  return { socket, call, waitFor, closed, sendRaw: (text: string) => socket.send(text) };
}

describe('device agent WebSocket server', () => {
  it('listens on 127.0.0.1 only and answers calls made with the session token', async () => {
    const server = await start();
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    expect(server.token.length).toBeGreaterThanOrEqual(40);
    const client = await connect(`${server.url}/?token=${server.token}`);
    expect(await client.call('listAssignments')).toEqual({ id: 1, ok: true, value: [] });
  });

  it('refuses a wrong token and closes the connection', async () => {
    const server = await start();
    const client = await connect(`${server.url}/?token=not-the-token`);
    expect(await client.waitFor((m) => m.ok === false)).toMatchObject({ error: { code: 'unauthorized', messageZh: expect.any(String) } });
    expect(await client.closed).toBe(4401);
  });

  it('accepts the token as the first message, and closes a socket that never sends one', async () => {
    const server = await start();
    const client = await connect(server.url);
    client.sendRaw(JSON.stringify({ type: 'auth', token: server.token }));
    await client.waitFor((m) => m.value === 'authenticated');
    expect(await client.call('listAssignments')).toMatchObject({ ok: true });
    const silent = await connect(server.url);
    expect(await silent.closed).toBe(4401);
  });

  it('does not serve calls before authentication', async () => {
    const server = await start();
    const client = await connect(server.url);
    client.sendRaw(JSON.stringify({ id: 1, method: 'listPorts' }));
    expect(await client.waitFor((m) => m.ok === false)).toMatchObject({ error: { code: 'unauthorized' } });
    expect(await client.closed).toBe(4401);
  });

  it('answers malformed messages with an error reply and keeps serving', async () => {
    const server = await start();
    const client = await connect(`${server.url}/?token=${server.token}`);
    client.sendRaw('{not json');
    expect(await client.waitFor((m) => m.ok === false && m.id === null)).toMatchObject({ error: { code: 'bad-request' } });
    expect(await client.call('rebootComputer')).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await client.call('configure', { kind: 'id-card', path: '', baudRate: -1 })).toMatchObject({
      ok: false,
      error: { code: 'bad-request', detail: expect.stringContaining('params.path') },
    });
    expect(await client.call('configure', { kind: 'id-card', path: '/dev/x', baudRate: 115200, extra: 1 })).toMatchObject({ ok: true });
    expect(await client.call('listAssignments')).toMatchObject({ ok: true, value: [{ kind: 'id-card', path: '/dev/x' }] });
  });

  it('pushes device events to a subscribed client: a sample card placed in demo mode arrives as a document', async () => {
    const server = await start(true);
    const client = await connect(`${server.url}/?token=${server.token}`);
    expect(await client.call('subscribe')).toMatchObject({ ok: true });
    expect(await client.call('simulator.placeCard', { sampleId: 'residence-permit-hong-kong' })).toMatchObject({ ok: true });
    const event = await client.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'identity-document');
    expect(event).toMatchObject({ event: { document: { cardType: 'residence-permit', photoWltBase64: expect.any(String) } } });
  });

  it('starts the demo ECG stream over the socket and refuses a sample rate the device does not offer', async () => {
    const server = await startDeviceAgentServer({ configDir: mkdtempSync(path.join(tmpdir(), 'cw-ws-')), demo: true, binding: 'mock', demoKinds: ['ecg'] });
    servers.push(server);
    const client = await connect(`${server.url}/?token=${server.token}`);
    expect(await client.call('subscribe')).toMatchObject({ ok: true });
    expect(await client.call('ecg.start', { sampleRateHz: 300 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await client.call('ecg.start', { sampleRateHz: 1000 })).toMatchObject({ ok: true });
    const block = await client.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'ecg-samples');
    expect(block).toMatchObject({ event: { sampleRateHz: 1000, firstSampleIndex: expect.any(Number) } });
    expect(await client.call('simulator.setEcgRhythm', { rhythm: 'torsades' })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await client.call('ecg.stop')).toMatchObject({ ok: true });
  });
});
