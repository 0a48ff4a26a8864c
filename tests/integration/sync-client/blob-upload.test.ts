/**
 * Uploading an ECG file to the real hub: in chunks, resumed after the link drops mid-file,
 * idempotent by hash, refused when the bytes do not match their SHA-256.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex, uploadBlob } from '../../../sync/client/blob-upload.ts';
import type { HubConnection } from '../../../sync/client/hub-http.ts';
import type { StartedHub } from '../../../sync/hub/start.ts';
import { startTestHub } from '../../support/pglite-template.ts';
import { demoWorkstation, login, type Session } from '../hub/support/client.ts';

let hub: StartedHub;
let session: Session;

beforeAll(async () => {
  hub = await startTestHub({ port: 0, demo: true, logLevel: 'silent' });
  session = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
});
afterAll(async () => {
  await hub?.close();
});

/** A fake ECG file: 600 KB of varied bytes (a new one per test, so hashes differ). */
const makeFile = (seed: number) => Uint8Array.from({ length: 600 * 1024 }, (_, i) => (i * 31 + seed * 7 + (i >> 9)) & 0xff);

/** fetch that counts the chunk bytes sent and can drop the connection on the n-th chunk. */
const linkWith = (failOnChunk?: number) => {
  const log = { chunks: 0, bytes: 0 };
  const f: typeof fetch = async (input, init) => {
    if (init?.method === 'PUT') {
      log.chunks++;
      if (log.chunks === failOnChunk) throw new TypeError('network connection lost');
      log.bytes += (init.body as Uint8Array).length;
    }
    return fetch(input, init);
  };
  const conn: HubConnection = { hubUrl: hub.url, getToken: () => session.accessToken, fetch: f };
  return { conn, log };
};

describe('ECG file upload to the hub', () => {
  it('resumes from the last byte the hub holds after the link drops mid-file', async () => {
    const file = makeFile(1);
    const sha256 = await sha256Hex(file);
    const broken = linkWith(2);
    await expect(uploadBlob(broken.conn, file, { sha256, chunkSize: 256 * 1024 })).rejects.toMatchObject({ code: 'network' });
    expect(broken.log.bytes).toBe(256 * 1024);

    const resumed = linkWith();
    const status = await uploadBlob(resumed.conn, file, { sha256, chunkSize: 256 * 1024 });
    expect(status).toEqual({ sha256, receivedBytes: file.length, complete: true, size: file.length });
    expect(resumed.log.bytes).toBe(file.length - 256 * 1024); // only what was missing

    const download = await fetch(`${hub.url}/blobs/${sha256}`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(await sha256Hex(new Uint8Array(await download.arrayBuffer()))).toBe(sha256);
  });

  it('sends nothing for a file the hub already has', async () => {
    const file = makeFile(2);
    await uploadBlob(linkWith().conn, file);
    const again = linkWith();
    expect((await uploadBlob(again.conn, file)).complete).toBe(true);
    expect(again.log.chunks).toBe(0);
  });

  it('is refused when the bytes do not match their hash, and the hub keeps nothing', async () => {
    const file = makeFile(3);
    const wrongHash = await sha256Hex(makeFile(4));
    await expect(uploadBlob(linkWith().conn, file, { sha256: wrongHash })).rejects.toMatchObject({ code: 'blob-hash-mismatch', messageZh: expect.stringContaining('重新上传') });
    const status = await fetch(`${hub.url}/blobs/${wrongHash}/status`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(await status.json()).toMatchObject({ complete: false, receivedBytes: 0 });
  });
});
