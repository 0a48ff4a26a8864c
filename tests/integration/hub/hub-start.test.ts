/**
 * Starting the hub on each store: health, migrations, demo seed, enrolment and login.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { pbkdf2Sync } from 'node:crypto';
import { startHub, type StartedHub } from '../../../sync/hub/start.ts';
import { loadMigrations, migrate } from '../../../sync/hub/db/migrate.ts';
import { DEMO_PASSWORD } from '../../../sync/hub/demo-seed.ts';
import { hashSecret } from '../../../sync/hub/auth/passwords.ts';
import { backends, type BackendStore } from './support/backends.ts';
import { call, demoWorkstation, login } from './support/client.ts';
import { openStream } from './support/stream.ts';

const quiet = { logLevel: 'silent' } as const;
// Every migration file of sync/hub/migrations, whoever added it last.
const versions = (await loadMigrations()).map((m) => m.version);
const latest = Math.max(...versions);

for (const backend of backends) {
  describe.runIf(backend.available)(`hub start on ${backend.name}`, () => {
    let store: BackendStore;
    let hub: StartedHub;

    beforeAll(async () => {
      store = await backend.createStore({ fresh: true }); // a new county's first start: initdb (PGlite) and every migration
      hub = await startHub({ ...store.options, port: 0, demo: true, ...quiet });
    });
    afterAll(async () => {
      await hub?.close();
      await store?.dispose();
    });

    it('reports the database kind and migration version on /healthz', async () => {
      const reply = await call(hub.url, 'GET', '/healthz');
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ ok: true, database: backend.name, migrationVersion: latest });
    });

    it('applies no migration twice and seeds the demo community only once across restarts', async () => {
      const countUsers = async (h: StartedHub) => Number((await h.context.db.query<{ n: string }>('select count(*) as n from users')).rows[0]!.n);
      const before = await countUsers(hub);
      expect(before).toBe(16); // 4 institutions × nurse, doctor, cardiologist, admin
      expect(await migrate(hub.context.db)).toEqual({ version: latest, applied: [] });
      await hub.close();
      hub = await startHub({ ...store.options, port: 0, demo: true, ...quiet });
      expect(await countUsers(hub)).toBe(before);
      const applied = await hub.context.db.query<{ version: number }>('select version from hub_migrations order by version');
      expect(applied.rows.map((r) => Number(r.version))).toEqual(versions);
    });

    it('enrols a workstation once with a one-time code and stores only the hash of its credential', async () => {
      const countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      const created = await call(hub.url, 'POST', '/admin/workstations', { token: countyAdmin.accessToken, body: { name: '河口乡 挂号台', institutionId: 'hekou' } });
      expect(created.status).toBe(201);
      const first = await call(hub.url, 'POST', '/auth/enrol', { body: { code: created.body.enrolmentCode.toLowerCase().replace(/-/g, ' ') } });
      expect(first.status).toBe(200);
      expect(first.body.institution).toEqual({ id: 'hekou', name: '河口乡卫生院', kind: 'township_clinic' });
      const again = await call(hub.url, 'POST', '/auth/enrol', { body: { code: created.body.enrolmentCode } });
      expect(again.status).toBe(401);
      expect(again.body.error.messageZh).toContain('注册码');
      const stored = await hub.context.db.query<{ credential_hash: string }>('select credential_hash from workstations where id = $1', [first.body.workstationId]);
      expect(stored.rows[0]!.credential_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored.rows[0]!.credential_hash).not.toContain(first.body.workstationCredential);
      const session = await login(hub.url, { workstationId: first.body.workstationId, workstationCredential: first.body.workstationCredential }, 'nurse');
      expect(session.institutionId).toBe('hekou');
    });

    it('refuses a wrong password and a wrong workstation credential with bilingual messages', async () => {
      const wrongPassword = await call(hub.url, 'POST', '/auth/login', { body: { ...demoWorkstation('ws-demo-chengguan'), username: 'nurse', password: 'wrong-password' } });
      expect(wrongPassword.status).toBe(401);
      expect(wrongPassword.body.error).toMatchObject({ code: 'auth-invalid', messageZh: '用户名或密码错误' });
      const wrongCredential = await call(hub.url, 'POST', '/auth/login', {
        body: { workstationId: 'ws-demo-chengguan', workstationCredential: 'x'.repeat(40), username: 'nurse', password: DEMO_PASSWORD },
      });
      expect(wrongCredential.status).toBe(401);
      expect(wrongCredential.body.error.message).toContain('workstation credential');
    });

    it('issues an offline grant the workstation can verify with the hub key and check a password against', async () => {
      const session = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
      const jwks = await call(hub.url, 'GET', '/auth/jwks');
      const { payload } = await jwtVerify(session.offlineGrant, createLocalJWKSet(jwks.body));
      expect(payload).toMatchObject({ typ: 'offline', sub: 'chengguan-doctor', role: 'doctor', ins: 'chengguan', wks: 'ws-demo-chengguan' });
      const kdf = payload.kdf as { iterations: number; salt: string };
      const check = (password: string) => pbkdf2Sync(password, Buffer.from(kdf.salt, 'base64url'), kdf.iterations, 32, 'sha256').toString('base64url');
      expect(check(DEMO_PASSWORD)).toBe(payload.verifier);
      expect(check('another-password')).not.toBe(payload.verifier);
    });

    it('ends open live streams when the hub closes, instead of hanging the shutdown', async () => {
      const session = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
      const stream = await openStream(hub.url, session.accessToken);
      const started = Date.now();
      await hub.close();
      await stream.ended;
      expect(Date.now() - started).toBeLessThan(5000);
      hub = await startHub({ ...store.options, port: 0, demo: true, ...quiet });
    });

    it('rotates refresh tokens: once the new token is used, the old one is refused', async () => {
      const session = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
      const refresh = (refreshToken: string) => call(hub.url, 'POST', '/auth/refresh', { body: { refreshToken, workstationCredential: session.workstationCredential } });
      const first = await refresh(session.refreshToken);
      expect(first.status).toBe(200);
      expect(first.body.refreshToken).not.toBe(session.refreshToken);
      expect((await refresh(first.body.refreshToken)).status).toBe(200);
      expect((await refresh(session.refreshToken)).status).toBe(401);
    });

    it('rotates again when the answer to a rotation was lost: the spent token comes back once, the unused new one is revoked', async () => {
      const session = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
      const refresh = (refreshToken: string) => call(hub.url, 'POST', '/auth/refresh', { body: { refreshToken, workstationCredential: session.workstationCredential } });
      const lost = await refresh(session.refreshToken); // the window reloaded before this answer arrived
      const retried = await refresh(session.refreshToken);
      expect(retried.status).toBe(200);
      expect((await call(hub.url, 'GET', '/sync/patients/pull?checkpoint=0&limit=1', { token: retried.body.accessToken })).status).toBe(200);
      expect((await refresh(lost.body.refreshToken)).status).toBe(401); // never handed out, so revoked
    });

    it('takes a spent token back after the grace for a lost answer as a replay: the family is revoked', async () => {
      const session = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
      const refresh = (refreshToken: string) => call(hub.url, 'POST', '/auth/refresh', { body: { refreshToken, workstationCredential: session.workstationCredential } });
      const rotated = await refresh(session.refreshToken);
      const grace = hub.context.settings.refreshRetryGraceSeconds;
      await hub.context.db.query('update refresh_tokens set revoked_at = revoked_at - make_interval(secs => $1) where token_hash = $2', [grace + 1, hashSecret(session.refreshToken)]);
      expect((await refresh(session.refreshToken)).status).toBe(401);
      expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
    });
  });
}
