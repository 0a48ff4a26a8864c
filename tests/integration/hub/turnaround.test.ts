/**
 * Remote-diagnosis turnaround at the hub, on each store: a study's received / opened / signed times
 * come from the hub's clock as the events happen (whatever the clinic PC's clock says), the reading
 * room can report an opening once, and the centre dashboard's figures are scoped (ECG centre and
 * county administrators only) with a validated query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { makeEcgReport, makeEcgStudy, makePatient } from '../../../core/records/builders.ts';
import type { EcgStudy } from '../../../core/records/index.ts';
import { paths } from '../../../sync/protocol/wire.ts';
import { ecgPaths } from '../../../sync/protocol/ecg-reading.ts';
import { turnaroundPath, turnaroundSummarySchema, studyTurnaroundSchema } from '../../../sync/protocol/turnaround.ts';
import { backends, startDemoHub, type DemoHub } from './support/backends.ts';
import { call, demoWorkstation, enrolWorkstation, login, type Session } from './support/client.ts';
import { insertRow, pushOk } from './support/sync.ts';

const MIN = 60_000;

for (const backend of backends) {
  describe.runIf(backend.available)(`ECG turnaround on ${backend.name}`, () => {
    let hub: DemoHub;
    let clinic: Session;
    let hekou: Session;
    let cardiologist: Session;
    let centerAdmin: Session;
    let countyAdmin: Session;
    let countyDoctor: Session;
    let clinicAdmin: Session;
    let startedAt: string;

    const uploadFile = async (session: Session, file: Uint8Array<ArrayBuffer>) => {
      const hash = createHash('sha256').update(file).digest('hex');
      await call(hub.url, 'PUT', paths.blobChunk(hash, 0), { token: session.accessToken, rawBody: file, contentType: 'application/octet-stream' });
      expect((await call(hub.url, 'POST', paths.blobComplete(hash), { token: session.accessToken, body: { size: file.length } })).status).toBe(200);
    };
    const sendStudy = async (session: Session, institutionId: string, overrides: Partial<EcgStudy> = {}, fileFirst = false) => {
      const file = new Uint8Array(randomBytes(3000));
      const hash = createHash('sha256').update(file).digest('hex');
      const patient = makePatient({ institutionId });
      const study = makeEcgStudy({ institutionId, patientId: patient.id, dicomSha256: hash, dicomSizeBytes: file.length, readingState: 'uploading', ...overrides });
      if (fileFirst) await uploadFile(session, file);
      await pushOk(hub.url, session, 'patients', [insertRow(patient)]);
      await pushOk(hub.url, session, 'ecgStudies', [insertRow(study)]);
      if (!fileFirst) await uploadFile(session, file);
      return study;
    };
    /** The reading room's path: claim (opens it), then sign. */
    const readAndSign = async (study: EcgStudy) => {
      expect((await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: cardiologist.accessToken })).status).toBe(200);
      const report = makeEcgReport({ institutionId: 'ecg-center', studyId: study.id, patientId: study.patientId, signedBy: cardiologist.userId, signedAt: new Date().toISOString() });
      expect((await call(hub.url, 'POST', ecgPaths.report(study.id), { token: cardiologist.accessToken, body: { report } })).status).toBe(200);
    };
    const studyTimes = async (session: Session, studyId: string) => call(hub.url, 'GET', turnaroundPath.study(studyId), { token: session.accessToken });
    const summary = (session: Session, query: Record<string, string> = {}) => call(hub.url, 'GET', turnaroundPath.summary(query), { token: session.accessToken });

    beforeAll(async () => {
      hub = await startDemoHub(backend);
      startedAt = new Date(Date.now() - 1000).toISOString();
      countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      countyDoctor = await login(hub.url, demoWorkstation('ws-demo-county'), 'doctor');
      clinic = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
      clinicAdmin = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'admin');
      hekou = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'hekou'), 'doctor');
      cardiologist = await login(hub.url, demoWorkstation('ws-demo-ecg-center'), 'cardiologist');
      centerAdmin = await login(hub.url, demoWorkstation('ws-demo-ecg-center'), 'admin');
    });
    afterAll(() => hub?.close());

    it('stamps received, opened and signed with the hub clock as each happens', async () => {
      const before = Date.now();
      const study = await sendStudy(clinic, 'chengguan', { priority: 'urgent', capturedAt: new Date(before - 2 * MIN).toISOString() });
      const received = studyTurnaroundSchema.parse((await studyTimes(clinic, study.id)).body);
      expect(received).toMatchObject({ studyId: study.id, clinicId: 'chengguan', priority: 'urgent', capturedAt: study.capturedAt, openedAt: null, signedAt: null });
      expect(Date.parse(received.receivedAt!)).toBeGreaterThanOrEqual(before - 1000);

      await readAndSign(study);
      const done = studyTurnaroundSchema.parse((await studyTimes(clinic, study.id)).body);
      expect(done.receivedAt).toBe(received.receivedAt);
      expect(Date.parse(done.openedAt!)).toBeGreaterThanOrEqual(Date.parse(done.receivedAt!));
      expect(Date.parse(done.signedAt!)).toBeGreaterThanOrEqual(Date.parse(done.openedAt!));
      expect(Date.parse(done.signedAt!)).toBeLessThanOrEqual(Date.now() + 1000);
      // Another clinic learns nothing about the study.
      expect((await studyTimes(hekou, study.id)).status).toBe(404);
    });

    it('counts a study received only when both its record and its file are at the hub, whichever came first', async () => {
      const fileFirst = await sendStudy(clinic, 'chengguan', {}, true);
      const times = studyTurnaroundSchema.parse((await studyTimes(clinic, fileFirst.id)).body);
      expect(times.receivedAt).not.toBeNull();

      const patient = makePatient({ institutionId: 'chengguan' });
      const noFile = makeEcgStudy({ institutionId: 'chengguan', patientId: patient.id, dicomSha256: createHash('sha256').update(randomBytes(8)).digest('hex'), readingState: 'uploading' });
      await pushOk(hub.url, clinic, 'patients', [insertRow(patient)]);
      await pushOk(hub.url, clinic, 'ecgStudies', [insertRow(noFile)]);
      expect((await studyTimes(clinic, noFile.id)).body).toMatchObject({ receivedAt: null });
    });

    it('does not trust a clinic clock running ahead: received is the hub time, the skew is counted', async () => {
      const study = await sendStudy(hekou, 'hekou', { priority: 'routine', capturedAt: new Date(Date.now() + 60 * MIN).toISOString() });
      const times = studyTurnaroundSchema.parse((await studyTimes(hekou, study.id)).body);
      expect(Date.parse(times.receivedAt!)).toBeLessThan(Date.parse(study.capturedAt));
      const figures = turnaroundSummarySchema.parse((await summary(cardiologist, { clinicId: 'hekou' })).body);
      expect(figures.overall.clockSkewed).toBe(1);
      expect(figures.overall.intervals.capturedToReceived.count).toBe(0);
    });

    it('lets the reading room report an opening once; the first opening counts', async () => {
      const study = await sendStudy(clinic, 'chengguan');
      const first = await call(hub.url, 'POST', turnaroundPath.opened(study.id), { token: cardiologist.accessToken });
      expect(first.status).toBe(200);
      expect(first.body.openedAt).not.toBeNull();
      const again = await call(hub.url, 'POST', turnaroundPath.opened(study.id), { token: cardiologist.accessToken, body: {} });
      expect(again.body.openedAt).toBe(first.body.openedAt);
      // Claiming it later does not move the opening.
      await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: cardiologist.accessToken });
      expect((await studyTimes(clinic, study.id)).body.openedAt).toBe(first.body.openedAt);

      const byClinic = await call(hub.url, 'POST', turnaroundPath.opened(study.id), { token: clinic.accessToken });
      expect(byClinic.status).toBe(403);
      expect(byClinic.body.error.messageZh).toBeTruthy();
      expect((await call(hub.url, 'POST', turnaroundPath.opened('no-such-study'), { token: cardiologist.accessToken })).status).toBe(404);
      const withBody = await call(hub.url, 'POST', turnaroundPath.opened(study.id), { token: cardiologist.accessToken, body: { openedAt: '2020-01-01T00:00:00Z' } });
      expect(withBody.status).toBe(400); // the time is the hub's, never the caller's
    });

    it('gives the centre median and p90 by priority and per clinic for the studies sent to it', async () => {
      const reply = await summary(cardiologist, { from: startedAt });
      expect(reply.status).toBe(200);
      const figures = turnaroundSummarySchema.parse(reply.body);
      expect(figures.overall.studies).toBeGreaterThanOrEqual(5);
      expect(figures.byPriority.urgent.signed).toBeGreaterThanOrEqual(1);
      const urgentTotal = figures.byPriority.urgent.intervals.capturedToSigned;
      expect(urgentTotal.count).toBeGreaterThanOrEqual(1);
      expect(urgentTotal.medianMs).toBeGreaterThanOrEqual(2 * MIN - 1000); // captured two minutes before sending
      expect(figures.byClinic.map((c) => c.clinicId).sort()).toEqual(['chengguan', 'hekou']);
      expect(figures.byClinic.find((c) => c.clinicId === 'chengguan')?.clinicName).toBe('城关镇卫生院');
      expect(figures.studies.length).toBe(figures.overall.studies);
      // One clinic only, and a period with nothing in it.
      expect(turnaroundSummarySchema.parse((await summary(centerAdmin, { clinicId: 'hekou' })).body).overall.studies).toBe(1);
      const empty = turnaroundSummarySchema.parse((await summary(countyAdmin, { from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z' })).body);
      expect(empty.overall.studies).toBe(0);
      expect(empty.overall.intervals.capturedToSigned.medianMs).toBeNull();
      // The county's administrators see the whole community.
      expect(turnaroundSummarySchema.parse((await summary(countyAdmin)).body).overall.studies).toBe(figures.overall.studies);
    });

    it('refuses the figures to clinics and to county staff who are not administrators (403)', async () => {
      for (const session of [clinic, clinicAdmin, hekou, countyDoctor]) {
        const reply = await summary(session);
        expect(reply.status).toBe(403);
        expect(reply.body.error).toMatchObject({ code: 'forbidden' });
        expect(reply.body.error.messageZh).toContain('心电中心');
      }
    });

    it('answers a bad query with 400 naming the parameter', async () => {
      const cases: Record<string, string>[] = [
        { from: 'yesterday' },
        { from: '2026-11-20T00:00:00Z', to: '2026-11-19T00:00:00Z' },
        { from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
        { clinicId: 'no spaces allowed' },
        { groupBy: 'doctor' },
      ];
      for (const query of cases) {
        const reply = await summary(cardiologist, query);
        expect(reply.status, JSON.stringify(query)).toBe(400);
        expect(reply.body.error.code).toBe('bad-request');
        expect(reply.body.error.details.issues[0].path).toMatch(/^query/);
      }
    });
  });
}
