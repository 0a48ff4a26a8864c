/**
 * Remote-ECG reading at the hub, on each store: a cardiologist claims a received study (it turns
 * 'being-read'), a second cardiologist is refused with the first one's name, the holder signs the
 * report (report and 'reported' reach the clinic by replication, the claim is gone), and the clinic
 * acknowledges a critical finding, once, recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { makeEcgReport, makeEcgStudy, makePatient } from '../../../core/records/builders.ts';
import { paths } from '../../../sync/protocol/wire.ts';
import { ecgPaths } from '../../../sync/protocol/ecg-reading.ts';
import { backends, startDemoHub, type DemoHub } from './support/backends.ts';
import { call, demoWorkstation, login, secondCardiologist, type Session } from './support/client.ts';
import { insertRow, pullAll, push, pushOk } from './support/sync.ts';

for (const backend of backends) {
  describe.runIf(backend.available)(`ECG reading on ${backend.name}`, () => {
    let hub: DemoHub;
    let clinic: Session;
    let wang: Session;
    let li: Session;

    /** A study from 城关 whose DICOM file reached the hub (readingState 'received'). */
    const receivedStudy = async (priority: 'urgent' | 'routine' = 'urgent') => {
      const file = new Uint8Array(randomBytes(2000));
      const hash = createHash('sha256').update(file).digest('hex');
      const patient = makePatient({ institutionId: 'chengguan' });
      const study = makeEcgStudy({ institutionId: 'chengguan', patientId: patient.id, dicomSha256: hash, dicomSizeBytes: file.length, readingState: 'uploading', priority });
      await pushOk(hub.url, clinic, 'patients', [insertRow(patient)]);
      await pushOk(hub.url, clinic, 'ecgStudies', [insertRow(study)]);
      await call(hub.url, 'PUT', paths.blobChunk(hash, 0), { token: clinic.accessToken, rawBody: file, contentType: 'application/octet-stream' });
      expect((await call(hub.url, 'POST', paths.blobComplete(hash), { token: clinic.accessToken, body: { size: file.length } })).status).toBe(200);
      return { patient, study };
    };
    const studyAtClinic = async (id: string) => (await pullAll(hub.url, clinic, 'ecgStudies')).documents.find((d) => d.id === id);
    const signedReport = (study: { id: string; patientId: string }, by: Session, critical: boolean) =>
      makeEcgReport({
        institutionId: 'ecg-center',
        studyId: study.id,
        patientId: study.patientId,
        statements: [{ code: 'INF-008', text: '急性 ST 段抬高型心肌梗死' }],
        freeText: 'V1–V4 ST 段抬高',
        critical,
        signedBy: by.userId,
        signedAt: new Date().toISOString(),
      });

    beforeAll(async () => {
      hub = await startDemoHub(backend);
      clinic = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
      wang = await login(hub.url, demoWorkstation('ws-demo-ecg-center'), 'cardiologist');
      li = await secondCardiologist(hub.url);
    });
    afterAll(() => hub?.close());

    it('lets one cardiologist claim a study and refuses the second with the first one’s name', async () => {
      const { study } = await receivedStudy();
      const first = await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: wang.accessToken });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ studyId: study.id, userId: wang.userId });
      expect((await studyAtClinic(study.id))?.readingState).toBe('being-read');

      const second = await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: li.accessToken });
      expect(second.status).toBe(409);
      expect(second.body.error.code).toBe('ecg-study-claimed');
      expect(second.body.error.messageZh).toContain(first.body.displayName);
      // Nor may the second one sign it.
      const refusedSign = await call(hub.url, 'POST', ecgPaths.report(study.id), { token: li.accessToken, body: { report: signedReport(study, li, false) } });
      expect(refusedSign.status).toBe(409);

      // Claiming again renews the holder's claim; releasing it lets the colleague take the study.
      expect((await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: wang.accessToken })).status).toBe(200);
      expect((await call(hub.url, 'GET', ecgPaths.claims(), { token: li.accessToken })).body.claims.map((c: { studyId: string }) => c.studyId)).toContain(study.id);
      expect((await call(hub.url, 'POST', ecgPaths.release(study.id), { token: wang.accessToken })).body).toEqual({ released: true });
      expect((await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: li.accessToken })).status).toBe(200);
    });

    it('signs the holder’s report: the clinic pulls it with the study reported, and no one may sign again', async () => {
      const { study } = await receivedStudy();
      expect((await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: wang.accessToken })).status).toBe(200);
      const report = signedReport(study, wang, true);
      const signed = await call(hub.url, 'POST', ecgPaths.report(study.id), { token: wang.accessToken, body: { report } });
      expect(signed.status).toBe(200);

      expect((await studyAtClinic(study.id))?.readingState).toBe('reported');
      const reports = (await pullAll(hub.url, clinic, 'ecgReports')).documents;
      expect(reports.find((r) => r.id === report.id)).toMatchObject({ critical: true, signedBy: wang.userId });
      expect((await call(hub.url, 'GET', ecgPaths.claims(), { token: wang.accessToken })).body.claims.map((c: { studyId: string }) => c.studyId)).not.toContain(study.id);

      const again = await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: li.accessToken });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('ecg-study-reported');
    });

    it('refuses reports not signed by the caller, claims by clinics, and studies whose file has not arrived', async () => {
      const { study } = await receivedStudy('routine');
      expect((await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: clinic.accessToken })).status).toBe(403);
      expect((await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: wang.accessToken })).status).toBe(200);
      const forged = await call(hub.url, 'POST', ecgPaths.report(study.id), { token: wang.accessToken, body: { report: signedReport(study, li, false) } });
      expect(forged.status).toBe(400);
      expect(forged.body.error.messageZh).toContain('签名');
      const invalid = await call(hub.url, 'POST', ecgPaths.report(study.id), { token: wang.accessToken, body: { report: { ...signedReport(study, wang, false), statements: [], freeText: '' } } });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.code).toBe('validation-failed');
      expect((await studyAtClinic(study.id))?.readingState).toBe('being-read'); // nothing written

      // Nor may a signed report slip in by replication, around the claim.
      const { study: other } = await receivedStudy('routine');
      const smuggled = await push(hub.url, li, 'ecgReports', [insertRow(signedReport(other, li, false))]);
      expect(smuggled.status).toBe(403);
      expect(smuggled.body.error.messageZh).toContain('认领');
      expect((await pullAll(hub.url, clinic, 'ecgReports')).documents.filter((d) => d.studyId === other.id)).toEqual([]);

      const patient = makePatient({ institutionId: 'chengguan' });
      const waiting = makeEcgStudy({ institutionId: 'chengguan', patientId: patient.id, readingState: 'queued' });
      await pushOk(hub.url, clinic, 'patients', [insertRow(patient)]);
      await pushOk(hub.url, clinic, 'ecgStudies', [insertRow(waiting)]);
      const early = await call(hub.url, 'POST', ecgPaths.claim(waiting.id), { token: wang.accessToken });
      expect(early.status).toBe(400);
      expect(early.body.error.messageZh).toContain('尚未上传完成');
    });

    it('records the clinic’s acknowledgement of a critical finding once, and only from the clinic it went to', async () => {
      const { study } = await receivedStudy();
      await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: wang.accessToken });
      const report = signedReport(study, wang, true);
      await call(hub.url, 'POST', ecgPaths.report(study.id), { token: wang.accessToken, body: { report } });

      expect((await call(hub.url, 'POST', ecgPaths.acknowledge(report.id), { token: wang.accessToken, body: { acknowledgedAt: new Date().toISOString() } })).status).toBe(404);
      // The clinic claims a time before the report was even signed: the hub stamps its own clock instead.
      const before = Date.now();
      const ack = await call(hub.url, 'POST', ecgPaths.acknowledge(report.id), { token: clinic.accessToken, body: { acknowledgedAt: '2020-01-01T00:00:00.000Z' } });
      expect(ack.status).toBe(200);
      expect(ack.body).toMatchObject({ reportId: report.id, userId: clinic.userId });
      expect(Date.parse(ack.body.acknowledgedAt)).toBeGreaterThanOrEqual(before - 1000);
      const repeat = await call(hub.url, 'POST', ecgPaths.acknowledge(report.id), { token: clinic.accessToken, body: {} });
      expect(repeat.body.acknowledgedAt).toBe(ack.body.acknowledgedAt);
    });
  });
}
