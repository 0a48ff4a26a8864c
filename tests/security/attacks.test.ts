/**
 * The ten findings of issue 13, replayed as attacks against a real hub on PostgreSQL and on PGlite
 * (clinic A = 城关 chengguan, clinic B = 河口 hekou). Each attack must be refused (or, where the
 * model allows the act, recorded and audited) and change nothing it should not: row counts, the
 * hub's last sequence number, and what the victim sees. Finding 5 is fuzzed in fuzz.test.ts; the
 * workstation side of 5 and 10 (needs-attention list, encrypted IndexedDB) is tested in sync/client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { makeClosedVisit, makeEcgReport, makeEcgStudy, makeOrder, makePatient, makeResult, makeVisit } from '../../core/records/builders.ts';
import { paths } from '../../sync/protocol/wire.ts';
import { ecgPaths } from '../../sync/protocol/ecg-reading.ts';
import { makeFhirDiagnosticReport } from '../support/fhir.ts';
import { backends, startDemoHub, type DemoHub } from '../integration/hub/support/backends.ts';
import { call, demoWorkstation, enrolWorkstation, login, type Session } from '../integration/hub/support/client.ts';
import { countRows, insertRow, pullAll, push, pushOk, sendEcgStudy, wire } from '../integration/hub/support/sync.ts';

for (const backend of backends) {
  describe.runIf(backend.available)(`issue 13 attacks on ${backend.name}`, () => {
    let hub: DemoHub;
    let countyAdmin: Session, countyDoctor: Session;
    let nurseA: Session, doctorA: Session, adminA: Session;
    let nurseB: Session, doctorB: Session;
    let centerNurse: Session, cardiologist: Session;

    beforeAll(async () => {
      hub = await startDemoHub(backend, { settings: { loginAttemptsPerMinute: 100, accountLockoutThreshold: 3, accountLockoutBaseSeconds: 600 } });
      countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      countyDoctor = await login(hub.url, demoWorkstation('ws-demo-county'), 'doctor');
      const wsA = demoWorkstation('ws-demo-chengguan');
      [nurseA, doctorA, adminA] = [await login(hub.url, wsA, 'nurse'), await login(hub.url, wsA, 'doctor'), await login(hub.url, wsA, 'admin')];
      const wsB = await enrolWorkstation(hub.url, countyAdmin, 'hekou');
      [nurseB, doctorB] = [await login(hub.url, wsB, 'nurse'), await login(hub.url, wsB, 'doctor')];
      const wsC = demoWorkstation('ws-demo-ecg-center');
      [centerNurse, cardiologist] = [await login(hub.url, wsC, 'nurse'), await login(hub.url, wsC, 'cardiologist')];
    });
    afterAll(() => hub?.close());

    const snapshot = async () => {
      const { rows } = await hub.context.db.query<{ n: string; seq: string | null }>('select count(*) as n, max(seq) as seq from records');
      return { records: Number(rows[0]!.n), lastSeq: Number(rows[0]!.seq ?? 0) };
    };
    /** A's patient with a closed visit: the victim's record. */
    const victim = async () => {
      const patient = makePatient({ institutionId: 'chengguan' });
      const visit = makeClosedVisit({ institutionId: 'chengguan', patientId: patient.id, doctorId: doctorA.userId });
      await pushOk(hub.url, nurseA, 'patients', [insertRow(patient)]);
      await pushOk(hub.url, doctorA, 'visits', [insertRow(visit)]);
      return { patient, visit };
    };
    const seenBy = async (session: Session, collection: Parameters<typeof pullAll>[2]) => (await pullAll(hub.url, session, collection)).documents;
    const expectForbidden = (reply: { status: number; body: { error: { code: string; details?: { rule?: string } } } }, rule: string) => {
      expect(reply.status).toBe(403);
      expect(reply.body.error.code).toBe('forbidden');
      expect(reply.body.error.details?.rule).toBe(rule);
    };

    it("1. a FHIR result about A's patient gives B nothing, and known and unknown ID numbers answer alike", async () => {
      const { patient, visit } = await victim();
      const known = await call(hub.url, 'POST', '/fhir/r4/DiagnosticReport', { token: doctorB.accessToken, body: makeFhirDiagnosticReport({ idNumber: patient.idNumber }) });
      const unknown = await call(hub.url, 'POST', '/fhir/r4/DiagnosticReport', { token: doctorB.accessToken, body: makeFhirDiagnosticReport({ idNumber: makePatient().idNumber }) });
      expect([known.status, unknown.status]).toEqual([201, 201]);
      expect(Object.keys(unknown.body.stored[0])).toEqual(Object.keys(known.body.stored[0]));
      expect((await seenBy(doctorB, 'patients')).map((d) => d.id)).not.toContain(patient.id);
      expect((await seenBy(doctorB, 'visits')).map((d) => d.id)).not.toContain(visit.id);
      expect(await countRows(hub, 'patient_links', 'patient_id = $1 and institution_id = $2', [patient.id, 'hekou'])).toBe(0);
    });

    it("2. B's duplicate registration is recorded as hand-typed and audited for A; B's rewrite of A's identity changes nothing", async () => {
      const { patient } = await victim();
      const duplicate = makePatient({ institutionId: 'hekou', idNumber: patient.idNumber, name: '冒名', sex: patient.sex === '1' ? '2' : '1', birthDate: '1990-01-01' });
      await pushOk(hub.url, nurseB, 'patients', [insertRow(duplicate)]);
      const link = await hub.context.db.query<{ began: string }>('select began from patient_links where patient_id = $1 and institution_id = $2', [patient.id, 'hekou']);
      expect(link.rows[0]?.began).toBe('hand-typed');
      const trail = await call(hub.url, 'GET', `/admin/audit?patientId=${patient.id}&action=first_access`, { token: adminA.accessToken });
      expect(trail.body.entries).toContainEqual(expect.objectContaining({ institutionId: 'hekou', detail: expect.objectContaining({ began: 'hand-typed' }) }));

      const before = await snapshot();
      const rewritten = { ...patient, name: '改名', birthDate: '1950-05-05' };
      const reply = await pushOk(hub.url, nurseB, 'patients', [{ newDocumentState: wire(rewritten), assumedMasterState: wire(patient) }]);
      expect(reply.conflicts).toEqual([wire(patient)]); // answered with the master: the rewrite is not stored
      expect(await snapshot()).toEqual(before);
      expect((await seenBy(nurseA, 'patients')).find((d) => d.id === patient.id)).toMatchObject({ name: patient.name, birthDate: patient.birthDate });
      // The differing identity waits for the county's patient-index administrator.
      const queue = await call(hub.url, 'GET', '/admin/patient-index/discrepancies', { token: countyAdmin.accessToken });
      expect(queue.body.discrepancies).toContainEqual(expect.objectContaining({ masterPatientId: patient.id, source: 'edit', proposed: { name: '改名', birthDate: '1950-05-05' } }));
      expect(queue.body.discrepancies).toContainEqual(expect.objectContaining({ masterPatientId: patient.id, source: 'duplicate-registration' }));
      expect((await call(hub.url, 'GET', '/admin/patient-index/discrepancies', { token: adminA.accessToken })).status).toBe(403);
    });

    it('3. an ECG-centre nurse cannot forge a reading state or a critical report', async () => {
      const { patient } = await victim();
      const study = makeEcgStudy({ institutionId: 'chengguan', patientId: patient.id, readingState: 'uploading' });
      await pushOk(hub.url, doctorA, 'ecgStudies', [insertRow(study)]);
      const before = await snapshot();
      expectForbidden(await push(hub.url, centerNurse, 'ecgStudies', [{ newDocumentState: wire({ ...study, readingState: 'reported' }), assumedMasterState: wire(study) }]), 'ecgStudies.reading-state-by-the-hub');
      const report = makeEcgReport({ institutionId: 'ecg-center', studyId: study.id, patientId: patient.id, critical: true });
      expectForbidden(await push(hub.url, centerNurse, 'ecgReports', [insertRow(report)]), 'ecgReports.drafts-by-cardiologists');
      const signed = { ...report, signedBy: cardiologist.userId, signedAt: new Date().toISOString() };
      expectForbidden(await push(hub.url, cardiologist, 'ecgReports', [insertRow(signed)]), 'ecgReports.signed-through-the-reading-room');
      // Nor can a 危急值 be marked acknowledged by replication: only the clinic, through the hub, closes the loop.
      const acknowledged = { ...report, acknowledgedBy: doctorA.userId, acknowledgedAt: new Date().toISOString() };
      expectForbidden(await push(hub.url, cardiologist, 'ecgReports', [insertRow(acknowledged)]), 'ecgReports.acknowledged-through-the-hub');
      expect(await snapshot()).toEqual(before);
      expect((await seenBy(doctorA, 'ecgStudies')).find((d) => d.id === study.id)).toMatchObject({ readingState: 'uploading' });
      expect((await seenBy(doctorA, 'ecgReports')).map((d) => d.id)).not.toContain(report.id);
    });

    it("4. a nurse cannot close a visit with diagnoses, file a result or order in a doctor's name", async () => {
      const { patient } = await victim();
      const before = await snapshot();
      const closed = makeClosedVisit({ institutionId: 'chengguan', patientId: patient.id, doctorId: doctorA.userId });
      expectForbidden(await push(hub.url, nurseA, 'visits', [insertRow(closed)]), 'visits.clinical-record-by-doctors');
      expectForbidden(await push(hub.url, nurseA, 'results', [insertRow(makeResult({ institutionId: 'chengguan', patientId: patient.id, hrMark: true }))]), 'results.from-fhir-or-doctor');
      expectForbidden(await push(hub.url, nurseA, 'orders', [insertRow(makeOrder({ institutionId: 'chengguan', patientId: patient.id, orderedBy: doctorA.userId }))]), 'orders.by-doctors');
      // A doctor cannot write in a colleague's name either, nor mark a typed result "HR".
      expectForbidden(await push(hub.url, doctorA, 'visits', [insertRow({ ...closed, doctorId: 'chengguan-someone-else' })]), 'visits.doctor-is-the-writer');
      expectForbidden(await push(hub.url, doctorA, 'results', [insertRow(makeResult({ institutionId: 'chengguan', patientId: patient.id, hrMark: true }))]), 'results.hr-mark-from-lab');
      expect(await snapshot()).toEqual(before);
      // Refusals are audited, naming the rule.
      const refused = await call(hub.url, 'GET', `/admin/audit?action=refused&userId=${nurseA.userId}`, { token: adminA.accessToken });
      expect(refused.body.entries.map((e: { detail: { rule: string } }) => e.detail.rule)).toEqual(expect.arrayContaining(['visits.clinical-record-by-doctors', 'orders.by-doctors']));
    });

    it('5. a poisoned record or sign-in is a 400 naming the field, never a 500, and nothing is stored', async () => {
      const before = await snapshot();
      const poisoned = { ...makePatient({ institutionId: 'chengguan' }), name: '张\u0000三' };
      const reply = await push(hub.url, nurseA, 'patients', [insertRow(makePatient({ institutionId: 'chengguan' })), insertRow(poisoned)]);
      expect(reply.status).toBe(400);
      expect(reply.body.error.details.documentIds).toEqual([poisoned.id]);
      const signIn = await call(hub.url, 'POST', '/auth/login', { body: { ...demoWorkstation('ws-demo-chengguan'), username: 'nurse\uD800', password: 'x' } });
      expect(signIn.status).toBe(400);
      expect(await snapshot()).toEqual(before);
    });

    it("6. knowing A's file hash gives B neither the file nor its status; the same bytes from both succeed", async () => {
      const { patient } = await victim();
      const file = new Uint8Array(randomBytes(3000));
      const hash = createHash('sha256').update(file).digest('hex');
      const upload = (s: Session) => call(hub.url, 'PUT', paths.blobChunk(hash, 0), { token: s.accessToken, rawBody: file, contentType: 'application/octet-stream' });
      // B squats first with a 0-byte chunk: A's upload is not disturbed.
      expect((await call(hub.url, 'PUT', paths.blobChunk(hash, 0), { token: doctorB.accessToken, rawBody: new Uint8Array(0), contentType: 'application/octet-stream' })).status).toBe(200);
      expect((await upload(doctorA)).status).toBe(200);
      expect((await call(hub.url, 'POST', paths.blobComplete(hash), { token: doctorA.accessToken, body: { size: file.length } })).status).toBe(200);
      await pushOk(hub.url, doctorA, 'ecgStudies', [insertRow(makeEcgStudy({ institutionId: 'chengguan', patientId: patient.id, dicomSha256: hash, dicomSizeBytes: file.length, readingState: 'uploading' }))]);
      // B references the hash from a study of its own.
      const own = makePatient({ institutionId: 'hekou' });
      await pushOk(hub.url, nurseB, 'patients', [insertRow(own)]);
      await pushOk(hub.url, doctorB, 'ecgStudies', [insertRow(makeEcgStudy({ institutionId: 'hekou', patientId: own.id, dicomSha256: hash, dicomSizeBytes: file.length }))]);
      const stolen = await call(hub.url, 'GET', paths.blob(hash), { token: doctorB.accessToken });
      expect(stolen.status).toBe(404);
      expect((await call(hub.url, 'GET', paths.blobStatus(hash), { token: doctorB.accessToken })).body).toMatchObject({ complete: false, receivedBytes: 0 });
      // The same bytes uploaded by B itself: both institutions succeed, and now B is entitled.
      expect((await upload(doctorB)).status).toBe(200);
      expect((await call(hub.url, 'POST', paths.blobComplete(hash), { token: doctorB.accessToken, body: { size: file.length } })).status).toBe(200);
      const mine = await call(hub.url, 'GET', paths.blob(hash), { token: doctorB.accessToken });
      expect(mine.status).toBe(200);
      expect(mine.headers.get('cache-control')).toBe('no-store');
    });

    it('7. padded usernames share one lockout; a replayed refresh token revokes its family', async () => {
      const ws = await enrolWorkstation(hub.url, countyAdmin, 'chengguan');
      const wrong = (username: string) => call(hub.url, 'POST', '/auth/login', { body: { ...ws, username, password: 'wrong-password' } });
      for (const padded of [' doctor', 'doctor\t', 'ｄｏｃｔｏｒ']) expect((await wrong(padded)).status).toBe(401);
      const locked = await call(hub.url, 'POST', '/auth/login', { body: { ...ws, username: 'doctor', password: 'demo1234' } });
      expect(locked.status).toBe(429);
      expect(locked.body.error.messageZh).toContain('锁定');
      const lockout = await call(hub.url, 'GET', '/admin/audit?action=lockout', { token: adminA.accessToken });
      expect(lockout.body.entries.length).toBeGreaterThan(0);
      expect((await call(hub.url, 'POST', `/admin/users/${doctorA.userId}/unlock`, { token: adminA.accessToken })).status).toBe(200);
      const session = await login(hub.url, ws, 'doctor');

      const refresh = (refreshToken: string) => call(hub.url, 'POST', '/auth/refresh', { body: { refreshToken, workstationCredential: ws.workstationCredential } });
      const first = await refresh(session.refreshToken);
      expect(first.status).toBe(200);
      const next = await refresh(first.body.refreshToken);
      expect(next.status).toBe(200);
      // A thief replays the spent token after the workstation moved on: refused, and the whole family
      // dies with it, the workstation's live token included.
      const replay = await refresh(session.refreshToken);
      expect(replay.status).toBe(401);
      expect((await refresh(next.body.refreshToken)).status).toBe(401);
      const replays = await call(hub.url, 'GET', '/admin/audit?action=refused', { token: adminA.accessToken });
      expect(replays.body.entries.map((e: { detail?: { rule?: string } }) => e.detail?.rule)).toContain('auth.refresh-reuse-revokes-family');

      // A thief quick enough to replay within the grace for a lost answer, before the workstation
      // used its new token, gets tokens, but only until the workstation's next refresh: that finds its
      // token replaced, and the family, the thief's tokens included, is revoked.
      const second = await login(hub.url, ws, 'doctor');
      const rotated = await refresh(second.refreshToken);
      const stolen = await refresh(second.refreshToken);
      expect(stolen.status).toBe(200);
      expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
      expect((await refresh(stolen.body.refreshToken)).status).toBe(401);
    });

    it('8. cross-tenant refusals and emergency access are in the audit trail and the patient access report', async () => {
      const { patient, visit } = await victim();
      const attempt = await push(hub.url, nurseB, 'visits', [insertRow(makeVisit({ institutionId: 'hekou', patientId: patient.id }))]);
      expect(attempt.status).toBe(403);
      const refused = await call(hub.url, 'GET', `/admin/audit?action=refused&institutionId=hekou`, { token: countyAdmin.accessToken });
      expect(refused.body.entries.length).toBeGreaterThan(0);
      // Break the glass: a reason is required, the access is granted, recorded and reported to A.
      expect((await call(hub.url, 'POST', '/patients/emergency-access', { token: doctorB.accessToken, body: { idNumber: patient.idNumber } })).status).toBe(400);
      expect((await call(hub.url, 'POST', '/patients/emergency-access', { token: nurseB.accessToken, body: { idNumber: patient.idNumber, reason: '昏迷送诊，需查既往史' } })).status).toBe(403);
      const glass = await call(hub.url, 'POST', '/patients/emergency-access', { token: doctorB.accessToken, body: { idNumber: patient.idNumber, reason: '昏迷送诊，需查既往史' } });
      expect(glass.status).toBe(200);
      expect((await seenBy(doctorB, 'visits')).map((d) => d.id)).toContain(visit.id);
      const report = await call(hub.url, 'GET', `/patients/${patient.id}/access-report`, { token: adminA.accessToken });
      expect(report.body.relationships).toContainEqual(expect.objectContaining({ institutionId: 'hekou', began: 'break-the-glass', reason: '昏迷送诊，需查既往史' }));
      expect(report.body.accesses).toContainEqual(expect.objectContaining({ action: 'read', institutionId: 'hekou' }));
      expect((await call(hub.url, 'GET', `/patients/${patient.id}/access-report`, { token: doctorA.accessToken })).status).toBe(403);
    });

    it('9. the acknowledgement time of a critical report is the hub’s, not the client’s', async () => {
      const { patient } = await victim();
      const study = await sendEcgStudy(hub.url, doctorA, { institutionId: 'chengguan', patientId: patient.id });
      expect((await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: cardiologist.accessToken })).status).toBe(200);
      const report = makeEcgReport({ institutionId: 'ecg-center', studyId: study.id, patientId: patient.id, critical: true, signedBy: cardiologist.userId, signedAt: '2020-01-01T00:00:00.000Z' });
      const signed = await call(hub.url, 'POST', ecgPaths.report(study.id), { token: cardiologist.accessToken, body: { report } });
      expect(signed.status).toBe(200);
      expect(Date.parse(signed.body.report.signedAt)).toBeGreaterThan(Date.parse('2026-01-01'));
      const ack = await call(hub.url, 'POST', ecgPaths.acknowledge(report.id), { token: doctorA.accessToken, body: { acknowledgedAt: '2020-01-01T00:00:00.000Z' } });
      expect(ack.status).toBe(200);
      expect(Date.parse(ack.body.acknowledgedAt)).toBeGreaterThanOrEqual(Date.parse(signed.body.report.signedAt));
    });

    it('10. no patient data may be cached, and a foreign web page gets no CORS grant', async () => {
      const pulled = await call(hub.url, 'GET', paths.pull('patients', { seq: 0 }, 10), { token: nurseA.accessToken });
      expect(pulled.headers.get('cache-control')).toBe('no-store');
      const evil = await fetch(`${hub.url}/healthz`, { headers: { origin: 'https://evil.example' } });
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('lets a county doctor still post results for a known patient (the product keeps working)', async () => {
      const { patient } = await victim();
      const reply = await call(hub.url, 'POST', '/fhir/r4/DiagnosticReport', { token: countyDoctor.accessToken, body: makeFhirDiagnosticReport({ idNumber: patient.idNumber }) });
      expect(reply.status).toBe(201);
      expect((await seenBy(doctorA, 'results')).map((d) => d.id)).toContain(reply.body.stored[0].resultId);
    });
  });
}
