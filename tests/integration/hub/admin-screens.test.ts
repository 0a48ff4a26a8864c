/**
 * What the workstation's administration screens read and do (issue 14 item 8), on each store: the
 * users of an institution with their state, a password reset that ends the old password, enabling a
 * disabled user, workstations with their sync health (awaiting enrolment → enrolled → revoked, last
 * seen, the workstation's own queue report, the hub's refusals), and the directory every screen
 * reads names from. Scoped like the other admin routes: a clinic's administrator sees the clinic,
 * the county hospital's sees every institution, nobody else sees anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePatient } from '../../../core/records/builders.ts';
import { adminPaths, adminUsersResponseSchema, directorySchema, workstationsResponseSchema } from '../../../sync/protocol/admin.ts';
import { backends, startDemoHub, type DemoHub } from './support/backends.ts';
import { call, demoWorkstation, login, type Session } from './support/client.ts';
import { insertRow, push } from './support/sync.ts';

for (const backend of backends) {
  describe.runIf(backend.available)(`administration screens' routes on ${backend.name}`, () => {
    let hub: DemoHub;
    let countyAdmin: Session;
    let cgAdmin: Session;
    let cgNurse: Session;

    beforeAll(async () => {
      hub = await startDemoHub(backend, { settings: { accountLockoutThreshold: 2 } });
      countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      cgAdmin = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'admin');
      cgNurse = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
    });
    afterAll(() => hub?.close());

    const users = async (admin: Session, query = '') => adminUsersResponseSchema.parse((await call(hub.url, 'GET', `${adminPaths.users}${query}`, { token: admin.accessToken })).body).users;
    const workstations = async (admin: Session) => workstationsResponseSchema.parse((await call(hub.url, 'GET', adminPaths.workstations, { token: admin.accessToken })).body).workstations;

    it("lists a clinic's own users to its administrator, every institution's to the county's, and none to a nurse", async () => {
      const own = await users(cgAdmin);
      expect(new Set(own.map((u) => u.institutionId))).toEqual(new Set(['chengguan']));
      expect(own.map((u) => u.username).sort()).toEqual(['admin', 'cardiologist', 'doctor', 'nurse']);
      const all = await users(countyAdmin);
      expect(new Set(all.map((u) => u.institutionId))).toEqual(new Set(['county-hospital', 'chengguan', 'hekou', 'ecg-center']));
      expect((await users(countyAdmin, '?institutionId=hekou')).every((u) => u.institutionId === 'hekou')).toBe(true);
      expect((await call(hub.url, 'GET', `${adminPaths.users}?institutionId=hekou`, { token: cgAdmin.accessToken })).status).toBe(403);
      const nurse = await call(hub.url, 'GET', adminPaths.users, { token: cgNurse.accessToken });
      expect(nurse.status).toBe(403);
      expect(nurse.body.error.messageZh).toContain('管理员');
    });

    it('resets a password: the old one stops working, the new one signs in, a lockout is lifted', async () => {
      const created = await call(hub.url, 'POST', adminPaths.users, {
        token: cgAdmin.accessToken,
        body: { username: 'locum', displayName: '临时护士', role: 'nurse', password: 'first-password' },
      });
      expect(created.status).toBe(201);
      const ws = demoWorkstation('ws-demo-chengguan');
      for (let i = 0; i < 2; i++) await call(hub.url, 'POST', '/auth/login', { body: { ...ws, username: 'locum', password: 'wrong-password' } });
      expect((await users(cgAdmin)).find((u) => u.username === 'locum')).toMatchObject({ displayName: '临时护士', locked: true, disabled: false });

      expect((await call(hub.url, 'POST', adminPaths.resetPassword(created.body.id), { token: cgAdmin.accessToken, body: { password: 'short' } })).status).toBe(400);
      expect((await call(hub.url, 'POST', adminPaths.resetPassword(created.body.id), { token: cgAdmin.accessToken, body: { password: 'second-password' } })).status).toBe(200);
      expect((await users(cgAdmin)).find((u) => u.username === 'locum')?.locked).toBe(false);
      expect((await call(hub.url, 'POST', '/auth/login', { body: { ...ws, username: 'locum', password: 'first-password' } })).status).toBe(401);
      await expect(login(hub.url, ws, 'locum', 'second-password')).resolves.toMatchObject({ userId: created.body.id });
      // A nurse cannot reset it.
      const byNurse = await call(hub.url, 'POST', adminPaths.resetPassword(created.body.id), { token: cgNurse.accessToken, body: { password: 'third-password' } });
      expect(byNurse.status).toBe(403);
    });

    it('disables and enables a user again', async () => {
      const doctor = (await users(cgAdmin)).find((u) => u.username === 'doctor')!;
      expect((await call(hub.url, 'POST', adminPaths.disableUser(doctor.id), { token: cgAdmin.accessToken })).status).toBe(200);
      expect((await users(cgAdmin)).find((u) => u.id === doctor.id)?.disabled).toBe(true);
      expect((await call(hub.url, 'POST', '/auth/login', { body: { ...demoWorkstation('ws-demo-chengguan'), username: 'doctor', password: 'demo1234' } })).status).not.toBe(200);
      expect((await call(hub.url, 'POST', adminPaths.enableUser(doctor.id), { token: cgAdmin.accessToken })).status).toBe(200);
      await expect(login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor')).resolves.toMatchObject({ userId: doctor.id });
    });

    it('shows a workstation awaiting enrolment, then enrolled with its sync report and last contact, then revoked', async () => {
      const created = await call(hub.url, 'POST', adminPaths.workstations, { token: cgAdmin.accessToken, body: { name: '二楼诊室' } });
      expect(created.status).toBe(201);
      const id = created.body.workstationId as string;
      expect((await workstations(cgAdmin)).find((w) => w.id === id)).toMatchObject({ name: '二楼诊室', state: 'awaiting-enrolment', lastSeenAt: null, pending: null });

      const enrolled = await call(hub.url, 'POST', '/auth/enrol', { body: { code: created.body.enrolmentCode } });
      const pc = await login(hub.url, { workstationId: id, workstationCredential: enrolled.body.workstationCredential }, 'nurse');
      const bad = await call(hub.url, 'POST', adminPaths.syncReport, { token: pc.accessToken, body: { pending: -1, setAside: 0, lastSyncedAt: null } });
      expect(bad.status).toBe(400);
      const syncedAt = new Date().toISOString();
      expect((await call(hub.url, 'POST', adminPaths.syncReport, { token: pc.accessToken, body: { pending: 7, setAside: 1, lastSyncedAt: syncedAt } })).status).toBe(200);
      // A write the hub refuses (a patient of another institution) counts against this workstation.
      expect((await push(hub.url, pc, 'patients', [insertRow(makePatient({ institutionId: 'hekou' }))])).status).toBe(403);

      const health = (await workstations(cgAdmin)).find((w) => w.id === id)!;
      expect(health).toMatchObject({ state: 'enrolled', pending: 7, setAside: 1, lastSyncedAt: syncedAt, refusedLast30Days: 1 });
      expect(Date.now() - Date.parse(health.lastSeenAt!)).toBeLessThan(60_000);
      expect((await workstations(countyAdmin)).some((w) => w.id === id)).toBe(true);
      expect((await call(hub.url, 'GET', adminPaths.workstations, { token: cgNurse.accessToken })).status).toBe(403);

      expect((await call(hub.url, 'POST', adminPaths.revokeWorkstation(id), { token: cgAdmin.accessToken })).status).toBe(200);
      expect((await workstations(cgAdmin)).find((w) => w.id === id)?.state).toBe('revoked');
      expect((await call(hub.url, 'POST', adminPaths.syncReport, { token: pc.accessToken, body: { pending: 0, setAside: 0, lastSyncedAt: null } })).status).toBe(401);
    });

    it('gives every signed-in user the names of institutions and staff, without usernames', async () => {
      const reply = await call(hub.url, 'GET', adminPaths.directory, { token: cgNurse.accessToken });
      const directory = directorySchema.parse(reply.body);
      expect(directory.institutions.find((i) => i.id === 'county-hospital')?.name).toBe('县人民医院');
      expect(directory.people.find((p) => p.id === 'ecg-center-cardiologist')).toMatchObject({ institutionId: 'ecg-center', role: 'cardiologist' });
      expect(JSON.stringify(reply.body)).not.toContain('username');
      expect((await call(hub.url, 'GET', adminPaths.directory)).status).toBe(401);
    });
  });
}
