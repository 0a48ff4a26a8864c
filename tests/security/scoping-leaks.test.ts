/**
 * Two small leaks of issue 13, replayed as attacks against a real hub on PostgreSQL and PGlite:
 * a clinic administrator listing every institution of the community, and a clinic reading the ECG
 * centre's unsigned report drafts (pulling them, or acknowledging one by id). Each must be refused
 * and change nothing; the legitimate path (the signed report) still reaches the clinic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEcgReport, makeEcgStudy, makePatient } from '../../core/records/builders.ts';
import { ecgPaths } from '../../sync/protocol/ecg-reading.ts';
import { backends, startDemoHub, type DemoHub } from '../integration/hub/support/backends.ts';
import { call, demoWorkstation, enrolWorkstation, login, type Session } from '../integration/hub/support/client.ts';
import { insertRow, pullAll, pushOk, sendEcgStudy } from '../integration/hub/support/sync.ts';

for (const backend of backends) {
  describe.runIf(backend.available)(`issue 13 scoping leaks on ${backend.name}`, () => {
    let hub: DemoHub;
    let countyAdmin: Session, nurseA: Session, doctorA: Session, adminA: Session, cardiologist: Session, nurseB: Session;

    beforeAll(async () => {
      hub = await startDemoHub(backend, { settings: { loginAttemptsPerMinute: 100 } });
      countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      const wsA = demoWorkstation('ws-demo-chengguan');
      [nurseA, doctorA, adminA] = [await login(hub.url, wsA, 'nurse'), await login(hub.url, wsA, 'doctor'), await login(hub.url, wsA, 'admin')];
      cardiologist = await login(hub.url, demoWorkstation('ws-demo-ecg-center'), 'cardiologist');
      nurseB = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'hekou'), 'nurse');
    });
    afterAll(() => hub?.close());

    const snapshot = async () => {
      const { rows } = await hub.context.db.query<{ n: string; seq: string | null }>('select count(*) as n, max(seq) as seq from records');
      const acks = await hub.context.db.query<{ n: string }>('select count(*) as n from ecg_critical_acknowledgements');
      return { records: Number(rows[0]!.n), lastSeq: Number(rows[0]!.seq ?? 0), acknowledgements: Number(acks.rows[0]!.n) };
    };
    const institutionIds = async (session: Session) => {
      const reply = await call(hub.url, 'GET', '/admin/institutions', { token: session.accessToken });
      expect(reply.status).toBe(200);
      return (reply.body.institutions as { id: string }[]).map((i) => i.id).sort();
    };

    it("a clinic administrator lists only their own institution and the ECG centres, not the other clinics", async () => {
      const before = await snapshot();
      expect(await institutionIds(adminA)).toEqual(['chengguan', 'ecg-center']);
      expect(await institutionIds(nurseB)).toEqual(['ecg-center', 'hekou']);
      expect(await snapshot()).toEqual(before);
    });

    it('the county administrator still lists every institution, and the reading room names the clinics that sent it studies', async () => {
      expect(await institutionIds(countyAdmin)).toEqual(['chengguan', 'county-hospital', 'ecg-center', 'hekou']);
      const patient = makePatient({ institutionId: 'chengguan' });
      await pushOk(hub.url, nurseA, 'patients', [insertRow(patient)]);
      await pushOk(hub.url, doctorA, 'ecgStudies', [insertRow(makeEcgStudy({ institutionId: 'chengguan', patientId: patient.id, readingState: 'uploading' }))]);
      expect(await institutionIds(cardiologist)).toEqual(['chengguan', 'ecg-center']);
    });

    it("an unsigned ECG report draft reaches neither the clinic's pull nor its acknowledgement; the signed report does", async () => {
      const patient = makePatient({ institutionId: 'chengguan' });
      await pushOk(hub.url, nurseA, 'patients', [insertRow(patient)]);
      const study = await sendEcgStudy(hub.url, doctorA, { institutionId: 'chengguan', patientId: patient.id });
      const draft = makeEcgReport({ institutionId: 'ecg-center', studyId: study.id, patientId: patient.id, critical: true, freeText: '初步考虑急性下壁心肌梗死?', signedBy: null, signedAt: null });
      await pushOk(hub.url, cardiologist, 'ecgReports', [insertRow(draft)]);

      const before = await snapshot();
      expect((await pullAll(hub.url, doctorA, 'ecgReports')).documents.map((d) => d.id)).not.toContain(draft.id);
      const ack = await call(hub.url, 'POST', ecgPaths.acknowledge(draft.id), { token: doctorA.accessToken, body: {} });
      expect(ack.status).toBe(404);
      expect(ack.body.error.code).toBe('not-found');
      expect(await snapshot()).toEqual(before);
      // The centre keeps seeing its own draft.
      expect((await pullAll(hub.url, cardiologist, 'ecgReports')).documents.map((d) => d.id)).toContain(draft.id);

      expect((await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: cardiologist.accessToken })).status).toBe(200);
      const signed = await call(hub.url, 'POST', ecgPaths.report(study.id), { token: cardiologist.accessToken, body: { report: { ...draft, signedBy: cardiologist.userId, signedAt: new Date().toISOString() } } });
      expect(signed.status).toBe(200);
      expect((await pullAll(hub.url, doctorA, 'ecgReports')).documents.find((d) => d.id === draft.id)).toMatchObject({ signedBy: cardiologist.userId });
      expect((await call(hub.url, 'POST', ecgPaths.acknowledge(draft.id), { token: doctorA.accessToken, body: {} })).status).toBe(200);
    });
  });
}
