/**
 * The browser-mode UI runs on its own origin, so every hub answer it reads needs CORS headers —
 * including the live stream, which bypasses Fastify's reply pipeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedHub } from '../../../sync/hub/start.ts';
import { startTestHub } from '../../support/pglite-template.ts';
import { demoWorkstation, login, type Session } from './support/client.ts';

const uiOrigin = 'http://127.0.0.1:5180';

describe('hub answers the browser-mode UI across origins', () => {
  let hub: StartedHub;
  let session: Session;

  beforeAll(async () => {
    hub = await startTestHub({ port: 0, demo: true, logLevel: 'silent' });
    session = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('lets the UI read /healthz', async () => {
    const response = await fetch(`${hub.url}/healthz`, { headers: { origin: uiOrigin } });
    expect(response.headers.get('access-control-allow-origin')).toBe(uiOrigin);
  });

  it('lets the UI open the live change stream, so changes arrive without polling', async () => {
    const abort = new AbortController();
    const response = await fetch(`${hub.url}/sync/stream`, {
      headers: { origin: uiOrigin, authorization: `Bearer ${session.accessToken}` },
      signal: abort.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    abort.abort();
  });

  it('lets the UI upload ECG file chunks with PUT (the preflight allows the method)', async () => {
    const response = await fetch(`${hub.url}/blobs/${'a'.repeat(64)}/chunks/0`, {
      method: 'OPTIONS',
      headers: { origin: uiOrigin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-methods')).toContain('PUT');
  });
});
