/**
 * Offline login against the real county hub (embedded PGlite, demo community): the grant and JWKS a
 * real online login returns let the same user sign in after the hub has gone away; a user the hub
 * refuses online loses the offline permission on that PC.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../sync/hub/demo-seed.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from '../../../sync/client/database.ts';
import { loginOnline } from '../../../sync/client/hub-auth.ts';
import { loginOffline } from '../../../sync/client/offline-login.ts';
import type { StartedHub } from '../../../sync/hub/start.ts';
import { startTestHub } from '../../support/pglite-template.ts';
import { call, demoWorkstation, enrolWorkstation, login, type Session, type WorkstationIdentity } from '../hub/support/client.ts';

let hub: StartedHub;
let countyAdmin: Session;
let chengguanPc: WorkstationIdentity;
const opened: LocalDatabase[] = [];
let dbCount = 0;
const openDb = async () => {
  const db = await createLocalDatabase({ name: `offline-it-${++dbCount}`, storage: memoryStorage(), writer: { institutionId: 'chengguan', role: 'clinic' } });
  opened.push(db);
  return db;
};
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

beforeAll(async () => {
  hub = await startTestHub({ port: 0, demo: true, logLevel: 'silent' });
  countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
  chengguanPc = await enrolWorkstation(hub.url, countyAdmin, 'chengguan');
});
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});
afterAll(async () => {
  await hub?.close();
});

describe('offline login with a grant from the real hub', () => {
  it('lets the nurse sign in offline after one online login, with her password only', async () => {
    const db = await openDb();
    const online = await loginOnline(db, { hubUrl: hub.url, ...chengguanPc, username: 'nurse', password: DEMO_PASSWORD });
    expect(online.user).toMatchObject({ username: 'nurse', institutionId: 'chengguan' });

    // The hub is gone (no network): only the local database answers.
    const unreachable = 'http://127.0.0.1:9';
    expect(await rejection(loginOnline(db, { hubUrl: unreachable, ...chengguanPc, username: 'nurse', password: DEMO_PASSWORD }))).toMatchObject({ code: 'network' });
    const session = await loginOffline(db, { workstationId: chengguanPc.workstationId, username: 'nurse', password: DEMO_PASSWORD });
    expect(session).toMatchObject({ userId: online.user.id, username: 'nurse', role: 'nurse', institutionId: 'chengguan', workstationId: chengguanPc.workstationId });
    expect(Date.parse(session.grantExpiresAt)).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);

    expect(await rejection(loginOffline(db, { workstationId: chengguanPc.workstationId, username: 'nurse', password: 'demo12345' }))).toMatchObject({ code: 'wrong-password' });
    expect(await rejection(loginOffline(db, { workstationId: chengguanPc.workstationId, username: 'doctor', password: DEMO_PASSWORD }))).toMatchObject({ code: 'never-logged-in-here' });
    // The same grant copied to another PC's database does not sign in there.
    expect(await rejection(loginOffline(db, { workstationId: 'ws-demo-chengguan', username: 'nurse', password: DEMO_PASSWORD }))).toMatchObject({ code: 'grant-invalid' });
  });

  it('removes the offline permission of a user the hub has disabled', async () => {
    const db = await openDb();
    const admin = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'admin');
    const created = await call(hub.url, 'POST', '/admin/users', {
      token: admin.accessToken,
      body: { username: 'temp-nurse', displayName: '临时护士', role: 'nurse', password: 'temp-pass-2026' },
    });
    expect(created.status).toBe(201);
    await loginOnline(db, { hubUrl: hub.url, ...chengguanPc, username: 'temp-nurse', password: 'temp-pass-2026' });
    await expect(loginOffline(db, { workstationId: chengguanPc.workstationId, username: 'temp-nurse', password: 'temp-pass-2026' })).resolves.toMatchObject({ username: 'temp-nurse' });

    const userId = created.body.id as string;
    expect((await call(hub.url, 'POST', `/admin/users/${userId}/disable`, { token: admin.accessToken })).status).toBe(200);
    expect(await rejection(loginOnline(db, { hubUrl: hub.url, ...chengguanPc, username: 'temp-nurse', password: 'temp-pass-2026' }))).toMatchObject({ code: 'auth-invalid' });
    expect(await rejection(loginOffline(db, { workstationId: chengguanPc.workstationId, username: 'temp-nurse', password: 'temp-pass-2026' }))).toMatchObject({
      code: 'never-logged-in-here',
    });
  });
});
