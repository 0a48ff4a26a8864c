/**
 * Replication through the hub on each store: round trip, scoping between institutions, conflicts,
 * idempotency, transactional pushes, master-patient merge, the ECG round trip and the live stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClosedVisit, makeEcgReport, makeEcgStudy, makePatient, makeVisit } from '../../../core/records/builders.ts';
import { resolveConflict } from '../../../sync/protocol/conflicts.ts';
import { backends, startDemoHub, type DemoHub } from './support/backends.ts';
import { call, demoWorkstation, enrolWorkstation, login, type Session } from './support/client.ts';
import { countRows, insertRow, pull, pullAll, push, pushOk, wire } from './support/sync.ts';
import { openStream } from './support/stream.ts';

for (const backend of backends) {
  describe.runIf(backend.available)(`replication on ${backend.name}`, () => {
    let hub: DemoHub;
    let chengguan: Session; // 城关镇卫生院 registration desk
    let chengguan2: Session; // a second PC at 城关镇卫生院
    let hekou: Session; // 河口乡卫生院
    let center: Session; // county remote-ECG centre

    beforeAll(async () => {
      hub = await startDemoHub(backend, { settings: { streamKeepAliveMs: 200 } });
      const countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      chengguan = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'nurse');
      chengguan2 = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'chengguan'), 'doctor');
      hekou = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'hekou'), 'nurse');
      center = await login(hub.url, demoWorkstation('ws-demo-ecg-center'), 'cardiologist');
    });
    afterAll(() => hub?.close());

    it('pulls back what a clinic pushed, in hub order, and nothing more from the new checkpoint', async () => {
      const patient = makePatient({ institutionId: 'chengguan' });
      const visit = makeVisit({ institutionId: 'chengguan', patientId: patient.id });
      expect((await pushOk(hub.url, chengguan, 'patients', [insertRow(patient)])).conflicts).toEqual([]);
      await pushOk(hub.url, chengguan, 'visits', [insertRow(visit)]);
      const patients = await pullAll(hub.url, chengguan2, 'patients');
      expect(patients.documents).toContainEqual(wire(patient));
      const visits = await pullAll(hub.url, chengguan2, 'visits');
      expect(visits.documents).toContainEqual(wire(visit));
      const again = await pull(hub.url, chengguan2, 'visits', visits.checkpoint);
      expect(again.body).toEqual({ documents: [], checkpoint: visits.checkpoint });
    });

    it('pages a large pull by checkpoint without losing or repeating a record', async () => {
      const batch = Array.from({ length: 150 }, () => makePatient({ institutionId: 'chengguan' }));
      await pushOk(hub.url, chengguan, 'patients', batch.map(insertRow));
      const paged = await pullAll(hub.url, chengguan2, 'patients', undefined, 40);
      const ids = paged.documents.map((d) => d.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of batch) expect(ids).toContain(p.id);
    });

    it('shows another clinic none of our patients or visits', async () => {
      const patient = makePatient({ institutionId: 'chengguan' });
      await pushOk(hub.url, chengguan, 'patients', [insertRow(patient)]);
      await pushOk(hub.url, chengguan, 'visits', [insertRow(makeVisit({ institutionId: 'chengguan', patientId: patient.id }))]);
      expect((await pullAll(hub.url, hekou, 'patients')).documents.filter((d) => d.institutionId === 'chengguan')).toEqual([]);
      expect((await pullAll(hub.url, hekou, 'visits')).documents.filter((d) => d.institutionId === 'chengguan')).toEqual([]);
    });

    it("refuses with 403 a write in another institution's name and writes nothing", async () => {
      const before = await countRows(hub, 'records');
      const forged = makePatient({ institutionId: 'chengguan' });
      const reply = await push(hub.url, hekou, 'patients', [insertRow(makePatient({ institutionId: 'hekou' })), insertRow(forged)]);
      expect(reply.status).toBe(403);
      expect(reply.body.error).toMatchObject({ code: 'forbidden', details: { documentIds: [forged.id] } });
      expect(await countRows(hub, 'records')).toBe(before); // the valid first row was rolled back too
    });

    it("refuses a visit filed under another clinic's patient the writer does not treat", async () => {
      const theirs = makePatient({ institutionId: 'chengguan' });
      await pushOk(hub.url, chengguan, 'patients', [insertRow(theirs)]);
      const before = await countRows(hub, 'records');
      const reply = await push(hub.url, hekou, 'visits', [insertRow(makeVisit({ institutionId: 'hekou', patientId: theirs.id }))]);
      expect(reply.status).toBe(403);
      expect(await countRows(hub, 'records')).toBe(before);
      const edit = await push(hub.url, hekou, 'patients', [{ newDocumentState: wire({ ...theirs, phone: '13000000000' }), assumedMasterState: wire(theirs) }]);
      expect(edit.status).toBe(403);
      expect(JSON.stringify(edit.body)).not.toContain(theirs.name); // the refusal does not hand the record over
    });

    it('answers a stale write with the master state, and the declared rule merges both edits', async () => {
      const patient = makePatient({ institutionId: 'chengguan', phone: '' });
      await pushOk(hub.url, chengguan, 'patients', [insertRow(patient)]);
      const phoneEdit = { ...patient, phone: '13911112222' };
      const addressEdit = { ...patient, address: '城关镇新街 8 号' };
      await pushOk(hub.url, chengguan, 'patients', [{ newDocumentState: wire(phoneEdit), assumedMasterState: wire(patient) }]);
      const stale = await pushOk(hub.url, chengguan2, 'patients', [{ newDocumentState: wire(addressEdit), assumedMasterState: wire(patient) }]);
      expect(stale.conflicts).toEqual([wire(phoneEdit)]);
      const resolved = resolveConflict(
        'patients',
        { newDocumentState: wire(addressEdit), realMasterState: stale.conflicts[0] as never, assumedMasterState: wire(patient) },
        { institutionId: 'chengguan', role: 'clinic' },
      );
      expect((await pushOk(hub.url, chengguan2, 'patients', [{ newDocumentState: resolved, assumedMasterState: stale.conflicts[0]! }])).conflicts).toEqual([]);
      const master = (await pullAll(hub.url, chengguan, 'patients')).documents.find((d) => d.id === patient.id);
      expect(master).toMatchObject({ phone: '13911112222', address: '城关镇新街 8 号' });
    });

    it('keeps a closed visit final: an edit of its diagnosis comes back as a conflict', async () => {
      const patient = makePatient({ institutionId: 'chengguan' });
      const visit = makeClosedVisit({ institutionId: 'chengguan', patientId: patient.id, doctorId: chengguan2.userId });
      await pushOk(hub.url, chengguan, 'patients', [insertRow(patient)]);
      await pushOk(hub.url, chengguan2, 'visits', [insertRow(visit)]); // the doctor closes the visit
      const edited = { ...visit, diagnoses: [{ code: 'I20.0', name: '不稳定型心绞痛' }] };
      const reply = await pushOk(hub.url, chengguan2, 'visits', [{ newDocumentState: wire(edited), assumedMasterState: wire(visit) }]);
      expect(reply.conflicts).toEqual([wire(visit)]);
    });

    it('stores a record whose assumed master the hub does not have (a hub restored from an older backup) instead of answering a conflict with nothing', async () => {
      const patient = makePatient({ institutionId: 'chengguan' });
      const edited = { ...patient, phone: '13900001111' };
      const reply = await pushOk(hub.url, chengguan, 'patients', [{ newDocumentState: wire(edited), assumedMasterState: wire(patient) }]);
      expect(reply.conflicts).toEqual([]);
      expect(await countRows(hub, 'records', 'id = $1', [patient.id])).toBe(1);
    });

    it('treats a repeated push as done: no conflict, no new sequence number, no duplicate', async () => {
      const patient = makePatient({ institutionId: 'chengguan' });
      const rows = [insertRow(patient)];
      await pushOk(hub.url, chengguan, 'patients', rows);
      const seqBefore = await hub.context.db.query<{ seq: string }>('select seq from records where id = $1', [patient.id]);
      const repeat = await pushOk(hub.url, chengguan, 'patients', rows);
      expect(repeat.conflicts).toEqual([]);
      const seqAfter = await hub.context.db.query<{ seq: string }>('select seq from records where id = $1', [patient.id]);
      expect(seqAfter.rows).toEqual(seqBefore.rows);
      expect(await countRows(hub, 'records', 'id = $1', [patient.id])).toBe(1);
    });

    it('merges a patient registered at two clinics with the same ID number into one master', async () => {
      const original = makePatient({ institutionId: 'chengguan' });
      const history = makeClosedVisit({ institutionId: 'chengguan', patientId: original.id, doctorId: chengguan2.userId });
      await pushOk(hub.url, chengguan, 'patients', [insertRow(original)]);
      await pushOk(hub.url, chengguan2, 'visits', [insertRow(history)]);
      const { checkpoint: hekouPatientsCp } = await pullAll(hub.url, hekou, 'patients');
      const { checkpoint: hekouVisitsCp } = await pullAll(hub.url, hekou, 'visits');

      const duplicate = makePatient({ institutionId: 'hekou', idNumber: original.idNumber, name: original.name, birthDate: original.birthDate, sex: original.sex });
      await pushOk(hub.url, hekou, 'patients', [insertRow(duplicate)]);

      const patients = (await pullAll(hub.url, hekou, 'patients', hekouPatientsCp)).documents;
      expect(patients.find((d) => d.id === duplicate.id)).toMatchObject({ mergedInto: original.id });
      expect(patients.find((d) => d.id === original.id)).toMatchObject({ mergedInto: null, institutionId: 'chengguan' });
      // Treating the patient now, 河口 receives the county history: 城关's earlier visit.
      expect((await pullAll(hub.url, hekou, 'visits', hekouVisitsCp)).documents.map((d) => d.id)).toContain(history.id);
      // And 城关 sees 河口's later visit under the same master.
      const hekouVisit = makeVisit({ institutionId: 'hekou', patientId: duplicate.id });
      await pushOk(hub.url, hekou, 'visits', [insertRow(hekouVisit)]);
      expect((await pullAll(hub.url, chengguan, 'visits')).documents.map((d) => d.id)).toContain(hekouVisit.id);
      // 城关's administrator can see that 河口 read the patient's records, and when.
      const cgAdmin = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'admin');
      const audit = await call(hub.url, 'GET', `/admin/audit?patientId=${original.id}`, { token: cgAdmin.accessToken });
      expect(audit.body.entries).toContainEqual(expect.objectContaining({ action: 'read', institutionId: 'hekou', collection: 'visits' }));
      expect(audit.body.entries).toContainEqual(expect.objectContaining({ action: 'merge', institutionId: 'hekou', recordId: duplicate.id }));
    });

    it('sends a study to the ECG centre, which sees that patient and study but not the visits, and the report comes back', async () => {
      const patient = makePatient({ institutionId: 'chengguan' });
      const visit = makeVisit({ institutionId: 'chengguan', patientId: patient.id, complaint: '胸痛两小时' });
      const study = makeEcgStudy({ institutionId: 'chengguan', patientId: patient.id, visitId: visit.id, priority: 'urgent' });
      await pushOk(hub.url, chengguan, 'patients', [insertRow(patient)]);
      await pushOk(hub.url, chengguan, 'visits', [insertRow(visit)]);
      await pushOk(hub.url, chengguan2, 'ecgStudies', [insertRow(study)]); // the doctor records the ECG

      expect((await pullAll(hub.url, center, 'ecgStudies')).documents.map((d) => d.id)).toContain(study.id);
      expect((await pullAll(hub.url, center, 'patients')).documents.map((d) => d.id)).toContain(patient.id);
      expect((await pullAll(hub.url, center, 'visits')).documents.map((d) => d.id)).not.toContain(visit.id);
      expect((await pullAll(hub.url, hekou, 'ecgStudies')).documents.map((d) => d.id)).not.toContain(study.id);

      // The reading state moves only through the reading room's claim and sign (ecg-reading.test.ts),
      // never by replication: a 403 naming the rule, nothing stored.
      const reading = { ...study, readingState: 'being-read' as const };
      const forgedState = await push(hub.url, center, 'ecgStudies', [{ newDocumentState: wire(reading), assumedMasterState: wire(study) }]);
      expect(forgedState.status).toBe(403);
      expect(forgedState.body.error.details).toMatchObject({ rule: 'ecgStudies.reading-state-by-the-hub', documentIds: [study.id] });
      // The center's unsigned draft stays at the center: the clinic of the study gets the report once
      // it is signed (through the claim-checking endpoint: tests/integration/hub/ecg-reading.test.ts;
      // the draft leak is replayed in tests/security/scoping-leaks.test.ts).
      const report = makeEcgReport({ institutionId: 'ecg-center', studyId: study.id, patientId: patient.id, critical: true, signedBy: null, signedAt: null });
      await pushOk(hub.url, center, 'ecgReports', [insertRow(report)]);
      expect((await pullAll(hub.url, center, 'ecgReports')).documents).toContainEqual(wire(report));
      expect((await pullAll(hub.url, chengguan, 'ecgReports')).documents.map((d) => d.id)).not.toContain(report.id);
      expect((await pullAll(hub.url, hekou, 'ecgReports')).documents.map((d) => d.id)).not.toContain(report.id);
      // A clinic never writes reports, even on its own study.
      const forged = await push(hub.url, chengguan, 'ecgReports', [insertRow(makeEcgReport({ institutionId: 'chengguan', studyId: study.id, patientId: patient.id }))]);
      expect(forged.status).toBe(403);
    });

    it('tells the other workstations of the clinic within a second, and another clinic not at all', async () => {
      const sameClinic = await openStream(hub.url, chengguan2.accessToken);
      const otherClinic = await openStream(hub.url, hekou.accessToken);
      try {
        const started = Date.now();
        await pushOk(hub.url, chengguan, 'patients', [insertRow(makePatient({ institutionId: 'chengguan' }))]);
        const event = await sameClinic.next(1000);
        expect(Date.now() - started).toBeLessThan(1000);
        expect(event).toMatchObject({ collection: 'patients', checkpoint: { seq: expect.any(Number) } });
        expect(await otherClinic.next(300).catch(() => 'nothing')).toBe('nothing');
      } finally {
        sameClinic.close();
        otherClinic.close();
      }
    });

    it("ends a revoked workstation's live stream at the next keep-alive", async () => {
      const countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      const ws = await enrolWorkstation(hub.url, countyAdmin, 'chengguan');
      const session = await login(hub.url, ws, 'nurse');
      const stream = await openStream(hub.url, session.accessToken);
      let ended = false;
      void stream.ended.then(() => (ended = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(ended).toBe(false); // keep-alives pass while the workstation is in good standing
      await call(hub.url, 'POST', `/admin/workstations/${ws.workstationId}/revoke`, { token: countyAdmin.accessToken });
      await Promise.race([stream.ended, new Promise((_, reject) => setTimeout(() => reject(new Error('stream still open')), 2000))]);
      stream.close();
    });

    it('rejects unknown collections and malformed checkpoints with a 4xx naming the problem', async () => {
      const unknown = await pull(hub.url, chengguan, 'prescriptions' as never);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('unknown-collection');
      const bad = await fetch(`${hub.url}/sync/patients/pull?checkpoint=abc`, { headers: { authorization: `Bearer ${chengguan.accessToken}` } });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.message).toContain('checkpoint');
    });
  });
}
