/**
 * PACS interop: the hub forwards each received study's DICOM 12-lead ECG (written by
 * core/ecg/formats/dicom) to a real Orthanc by STOW-RS (DICOMweb, multipart/related;
 * type="application/dicom"), in the background: the clinic's upload never waits for the archive,
 * an archive that is down is retried with backoff, and every outcome is recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { makeEcgStudy, makePatient } from '../../../core/records/builders.ts';
import { twelveLeadEcgSopClassUid, writeDicomEcg } from '../../../core/ecg/formats/index.ts';
import { newDicomUid } from '../../../core/ecg/formats/dicom/uid.ts';
import { paths } from '../../../sync/protocol/wire.ts';
import { startHub, type StartedHub } from '../../../sync/hub/start.ts';
import { makeEcgRecording } from '../../fixtures/ecg/make-recording.ts';
import { requireSystemDependency } from '../../support/system-deps.ts';
import { backends, type BackendStore } from './support/backends.ts';
import { call, demoWorkstation, login, type Session } from './support/client.ts';
import { insertRow, pushOk } from './support/sync.ts';
import { freePort, ORTHANC_TEST_PASSWORD, startOrthanc, type RunningOrthanc } from './support/orthanc.ts';

const orthancInstalled = requireSystemDependency('orthanc');

interface OrthancStudy {
  ID: string;
  MainDicomTags: { StudyInstanceUID: string };
  PatientMainDicomTags: { PatientID: string; PatientName: string };
  Series: string[];
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const backend of backends) {
  describe.runIf(orthancInstalled && backend.available)(`PACS forwarding to Orthanc on ${backend.name}`, () => {
    let store: BackendStore;
    let orthanc: RunningOrthanc | undefined;
    let pacsPort: number;
    let hub: StartedHub;
    let clinic: Session;

    /** What the clinic does: the DICOM file as the ECG screen writes it, the study record, the upload. */
    const sendStudy = async () => {
      const patient = makePatient({ institutionId: 'chengguan', name: '王小明' });
      const studyInstanceUid = newDicomUid();
      const dicom = writeDicomEcg(
        { ...makeEcgRecording({ sampleRateHz: 500, seconds: 10 }), patient: { id: patient.id, name: patient.name, sex: 'M', birthDate: patient.birthDate } },
        { studyInstanceUid, studyDescription: '12-lead ECG' },
      );
      const file = new Uint8Array(dicom);
      const sha256 = createHash('sha256').update(file).digest('hex');
      const study = makeEcgStudy({ institutionId: 'chengguan', patientId: patient.id, dicomSha256: sha256, dicomSizeBytes: file.length, readingState: 'uploading', priority: 'urgent' });
      await pushOk(hub.url, clinic, 'patients', [insertRow(patient)]);
      await pushOk(hub.url, clinic, 'ecgStudies', [insertRow(study)]);
      const started = performance.now();
      await call(hub.url, 'PUT', paths.blobChunk(sha256, 0), { token: clinic.accessToken, rawBody: file, contentType: 'application/octet-stream' });
      const complete = await call(hub.url, 'POST', paths.blobComplete(sha256), { token: clinic.accessToken, body: { size: file.length } });
      expect(complete.status).toBe(200);
      return { patient, study, studyInstanceUid, uploadMs: performance.now() - started };
    };
    const forwardRow = async (studyId: string) =>
      (await hub.context.db.query<{ state: string; attempts: number; last_error: string | null }>('select state, attempts, last_error from pacs_forwards where study_id = $1', [studyId])).rows[0];
    const studyInOrthanc = (pacs: RunningOrthanc, studyInstanceUid: string) => async () =>
      (await pacs.api<OrthancStudy[]>('/studies?expand')).find((s) => s.MainDicomTags.StudyInstanceUID === studyInstanceUid);
    const sent = (studyId: string) => async () => ((await forwardRow(studyId))?.state === 'sent' ? forwardRow(studyId) : undefined);

    beforeAll(async () => {
      store = await backend.createStore();
      // The archive's port is fixed up front; Orthanc starts on it only in the first test (it is "down" until then).
      pacsPort = await freePort();
      hub = await startHub({
        ...store.options,
        port: 0,
        demo: true,
        logLevel: 'silent',
        pacsForward: { url: `http://127.0.0.1:${pacsPort}/dicom-web/studies`, username: 'hub', password: ORTHANC_TEST_PASSWORD, pollMs: 100, retryInitialMs: 100, retryMaxMs: 400 },
      });
      clinic = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
    });
    afterAll(async () => {
      await hub?.close();
      await orthanc?.close();
      await store?.dispose();
    });

    it('never makes the clinic wait for an archive that is down, retries with backoff and delivers once it is back', async () => {
      const { study, studyInstanceUid, uploadMs } = await sendStudy();
      expect(uploadMs).toBeLessThan(5_000); // the upload was answered, archive or not
      const failing = await waitFor('two failed attempts', async () => {
        const row = await forwardRow(study.id);
        return row && row.attempts >= 2 ? row : undefined;
      });
      expect(failing).toMatchObject({ state: 'pending', last_error: expect.stringMatching(/^network: /) });

      orthanc = await startOrthanc({ port: pacsPort });
      const stored = await waitFor('the study in Orthanc once it is up', studyInOrthanc(orthanc, studyInstanceUid));
      expect(stored.MainDicomTags.StudyInstanceUID).toBe(studyInstanceUid);
      expect(await waitFor('the forward recorded as sent', sent(study.id))).toMatchObject({ state: 'sent', last_error: null });
    });

    it('stores a received study in Orthanc with the patient and study UIDs of its DICOM file', async () => {
      const pacs = orthanc ?? (orthanc = await startOrthanc({ port: pacsPort }));
      const { patient, study, studyInstanceUid } = await sendStudy();
      const stored = await waitFor('the study in Orthanc', studyInOrthanc(pacs, studyInstanceUid));
      expect(stored.PatientMainDicomTags.PatientID).toBe(patient.id);
      expect(stored.PatientMainDicomTags.PatientName).toBe('王小明^');
      const instances = await pacs.api<{ ID: string }[]>(`/studies/${stored.ID}/instances`);
      expect(instances).toHaveLength(1);
      const tags = await pacs.api<Record<string, string>>(`/instances/${instances[0]!.ID}/simplified-tags`);
      expect(tags.SOPClassUID).toBe(twelveLeadEcgSopClassUid);
      expect(tags.StudyInstanceUID).toBe(studyInstanceUid);
      expect(await waitFor('the forward recorded as sent', sent(study.id))).toMatchObject({ state: 'sent', attempts: 1, last_error: null });
    });
  });
}
