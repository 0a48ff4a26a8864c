import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { errorBody } from '../protocol/index.ts';
import { Backoff } from './backoff.ts';
import { CredentialGate, isCredentialRefusal } from './credential-gate.ts';
import { hubJson, SyncError } from './hub-http.ts';

const answering = (status: number, body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('hub HTTP client', () => {
  it('sends the bearer token it is given on every request', async () => {
    let seen: string | null = null;
    const fetchSpy: typeof fetch = async (_url, init) => {
      seen = new Headers(init?.headers).get('authorization');
      return new Response('{"ok":true}');
    };
    await hubJson({ hubUrl: 'http://hub/', getToken: async () => 'tok-1', fetch: fetchSpy }, '/x', z.object({ ok: z.boolean() }));
    expect(seen).toBe('Bearer tok-1');
  });

  it('turns the hub\'s error body into a SyncError with its Chinese message', async () => {
    const conn = { hubUrl: 'http://hub', getToken: () => 't', fetch: answering(401, errorBody('auth-expired')) };
    const error = await hubJson(conn, '/x', z.object({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ code: 'auth-expired', status: 401, messageZh: '登录已过期，请重新登录' });
  });

  it('calls an unreachable hub a network problem, and a malformed answer a bad response', async () => {
    const down: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(hubJson({ hubUrl: 'http://hub', getToken: () => 't', fetch: down }, '/x', z.object({}))).rejects.toMatchObject({ code: 'network', status: 0 });
    await expect(hubJson({ hubUrl: 'http://hub', getToken: () => 't', fetch: answering(200, { documents: 'x' }) }, '/x', z.object({ documents: z.array(z.unknown()) }))).rejects.toMatchObject({
      code: 'bad-response',
    });
  });
});

describe('credentials', () => {
  it('says why credentials are missing in this side\'s words, under the protocol code the sync loop waits on', () => {
    const error = new SyncError('auth-missing', 401, undefined, undefined, { reason: 'password-needed-to-sync' });
    expect(error).toMatchObject({ code: 'auth-missing', key: 'sync.password-needed-to-sync', status: 401 });
    expect(error.messageZh).toBe('本次为离线登录，需再次输入密码才能与县级平台同步：请点击“锁屏”后解锁');
    expect(error.message).toBe('You signed in offline: enter your password again to sync with the county hub (Lock, then unlock)');
    expect(isCredentialRefusal(error.code)).toBe(true);
  });

  it('reports "nobody signed in" (auth-missing) when getToken has no token, without asking the hub', async () => {
    const fetchSpy = vi.fn<typeof fetch>();
    const conn = { hubUrl: 'http://hub', getToken: () => Promise.reject(new Error('no user signed in')), fetch: fetchSpy };
    const error = await hubJson(conn, '/x', z.object({})).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'auth-missing', status: 0 });
    expect((error as SyncError).messageZh).toContain('登录');
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('holds refused requests until the credentials change, not a moment longer', async () => {
    const gate = new CredentialGate(60_000);
    let released = false;
    const waiting = gate.wait().then(() => (released = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(released).toBe(false);
    gate.open();
    await waiting;
    expect(released).toBe(true);
    expect(gate.waiting).toBe(0);
    expect(isCredentialRefusal('auth-invalid') && isCredentialRefusal('auth-missing')).toBe(true);
    expect(isCredentialRefusal('network') || isCredentialRefusal('auth-expired')).toBe(false);
  });
});

describe('retry backoff', () => {
  it('doubles the wait after each failure up to the maximum, and starts over after a success', async () => {
    const b = new Backoff(1, 4);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      delays.push(b.nextDelayMs);
      await b.failed();
    }
    expect(delays).toEqual([1, 2, 4, 4]);
    b.succeeded();
    expect(b.nextDelayMs).toBe(1);
  });

  it('ends a long wait at once when woken (the nurse pressed sync, the network came back)', async () => {
    const b = new Backoff(60_000, 60_000);
    const started = Date.now();
    const waiting = b.failed();
    b.wake();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
