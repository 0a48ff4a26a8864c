/**
 * The workstation's sign-in (services/session/session-service.ts) against the real county hub
 * (embedded PGlite, demo community): online login keeps tokens and never the password; the hub's
 * refusals arrive in plain words; with the hub stopped, users who signed in here before get in
 * offline and the session reaches the hub by itself when it is back; a reload restores the session
 * (and its lock) without the password; sign-out revokes the refresh token.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../sync/hub/demo-seed.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from '../../../sync/client/database.ts';
import { startHub, type StartedHub } from '../../../sync/hub/start.ts';
import { copyPgliteTemplate, startTestHub } from '../../support/pglite-template.ts';
import { createSessionService, type SessionServiceOptions, type WorkstationEnrolment } from '../../../services/session/session-service.ts';
import { call, demoWorkstation, enrolWorkstation, login, type Session } from '../hub/support/client.ts';

/** sessionStorage as the browser keeps it for one window: strings by key. */
class WindowStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
  dump = () => [...this.items.values()].join('\n');
}

const chengguan = { id: 'chengguan', name: '城关镇卫生院', kind: 'township_clinic' };
const hubSettings = { loginAttemptsPerMinute: 1000 }; // rate limiting has its own tests (tests/integration/hub/security.test.ts)
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

let hub: StartedHub;
let countyAdmin: Session;
let chengguanAdmin: Session;
const opened: LocalDatabase[] = [];
let dbCount = 0;
const openDb = async () => {
  const db = await createLocalDatabase({ name: `session-it-${++dbCount}`, storage: memoryStorage(), writer: { institutionId: 'chengguan', role: 'clinic' } });
  opened.push(db);
  return db;
};

/** A freshly enrolled PC of 城关镇卫生院 with its own local database and window storage. */
async function newWorkstation(hubUrl = hub.url) {
  const ws = await enrolWorkstation(hubUrl, countyAdmin, 'chengguan');
  const enrolment: WorkstationEnrolment = { ...ws, institution: chengguan };
  const db = await openDb();
  const storage = new WindowStorage();
  const service = (overrides: Partial<SessionServiceOptions> = {}) => createSessionService({ hubUrl, enrolment, offlineStore: db, storage, ...overrides });
  return { enrolment, db, storage, service };
}

const pullWith = async (hubUrl: string, token: string) => (await call(hubUrl, 'GET', '/sync/patients/pull?checkpoint=0&limit=1', { token })).status;

beforeAll(async () => {
  hub = await startTestHub({ port: 0, demo: true, logLevel: 'silent', settings: hubSettings });
  countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
  chengguanAdmin = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'admin');
}, 120_000); // a fresh PGlite hub runs every migration first
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});
afterAll(async () => {
  await hub?.close();
});

