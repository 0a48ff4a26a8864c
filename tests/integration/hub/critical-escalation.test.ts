/**
 * 危急值 escalation (issue 14 item 2): a critical report the clinic has not acknowledged within the
 * hub's limit (default 10 minutes) is listed for the clinic's administrator and the cardiologist who
 * signed it — nobody else — and leaves the list once acknowledged. The report's signing time is
 * moved back in the database rather than waiting ten minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEcgReport, makePatient } from '../../../core/records/builders.ts';
import { ecgPaths, escalatedResponseSchema } from '../../../sync/protocol/ecg-reading.ts';
import { startHub, type StartedHub } from '../../../sync/hub/start.ts';
import { backends, type BackendStore } from './support/backends.ts';
import { call, demoWorkstation, enrolWorkstation, login, secondCardiologist, type Session } from './support/client.ts';
import { insertRow, pullAll, pushOk, sendEcgStudy } from './support/sync.ts';

const backend = backends.find((b) => b.name === 'pglite')!;

describe.runIf(backend.available)('危急值 escalation', () => {
  let store: BackendStore;
  let hub: StartedHub;
  let clinicDoctor: Session;
  let clinicAdmin: Session;
  let clinicNurse: Session;
  let hekouAdmin: Session;
  let wang: Session;
  let otherCardiologist: Session;

  beforeAll(async () => {
    store = await backend.createStore();
    hub = await startHub({ ...store.options, port: 0, demo: true, logLevel: 'silent' });
    clinicDoctor = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
    clinicAdmin = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'admin');
    clinicNurse = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
    const countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
    hekouAdmin = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'hekou'), 'admin');
    wang = await login(hub.url, demoWorkstation('ws-demo-ecg-center'), 'cardiologist');
    otherCardiologist = await secondCardiologist(hub.url);
  });
  afterAll(async () => {
    await hub?.close();
    await store?.dispose();
  });

  /** An urgent study from 城关, received, claimed and signed critical by 王 (the demo cardiologist). */
  async function signedCriticalReport() {
    const patient = makePatient({ institutionId: 'chengguan', name: '张建国' });
    await pushOk(hub.url, clinicDoctor, 'patients', [insertRow(patient)]);
    const study = await sendEcgStudy(hub.url, clinicDoctor, { institutionId: 'chengguan', patientId: patient.id, priority: 'urgent' });
    await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: wang.accessToken });
    const report = makeEcgReport({
      institutionId: 'ecg-center',
      studyId: study.id,
      patientId: patient.id,
      statements: [{ code: 'INF-008', text: '急性 ST 段抬高型心肌梗死' }],
      critical: true,
      signedBy: wang.userId,
      signedAt: new Date().toISOString(),
    });
    expect((await call(hub.url, 'POST', ecgPaths.report(study.id), { token: wang.accessToken, body: { report } })).status).toBe(200);
    return report;
  }
  const signedMinutesAgo = (reportId: string, minutes: number) =>
    hub.context.db.query(`update records set doc = jsonb_set(doc, '{signedAt}', to_jsonb($2::text)) where collection = 'ecgReports' and id = $1`, [
      reportId,
      new Date(Date.now() - minutes * 60_000).toISOString(),
    ]);
  const escalated = async (who: Session) => {
    const reply = await call(hub.url, 'GET', ecgPaths.escalated(), { token: who.accessToken });
    expect(reply.status).toBe(200);
    return escalatedResponseSchema.parse(reply.body);
  };

  it('lists an unacknowledged 危急值 after 10 minutes for the clinic’s administrator and the signer only, until acknowledged', async () => {
    const report = await signedCriticalReport();
    const justSigned = await escalated(clinicAdmin);
    expect(justSigned.findings).toEqual([]); // just signed: the clinic still has time
    // …and the hub says when to ask again: in about ten minutes, by its clock.
    expect(justSigned.nextDueInSeconds).toBeGreaterThan(590);
    expect(justSigned.nextDueInSeconds).toBeLessThanOrEqual(600);

    await signedMinutesAgo(report.id, 9);
    const nineMinutes = await escalated(clinicAdmin);
    expect(nineMinutes.findings).toEqual([]);
    expect(nineMinutes.nextDueInSeconds).toBeGreaterThan(50);
    expect(nineMinutes.nextDueInSeconds).toBeLessThanOrEqual(60);
    await signedMinutesAgo(report.id, 11);
    const forAdmin = await escalated(clinicAdmin);
    expect(forAdmin.escalateAfterMinutes).toBe(10);
    expect(forAdmin.findings).toEqual([expect.objectContaining({ reportId: report.id, clinicId: 'chengguan', patientName: '张建国', signedBy: wang.userId, minutesWaiting: 11, statements: ['急性 ST 段抬高型心肌梗死'] })]);
    expect((await escalated(wang)).findings.map((f) => f.reportId)).toEqual([report.id]);
    expect((await escalated(otherCardiologist)).findings).toEqual([]);
    expect((await escalated(hekouAdmin)).findings).toEqual([]);
    const nurse = await call(hub.url, 'GET', ecgPaths.escalated(), { token: clinicNurse.accessToken });
    expect(nurse.status).toBe(403);
    expect(nurse.body.error.messageZh).toContain('管理员');

    expect((await call(hub.url, 'POST', ecgPaths.acknowledge(report.id), { token: clinicDoctor.accessToken, body: {} })).status).toBe(200);
    expect((await escalated(clinicAdmin)).findings).toEqual([]);
    expect((await escalated(wang)).findings).toEqual([]);
    expect((await escalated(clinicAdmin)).nextDueInSeconds).toBeNull();
  });

  it('stamps the acknowledgement on the report, so every PC of the clinic and the reading room learn who closed the loop', async () => {
    const report = await signedCriticalReport();
    const reply = await call(hub.url, 'POST', ecgPaths.acknowledge(report.id), { token: clinicDoctor.accessToken, body: { acknowledgedAt: '2000-01-01T00:00:00.000Z' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ reportId: report.id, userId: clinicDoctor.userId });
    const stamped = reply.body.acknowledgedAt as string;
    expect(Math.abs(Date.parse(stamped) - Date.now())).toBeLessThan(60_000); // the hub's clock, not the client's

    // Another PC of the clinic (the administrator's) pulls the report with the acknowledgement on it…
    const atClinic = (await pullAll(hub.url, clinicAdmin, 'ecgReports')).documents.find((d) => d.id === report.id);
    expect(atClinic).toMatchObject({ acknowledgedBy: clinicDoctor.userId, acknowledgedAt: stamped, signedBy: wang.userId, critical: true });
    // …and so does the reading room.
    expect((await pullAll(hub.url, wang, 'ecgReports')).documents.find((d) => d.id === report.id)).toMatchObject({ acknowledgedBy: clinicDoctor.userId });

    // A second acknowledgement (another PC, or a retry) does not move who and when.
    const again = await call(hub.url, 'POST', ecgPaths.acknowledge(report.id), { token: clinicAdmin.accessToken, body: {} });
    expect(again.body).toEqual({ reportId: report.id, userId: clinicDoctor.userId, acknowledgedAt: stamped });
    expect((await pullAll(hub.url, clinicAdmin, 'ecgReports')).documents.find((d) => d.id === report.id)).toMatchObject({ acknowledgedBy: clinicDoctor.userId, acknowledgedAt: stamped });
  });

  it('takes its limit from the hub’s settings', async () => {
    await hub.close();
    hub = await startHub({ ...store.options, port: 0, demo: true, logLevel: 'silent', settings: { criticalEscalationMinutes: 3 } });
    clinicDoctor = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
    clinicAdmin = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'admin');
    wang = await login(hub.url, demoWorkstation('ws-demo-ecg-center'), 'cardiologist');
    const report = await signedCriticalReport();
    await signedMinutesAgo(report.id, 4);
    const list = await escalated(clinicAdmin);
    expect(list.escalateAfterMinutes).toBe(3);
    expect(list.findings.map((f) => f.reportId)).toEqual([report.id]);
  });
});
