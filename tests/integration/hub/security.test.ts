/**
 * The hub under hostile or broken requests, on each store: missing, expired and forged tokens,
 * revoked users and workstations, invalid and oversized bodies, login floods. Each answer is a 4xx
 * with a bilingual message, and the row counts prove nothing was written. Also: the audit trail,
 * and that logs carry no patient data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { makePatient, makeVisit } from '../../../core/records/builders.ts';
import { errorBodySchema } from '../../../sync/protocol/errors.ts';
import { startHub, type StartedHub } from '../../../sync/hub/start.ts';
import { issueAccessToken } from '../../../sync/hub/auth/tokens.ts';
import { backends, type BackendStore } from './support/backends.ts';
import { call, demoWorkstation, enrolWorkstation, login, type Session } from './support/client.ts';
import { countRows, insertRow, pullAll, push, pushOk } from './support/sync.ts';

for (const backend of backends) {
  describe.runIf(backend.available)(`security on ${backend.name}`, () => {
    let store: BackendStore;
    let hub: StartedHub;
    const logLines: string[] = [];
    let countyAdmin: Session;
    let chengguan: Session;
    let hekou: Session;

    beforeAll(async () => {
      store = await backend.createStore();
      const logStream = new Writable({
        write(chunk, _encoding, done) {
          logLines.push(String(chunk));
          done();
        },
      });
      hub = await startHub({ ...store.options, port: 0, demo: true, logLevel: 'debug', logStream, settings: { bodyLimitBytes: 64 * 1024, loginAttemptsPerMinute: 5 } });
      countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      chengguan = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
      hekou = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'hekou'), 'nurse');
    });
    afterAll(async () => {
      await hub?.close();
      await store?.dispose();
    });

    const expectRefusal = (reply: { status: number; body: unknown }, status: number, code: string) => {
      expect(reply.status).toBe(status);
      const body = errorBodySchema.parse(reply.body); // the protocol's error shape, both languages
      expect(body.error.code).toBe(code);
      expect(body.error.messageZh).toMatch(/[\u4e00-\u9fff]/);
      return body.error;
    };

    it('refuses a request without a token and writes nothing', async () => {
      const before = await countRows(hub, 'records');
      const reply = await call(hub.url, 'POST', '/sync/patients/push', { body: { rows: [insertRow(makePatient({ institutionId: 'chengguan' }))] } });
      expectRefusal(reply, 401, 'auth-missing');
      expect(await countRows(hub, 'records')).toBe(before);
    });

    it('refuses an expired token, telling the client to sign in again', async () => {
      const expired = await issueAccessToken(hub.context.keys, { userId: 'chengguan-nurse', workstationId: 'ws-demo-chengguan', institutionId: 'chengguan', role: 'nurse' }, -60);
      const before = await countRows(hub, 'records');
      const reply = await push(hub.url, { ...chengguan, accessToken: expired }, 'patients', [insertRow(makePatient({ institutionId: 'chengguan' }))]);
      expectRefusal(reply, 401, 'auth-expired');
      expect(await countRows(hub, 'records')).toBe(before);
    });

    it('refuses a token whose claims were edited to another institution', async () => {
      const [header, payload, signature] = hekou.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      const forged = [header, Buffer.from(JSON.stringify({ ...claims, ins: 'chengguan' })).toString('base64url'), signature].join('.');
      const reply = await call(hub.url, 'GET', '/sync/patients/pull', { token: forged });
      expectRefusal(reply, 401, 'auth-invalid');
    });

    it('refuses a record that fails validation, naming the field but not the value, and writes nothing', async () => {
      const good = makePatient({ institutionId: 'chengguan' });
      const valid = makePatient({ institutionId: 'chengguan' });
      const wrongCheck = valid.idNumber.endsWith('1') ? '2' : '1';
      const tampered = { ...valid, idNumber: valid.idNumber.slice(0, 17) + wrongCheck }; // GB 11643 check character broken
      const before = await countRows(hub, 'records');
      const reply = await push(hub.url, chengguan, 'patients', [insertRow(good), insertRow(tampered)]);
      const error = expectRefusal(reply, 400, 'validation-failed');
      expect(error.details?.documentIds).toEqual([tampered.id]);
      expect(error.details?.issues?.map((i) => i.path).join(' ')).toContain('idNumber');
      expect(JSON.stringify(reply.body)).not.toContain(tampered.idNumber);
      expect(await countRows(hub, 'records')).toBe(before);
    });

    it('refuses an oversized body with 413 and writes nothing', async () => {
      const before = await countRows(hub, 'records');
      const patients = Array.from({ length: 200 }, () => insertRow(makePatient({ institutionId: 'chengguan', address: '某'.repeat(200) })));
      const reply = await push(hub.url, chengguan, 'patients', patients);
      expectRefusal(reply, 413, 'payload-too-large');
      expect(await countRows(hub, 'records')).toBe(before);
    });

    it("answers another institution's token with nothing of ours", async () => {
      const ours = makePatient({ institutionId: 'chengguan' });
      await pushOk(hub.url, chengguan, 'patients', [insertRow(ours)]);
      await pushOk(hub.url, chengguan, 'visits', [insertRow(makeVisit({ institutionId: 'chengguan', patientId: ours.id }))]);
      for (const collection of ['patients', 'visits', 'orders', 'results', 'ecgStudies', 'ecgReports'] as const) {
        const seen = await pullAll(hub.url, hekou, collection);
        expect(seen.documents.filter((d) => d.institutionId !== 'hekou')).toEqual([]);
      }
      const audit = await call(hub.url, 'GET', `/admin/audit?patientId=${ours.id}`, { token: hekou.accessToken });
      expectRefusal(audit, 403, 'forbidden');
    });

    it('locks out a disabled user and a revoked workstation on their very next request', async () => {
      const ws = await enrolWorkstation(hub.url, countyAdmin, 'chengguan');
      const doctor = await login(hub.url, ws, 'doctor');
      expect((await call(hub.url, 'GET', '/sync/patients/pull', { token: doctor.accessToken })).status).toBe(200);
      const cgAdmin = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'admin');
      expect((await call(hub.url, 'POST', `/admin/workstations/${ws.workstationId}/revoke`, { token: cgAdmin.accessToken })).status).toBe(200);
      const after = await call(hub.url, 'GET', '/sync/patients/pull', { token: doctor.accessToken });
      expect(expectRefusal(after, 401, 'auth-invalid').messageZh).toContain('吊销');
      const refresh = await call(hub.url, 'POST', '/auth/refresh', { body: { refreshToken: doctor.refreshToken, workstationCredential: ws.workstationCredential } });
      expect(refresh.status).toBe(401);

      const created = await call(hub.url, 'POST', '/admin/users', {
        token: cgAdmin.accessToken,
        body: { username: 'locum', displayName: '临时医生', role: 'doctor', password: 'locum-password-1' },
      });
      expect(created.status).toBe(201);
      const locum = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'locum', 'locum-password-1');
      expect((await call(hub.url, 'POST', `/admin/users/${created.body.id}/disable`, { token: cgAdmin.accessToken })).status).toBe(200);
      expectRefusal(await call(hub.url, 'GET', '/sync/visits/pull', { token: locum.accessToken }), 401, 'auth-invalid');
    });

    it('refuses a workstation revoked behind this process’s back (another hub process) within the one-second caller cache', async () => {
      const ws = await enrolWorkstation(hub.url, countyAdmin, 'chengguan');
      const doctor = await login(hub.url, ws, 'doctor');
      expect((await call(hub.url, 'GET', '/sync/patients/pull', { token: doctor.accessToken })).status).toBe(200);
      // As another hub process on the same database would: straight into the table, no cache cleared here.
      await hub.context.db.query('update workstations set revoked_at = now() where id = $1', [ws.workstationId]);
      const window = hub.context.settings.callerCacheMs;
      expect(window).toBeLessThanOrEqual(1000);
      await new Promise((resolve) => setTimeout(resolve, window + 50));
      const after = await call(hub.url, 'GET', '/sync/patients/pull', { token: doctor.accessToken });
      expect(expectRefusal(after, 401, 'auth-invalid').messageZh).toContain('吊销');
    });

    it('keeps an administrator of one clinic out of another clinic', async () => {
      const cgAdmin = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'admin');
      const reply = await call(hub.url, 'POST', '/admin/workstations', { token: cgAdmin.accessToken, body: { name: 'x', institutionId: 'hekou' } });
      expectRefusal(reply, 403, 'forbidden');
      const nurse = await call(hub.url, 'POST', '/admin/workstations', { token: chengguan.accessToken, body: { name: 'x' } });
      expectRefusal(nurse, 403, 'forbidden');
    });

    it('records who read and changed a patient, from which workstation, for administrators', async () => {
      const patient = makePatient({ institutionId: 'chengguan' });
      await pushOk(hub.url, chengguan, 'patients', [insertRow(patient)]);
      const doctor = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
      await pullAll(hub.url, doctor, 'patients');
      const cgAdmin = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'admin');
      const reply = await call(hub.url, 'GET', `/admin/audit?patientId=${patient.id}`, { token: cgAdmin.accessToken });
      expect(reply.status).toBe(200);
      const entries = reply.body.entries as { action: string; userId: string; workstationId: string; at: string }[];
      expect(entries).toContainEqual(expect.objectContaining({ action: 'create', userId: 'chengguan-nurse', workstationId: 'ws-demo-chengguan' }));
      expect(entries).toContainEqual(expect.objectContaining({ action: 'read', userId: 'chengguan-doctor', workstationId: 'ws-demo-chengguan' }));
      expect(Number.isNaN(Date.parse(entries[0]!.at))).toBe(false);
    });

    it('keeps the audit trail append-only, even for the database owner', async () => {
      const before = await countRows(hub, 'audit_log');
      expect(before).toBeGreaterThan(0);
      await expect(hub.context.db.query('update audit_log set user_id = $1', ['someone-else'])).rejects.toThrow(/append-only/);
      await expect(hub.context.db.query('delete from audit_log')).rejects.toThrow(/append-only/);
      await expect(hub.context.db.query('truncate audit_log')).rejects.toThrow(/append-only/);
      expect(await countRows(hub, 'audit_log')).toBe(before);
      expect(await countRows(hub, 'audit_log', 'user_id = $1', ['someone-else'])).toBe(0);
    });

    it('refuses a record or link naming an institution that does not exist, and never deletes or renames an institution', async () => {
      const records = await countRows(hub, 'records');
      const patient = makePatient({ institutionId: 'chengguan' });
      // As the hub writes a batch (store.ts): one statement, the known clinic beside an unknown one — nothing of it stays.
      await expect(
        hub.context.db.query(
          `insert into records (collection, id, doc, deleted, owner_institution_id, patient_id, seq)
           select 'patients', v.id, $1::jsonb, false, v.owner, v.id, nextval('hub_change_seq') from (values ('known-owner', 'chengguan'), ('unknown-owner', 'no-such-clinic')) as v(id, owner)`,
          [patient],
        ),
      ).rejects.toThrow(/no institution no-such-clinic/);
      await expect(
        hub.context.db.query("insert into patient_links (patient_id, institution_id, linked_seq, kind, began) values ('p-1', 'no-such-clinic', 1, 'treating', 'registered')"),
      ).rejects.toThrow(/no institution no-such-clinic/);
      expect(await countRows(hub, 'records')).toBe(records);
      await expect(hub.context.db.query("delete from institutions where id = 'hekou'")).rejects.toThrow(/institutions are kept/);
      await expect(hub.context.db.query("update institutions set id = 'renamed' where id = 'hekou'")).rejects.toThrow(/institutions are kept/);
      expect(await countRows(hub, 'institutions', 'id = $1', ['hekou'])).toBe(1);
    });

    it('slows down password guessing with 429 after a few attempts', async () => {
      const ws = await enrolWorkstation(hub.url, countyAdmin, 'hekou');
      const attempt = () => call(hub.url, 'POST', '/auth/login', { body: { ...ws, username: 'nurse', password: 'guess-123' } });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await attempt()).status);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expectRefusal(await attempt(), 429, 'rate-limited');
    });

    it('logs requests but never a patient name, ID number or phone', async () => {
      const patient = makePatient({ institutionId: 'chengguan' });
      await pushOk(hub.url, chengguan, 'patients', [insertRow(patient)]);
      await push(hub.url, chengguan, 'patients', [insertRow({ ...patient, id: 'broken', idNumber: `${patient.idNumber.slice(0, 17)}0`, birthDate: 'not-a-date' })]);
      await call(hub.url, 'GET', `/admin/audit?patientId=${patient.id}`, { token: chengguan.accessToken });
      await pullAll(hub.url, chengguan, 'patients');
      const log = logLines.join('');
      expect(log).toContain('"path":"/sync/patients/push"'); // requests are logged…
      expect(log).toContain('request refused');
      for (const secret of [patient.name, patient.idNumber, patient.phone, patient.id, patient.address, chengguan.accessToken]) {
        expect(log).not.toContain(secret); // …their contents are not
      }
    });
  });
}