describe('signing in on an enrolled workstation', () => {
  it('signs the doctor in online with her role and institution, and keeps a token the hub accepts, not the password', async () => {
    const pc = await newWorkstation();
    const session = await pc.service().login('doctor', DEMO_PASSWORD);
    expect(session.user).toMatchObject({ username: 'doctor', role: 'doctor', institution: chengguan, offline: false, userId: 'chengguan-doctor' });
    expect(await pullWith(hub.url, await session.getToken())).toBe(200);
    expect(pc.storage.dump()).not.toContain(DEMO_PASSWORD);
    expect(pc.storage.dump()).toContain('chengguan-doctor');
  });

  it('says "wrong username or password" for a wrong password and for an unknown user alike', async () => {
    const pc = await newWorkstation();
    const wrong = await rejection(pc.service().login('doctor', 'demo12345'));
    expect(wrong).toMatchObject({ code: 'rejected', messageZh: '用户名或密码错误', messageEn: 'Wrong username or password' });
    expect(await rejection(pc.service().login('nobody', DEMO_PASSWORD))).toMatchObject({ code: 'rejected', messageZh: '用户名或密码错误' });
    expect(await rejection(pc.service().login('  ', ''))).toMatchObject({ code: 'fields-missing', messageZh: '请输入用户名和密码' });
  });

  it('says the account is disabled, and the workstation revoked, in the hub’s words', async () => {
    const pc = await newWorkstation();
    const created = await call(hub.url, 'POST', '/admin/users', {
      token: chengguanAdmin.accessToken,
      body: { username: 'locum-disabled', displayName: '临时医生', role: 'doctor', password: 'locum-password-1' },
    });
    expect(created.status).toBe(201);
    expect((await call(hub.url, 'POST', `/admin/users/${created.body.id}/disable`, { token: chengguanAdmin.accessToken })).status).toBe(200);
    expect(await rejection(pc.service().login('locum-disabled', 'locum-password-1'))).toMatchObject({ code: 'rejected', messageZh: '此账号已被停用，请联系管理员' });

    expect((await call(hub.url, 'POST', `/admin/workstations/${pc.enrolment.workstationId}/revoke`, { token: chengguanAdmin.accessToken })).status).toBe(200);
    expect(await rejection(pc.service().login('doctor', DEMO_PASSWORD))).toMatchObject({ code: 'rejected', messageZh: '此工作站已被吊销，请联系管理员' });
  });

  it('renews the access token with the refresh token when it is about to expire', async () => {
    const pc = await newWorkstation();
    let now = Date.now();
    const session = await pc.service({ now: () => now }).login('nurse', DEMO_PASSWORD);
    const first = await session.getToken();
    expect(await session.getToken()).toBe(first);
    now += 15 * 60 * 1000;
    const second = await session.getToken();
    expect(second).not.toBe(first);
    expect(await pullWith(hub.url, second)).toBe(200);
  });

  it('keeps the session across a reload of the window, locked if it was locked, and unlocks with the same password only', async () => {
    const pc = await newWorkstation();
    const service = pc.service();
    const session = await service.login('nurse', DEMO_PASSWORD);
    service.lock(session);

    const reloaded = pc.service();
    const restored = await reloaded.restore();
    expect(restored).toMatchObject({ locked: true, session: { user: { username: 'nurse', role: 'nurse', offline: false } } });
    expect(await pullWith(hub.url, await restored!.session.getToken())).toBe(200);
    expect(await rejection(reloaded.unlock(restored!.session, 'guess-1234'))).toMatchObject({ code: 'rejected' });
    await reloaded.unlock(restored!.session, DEMO_PASSWORD);
    expect(await pc.service().restore()).toMatchObject({ locked: false });
  });

  it('keeps the session when the window reloads while a renewal is on its way: the hub rotated the token, the answer was lost', async () => {
    const pc = await newWorkstation();
    let now = Date.now();
    // The renewal reaches the hub, which rotates the refresh token; the window reloads before the
    // answer comes back, so the new token is never stored.
    let loseRenewal = false;
    let rotated!: () => void;
    const reachedHub = new Promise<void>((resolve) => (rotated = resolve));
    const window: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      if (!loseRenewal || !String(input).endsWith('/auth/refresh')) return answer;
      rotated();
      return new Promise<Response>(() => undefined);
    };
    const session = await pc.service({ now: () => now, fetch: window }).login('nurse', DEMO_PASSWORD);
    loseRenewal = true;
    now += 15 * 60 * 1000;
    void session.getToken();
    await reachedHub;

    const reloaded = pc.service();
    const restored = (await reloaded.restore())!;
    let expired = false;
    restored.session.subscribe((event) => void (event === 'expired' && (expired = true)));
    expect(await pullWith(hub.url, await restored.session.getToken())).toBe(200);
    expect(expired).toBe(false);
    expect(await pc.service().restore()).toMatchObject({ session: { user: { username: 'nurse' } } });
  });

  it('does not restore a session whose stored identity was edited', async () => {
    const pc = await newWorkstation();
    await pc.service().login('nurse', DEMO_PASSWORD);
    const [key, saved] = [...pc.storage.items][0]!;
    pc.storage.setItem(key, saved.replace('chengguan-nurse', 'chengguan-admin'));
    expect(await pc.service().restore()).toBeNull();
    expect(pc.storage.items.size).toBe(0);
  });

  it('signs out by revoking the refresh token at the hub', async () => {
    const pc = await newWorkstation();
    const service = pc.service();
    const session = await service.login('doctor', DEMO_PASSWORD);
    const refreshToken = JSON.parse([...pc.storage.items.values()][0]!).refreshToken as string;
    await service.logout(session);
    expect(pc.storage.items.size).toBe(0);
    expect(await rejection(session.getToken())).toMatchObject({ code: 'auth-missing' });
    const refresh = await call(hub.url, 'POST', '/auth/refresh', { body: { refreshToken, workstationCredential: pc.enrolment.workstationCredential } });
    expect(refresh.status).toBe(401);
    expect(await pc.service().restore()).toBeNull();
  });

  it('ends the session when the hub disables the user: the next renewal says so and forgets it', async () => {
    const pc = await newWorkstation();
    const created = await call(hub.url, 'POST', '/admin/users', {
      token: chengguanAdmin.accessToken,
      body: { username: 'locum-expiring', displayName: '临时护士', role: 'nurse', password: 'locum-password-2' },
    });
    let now = Date.now();
    const session = await pc.service({ now: () => now }).login('locum-expiring', 'locum-password-2');
    const events: string[] = [];
    session.subscribe((event) => events.push(event));
    await call(hub.url, 'POST', `/admin/users/${created.body.id}/disable`, { token: chengguanAdmin.accessToken });
    now += 15 * 60 * 1000;
    expect(await rejection(session.getToken())).toMatchObject({ code: 'auth-invalid' });
    expect(events).toEqual(['expired']);
    expect(pc.storage.items.size).toBe(0);
  });
});

