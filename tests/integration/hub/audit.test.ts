/**
 * The audit trail as administrators query it (GET /admin/audit), on each store: by patient, user,
 * workstation and period, newest first in pages, scoped to the administrator's institution (the
 * county hospital's administrators see every institution), and refused to everyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePatient, makeVisit } from '../../../core/records/builders.ts';
import { backends, startDemoHub, type DemoHub } from './support/backends.ts';
import { call, demoWorkstation, enrolWorkstation, login, type Session } from './support/client.ts';
import { insertRow, pullAll, pushOk } from './support/sync.ts';

interface Entry {
  id: number;
  at: string;
  institutionId: string | null;
  userId: string | null;
  workstationId: string | null;
  action: string;
  patientId: string | null;
  patientIds?: string[];
  recordId?: string | null;
  detail?: Record<string, unknown> | null;
}

for (const backend of backends) {
  describe.runIf(backend.available)(`audit trail queries on ${backend.name}`, () => {
    let hub: DemoHub;
    let countyAdmin: Session;
    let cgAdmin: Session;
    let hkAdmin: Session;
    let nurse: Session; // 城关 registration desk
    let doctor: Session; // 城关, a second PC
    let hekou: Session;
    const ours = makePatient({ institutionId: 'chengguan' });
    const theirs = makePatient({ institutionId: 'hekou' });
    let periodStart: string;
    let periodEnd: string;

    const audit = async (admin: Session, query: string) => {
      const reply = await call(hub.url, 'GET', `/admin/audit?${query}`, { token: admin.accessToken });
      if (reply.status !== 200) throw new Error(`audit ${query}: ${reply.status} ${JSON.stringify(reply.body)}`);
      return reply.body as { entries: Entry[]; nextBefore: number | null };
    };

    beforeAll(async () => {
      hub = await startDemoHub(backend);
      countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      cgAdmin = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'admin');
      nurse = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
      doctor = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'chengguan'), 'doctor');
      const hekouWs = await enrolWorkstation(hub.url, countyAdmin, 'hekou');
      hekou = await login(hub.url, hekouWs, 'nurse');
      hkAdmin = await login(hub.url, hekouWs, 'admin');

      // The database clock decides `at`: the period is taken from the hub's own entries.
      await new Promise((r) => setTimeout(r, 20));
      await pushOk(hub.url, nurse, 'patients', [insertRow(ours)]);
      await pushOk(hub.url, nurse, 'visits', [insertRow(makeVisit({ institutionId: 'chengguan', patientId: ours.id }))]);
      await pullAll(hub.url, doctor, 'patients');
      await pullAll(hub.url, doctor, 'visits');
      await pushOk(hub.url, hekou, 'patients', [insertRow(theirs)]);
      const inPeriod = (await audit(countyAdmin, `patientId=${ours.id}`)).entries;
      periodStart = inPeriod.at(-1)!.at;
      periodEnd = new Date(Date.parse(inPeriod[0]!.at) + 1).toISOString();
    }, 120_000); // a hub on a fresh store and scrypt logins, on a shared 2-core machine
    afterAll(() => hub?.close());

    it("answers who created and who read a patient's record, from which workstation, newest first", async () => {
      const { entries } = await audit(cgAdmin, `patientId=${ours.id}`);
      // A pull is one entry listing the patients it handed out (patientIds); other entries name one patient.
      expect(entries.every((e) => e.patientId === ours.id || e.patientIds?.includes(ours.id))).toBe(true);
      expect(entries).toContainEqual(expect.objectContaining({ action: 'create', userId: 'chengguan-nurse', workstationId: 'ws-demo-chengguan' }));
      expect(entries).toContainEqual(expect.objectContaining({ action: 'read', userId: 'chengguan-doctor', workstationId: doctor.workstationId }));
      const ids = entries.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
    });

    it('audits a push of several records as one entry naming them all, found by any of its patients', async () => {
      const desk = [makePatient({ institutionId: 'chengguan' }), makePatient({ institutionId: 'chengguan' }), makePatient({ institutionId: 'chengguan' })];
      await pushOk(hub.url, nurse, 'patients', desk.map(insertRow));
      const { entries } = await audit(cgAdmin, `patientId=${desk[1]!.id}`);
      const created = entries.filter((e) => e.action === 'create');
      expect(created).toHaveLength(1);
      expect(created[0]).toMatchObject({ userId: 'chengguan-nurse', workstationId: 'ws-demo-chengguan', recordId: null, patientIds: [desk[1]!.id] });
      expect(created[0]!.detail).toEqual({ count: 3, recordIds: desk.map((p) => p.id) });
      // The same entry answers for the first patient of the push.
      const first = (await audit(cgAdmin, `patientId=${desk[0]!.id}`)).entries.filter((e) => e.action === 'create');
      expect(first.map((e) => e.id)).toEqual([created[0]!.id]);
    });

    it('filters by user, by workstation and by action', async () => {
      const byUser = (await audit(cgAdmin, 'userId=chengguan-doctor')).entries;
      expect(byUser.length).toBeGreaterThan(0);
      expect(byUser.every((e) => e.userId === 'chengguan-doctor')).toBe(true);
      const byWorkstation = (await audit(cgAdmin, `workstationId=${doctor.workstationId}&action=read`)).entries;
      expect(byWorkstation.map((e) => e.action)).toEqual(['read', 'read']); // one per patient per pull: patients, visits
      expect(byWorkstation.every((e) => e.workstationId === doctor.workstationId)).toBe(true);
    });

    it('limits to a period', async () => {
      const inside = (await audit(cgAdmin, `patientId=${ours.id}&from=${encodeURIComponent(periodStart)}&to=${encodeURIComponent(periodEnd)}`)).entries;
      expect(inside.length).toBe((await audit(cgAdmin, `patientId=${ours.id}`)).entries.length);
      const before = (await audit(cgAdmin, `patientId=${ours.id}&to=${encodeURIComponent(periodStart)}`)).entries;
      expect(before).toEqual([]);
      const after = (await audit(cgAdmin, `patientId=${ours.id}&from=${encodeURIComponent(periodEnd)}`)).entries;
      expect(after).toEqual([]);
    });

    it('pages newest first without losing or repeating an entry', async () => {
      const all = (await audit(countyAdmin, 'limit=1000')).entries.map((e) => e.id);
      expect(all.length).toBeGreaterThan(10);
      const paged: number[] = [];
      let cursor: number | null = null;
      for (;;) {
        const page: { entries: Entry[]; nextBefore: number | null } = await audit(countyAdmin, `limit=4${cursor ? `&before=${cursor}` : ''}`);
        expect(page.entries.length).toBeLessThanOrEqual(4);
        paged.push(...page.entries.map((e) => e.id));
        if (page.nextBefore === null) break;
        cursor = page.nextBefore;
      }
      expect(paged).toEqual(all);
    });

    it("keeps one clinic's administrator out of another clinic's trail; the county administrator sees both", async () => {
      expect((await audit(cgAdmin, `patientId=${theirs.id}`)).entries).toEqual([]);
      expect((await audit(cgAdmin, 'institutionId=hekou')).entries).toEqual([]);
      const hekouSees = (await audit(hkAdmin, 'limit=1000')).entries;
      expect(hekouSees.some((e) => e.patientId === ours.id)).toBe(false);
      expect(hekouSees.some((e) => e.patientId === theirs.id)).toBe(true);
      expect((await audit(countyAdmin, `patientId=${theirs.id}`)).entries).toContainEqual(expect.objectContaining({ action: 'create', institutionId: 'hekou' }));
      expect((await audit(countyAdmin, `patientId=${ours.id}`)).entries.length).toBeGreaterThan(0);
    });

    it('refuses non-administrators and malformed queries with a clear message', async () => {
      const asNurse = await call(hub.url, 'GET', '/admin/audit', { token: nurse.accessToken });
      expect(asNurse.status).toBe(403);
      expect(asNurse.body.error.messageZh).toContain('管理员');
      const badPeriod = await call(hub.url, 'GET', `/admin/audit?from=${encodeURIComponent(periodEnd)}&to=${encodeURIComponent(periodStart)}`, { token: cgAdmin.accessToken });
      expect(badPeriod.status).toBe(400);
      expect(badPeriod.body.error.message).toContain('from');
      const badDate = await call(hub.url, 'GET', '/admin/audit?from=yesterday', { token: cgAdmin.accessToken });
      expect(badDate.status).toBe(400);
      const unknown = await call(hub.url, 'GET', '/admin/audit?password=x', { token: cgAdmin.accessToken });
      expect(unknown.status).toBe(400);
    });
  });
}
