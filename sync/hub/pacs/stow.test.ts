import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pacsForwardConfigSchema, stowInstance } from './stow.ts';

/** A stand-in archive on a local port that answers with the status the test sets and keeps what it got. */
let answer: { status: number; body: string } = { status: 200, body: '{}' };
let received: { headers: http.IncomingHttpHeaders; body: Buffer } | undefined;
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received = { headers: req.headers, body: Buffer.concat(chunks) };
    res.writeHead(answer.status, { 'content-type': 'application/dicom+json' }).end(answer.body);
  });
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dicom-web/studies`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const dicom = new Uint8Array([0x44, 0x49, 0x43, 0x4d, 0x0d, 0x0a, 0x2d, 0x2d]); // bytes that look like a boundary must pass untouched
const config = () => pacsForwardConfigSchema.parse({ url, username: 'hub', password: 'pw' });

describe('STOW-RS store of one DICOM file', () => {
  it('sends one application/dicom part in multipart/related with Basic auth', async () => {
    answer = { status: 200, body: '{}' };
    expect(await stowInstance(config(), dicom)).toEqual({ ok: true, status: 200 });
    const type = received!.headers['content-type']!;
    expect(type).toMatch(/^multipart\/related; type="application\/dicom"; boundary=/);
    const boundary = type.split('boundary=')[1]!;
    const head = Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    expect(received!.body.subarray(0, head.length).equals(head)).toBe(true);
    expect(received!.body.subarray(head.length, head.length + dicom.length).equals(Buffer.from(dicom))).toBe(true);
    expect(received!.body.subarray(head.length + dicom.length).equals(tail)).toBe(true);
    expect(received!.headers.authorization).toBe(`Basic ${Buffer.from('hub:pw').toString('base64')}`);
  });

  it('treats a refusal of the object as final and an unavailable archive as worth retrying', async () => {
    answer = { status: 409, body: '{}' };
    expect(await stowInstance(config(), dicom)).toEqual({ ok: false, final: true, error: 'HTTP 409' });
    answer = { status: 503, body: '' };
    expect(await stowInstance(config(), dicom)).toEqual({ ok: false, final: false, error: 'HTTP 503' });
    answer = { status: 401, body: '' };
    expect(await stowInstance(config(), dicom)).toMatchObject({ ok: false, final: false });
  });

  it('reads a 202 as stored with warnings unless it lists the instance as failed', async () => {
    answer = { status: 202, body: JSON.stringify({ '00081199': { vr: 'SQ', Value: [] } }) };
    expect(await stowInstance(config(), dicom)).toEqual({ ok: true, status: 202 });
    answer = { status: 202, body: JSON.stringify({ '00081198': { vr: 'SQ', Value: [{}] } }) };
    expect(await stowInstance(config(), dicom)).toMatchObject({ ok: false, final: true });
  });

  it('reports a network failure by its code, to retry later', async () => {
    const spare = http.createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const port = (spare.address() as AddressInfo).port;
    await new Promise<void>((resolve) => spare.close(() => resolve())); // nothing listens there now
    const closed = pacsForwardConfigSchema.parse({ url: `http://127.0.0.1:${port}/dicom-web/studies` });
    expect(await stowInstance(closed, dicom)).toEqual({ ok: false, final: false, error: 'network: ECONNREFUSED' });
  });
});