describe('signing in while the hub is stopped', () => {
  let dataDir: string;
  let ownHub: StartedHub | undefined;

  afterEach(async () => {
    await ownHub?.close();
    ownHub = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('lets a user who signed in here before in offline, refuses one who never did, and reaches the hub by itself when it is back', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cw-session-hub-'));
    await copyPgliteTemplate(dataDir);
    ownHub = await startHub({ dataDir, port: 0, demo: true, logLevel: 'silent', settings: hubSettings });
    const hubUrl = ownHub.url;
    const port = Number(new URL(hubUrl).port);
    const admin = await login(hubUrl, demoWorkstation('ws-demo-county'), 'admin');
    const ws = await enrolWorkstation(hubUrl, admin, 'chengguan');
    const enrolment: WorkstationEnrolment = { ...ws, institution: chengguan };
    const db = await openDb();
    const service = createSessionService({ hubUrl, enrolment, offlineStore: db, storage: new WindowStorage() });
    await service.logout(await service.login('doctor', DEMO_PASSWORD));

    await ownHub.close();
    ownHub = undefined;

    const session = await service.login('doctor', DEMO_PASSWORD);
    expect(session.user).toMatchObject({ username: 'doctor', role: 'doctor', offline: true });
    expect(await rejection(session.getToken())).toMatchObject({ code: 'network' });
    expect(await rejection(service.login('doctor', 'demo12345'))).toMatchObject({ code: 'offline-wrong-password', messageZh: '用户名或密码错误（离线验证）' });
    expect(await rejection(service.login('nurse', DEMO_PASSWORD))).toMatchObject({
      code: 'offline-never-here',
      messageZh: '无法连接县级平台，且此用户从未在本工作站联网登录过，无法离线登录。请在网络恢复后登录',
    });

    // The hub comes back (same data, same address): the next token request signs in online.
    ownHub = await startHub({ dataDir, port, demo: true, logLevel: 'silent', settings: hubSettings });
    const events: string[] = [];
    session.subscribe((event) => events.push(event));
    expect(await pullWith(hubUrl, await session.getToken())).toBe(200);
    expect(session.user.offline).toBe(false);
    expect(events).toEqual(['user']);
  });

  it('does not keep the nurse waiting on a hub that accepts the connection and never answers: offline after the login timeout', async () => {
    const pc = await newWorkstation();
    await pc.service().login('nurse', DEMO_PASSWORD);
    // A link that hangs: the TCP connection opens, no HTTP answer ever comes.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      const service = pc.service({ hubUrl: `http://127.0.0.1:${port}`, loginTimeoutMs: 1000 });
      const session = await service.login('nurse', DEMO_PASSWORD);
      expect(session.user).toMatchObject({ username: 'nurse', offline: true });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('says plainly that the hub cannot be reached when there is no local store to sign in offline (a browser reading room)', async () => {
    const enrolment: WorkstationEnrolment = { ...demoWorkstation('ws-demo-ecg-center'), institution: { id: 'ecg-center', name: '县远程心电诊断中心', kind: 'ecg_center' } };
    const service = createSessionService({ hubUrl: 'http://127.0.0.1:9', enrolment, storage: new WindowStorage() });
    expect(await rejection(service.login('cardiologist', DEMO_PASSWORD))).toMatchObject({ code: 'hub-unreachable', messageZh: '无法连接县级平台，请检查网络后重试' });
  });
});
