/**
 * The clinic's remote-diagnosis service (services/remote-diagnosis/remote-diagnosis.ts) against a real hub
 * through a fault proxy: a study sent while the link is cut stays local and is uploaded — in chunks,
 * with progress — once the link is back, its state advancing to 'received'; a critical-finding
 * acknowledgement made offline reaches the hub later, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { makeEcgStudy, makePatient } from '../../../core/records/builders.ts';
import type { EcgStudy } from '../../../core/records/index.ts';
import { paths } from '../../../sync/protocol/wire.ts';
import { ecgPaths } from '../../../sync/protocol/ecg-reading.ts';
import type { StartedHub } from '../../../sync/hub/start.ts';
import { startTestHub } from '../../support/pglite-template.ts';
import { startRemoteDiagnosis, type RemoteDiagnosis, type UploadProgress } from '../../../services/remote-diagnosis/remote-diagnosis.ts';
import { createMemoryRepository, type MemoryRepository } from '../../../services/records/testing/memory-repository.ts';
import { createMemoryBlobStore } from '../../../renderer/ecg/testing/memory-blob-store.ts';
import { writeDicomEcg } from '../../../core/ecg/formats/index.ts';
import { makeEcgRecording, makePatient as makeEcgPatient } from '../../fixtures/ecg/make-recording.ts';
import { openBlobStore } from '../../../sync/client/blob-store.ts';
import { createLocalDatabase, memoryStorage } from '../../../sync/client/database.ts';
import { newDataKey } from '../../../sync/client/local-data-key.ts';
import { memoryBlobRows } from '../../../sync/client/testing/memory-blob-rows.ts';
import { FaultProxy } from './support/fault-proxy.ts';
import { call, demoWorkstation, login, type Session } from './support/client.ts';
import { insertRow, pushOk } from './support/sync.ts';

describe('sending ECGs for remote diagnosis from the clinic', () => {
  let hub: StartedHub;
  let proxy: FaultProxy;
  let proxyUrl: string;
  let clinic: Session;
  let repo: MemoryRepository;
  let blobs: ReturnType<typeof createMemoryBlobStore>;
  let service: RemoteDiagnosis;

  beforeAll(async () => {
    hub = await startTestHub({ port: 0, demo: true, logLevel: 'silent' });
    proxy = new FaultProxy(Number(new URL(hub.url).port));
    proxyUrl = await proxy.listen();
    clinic = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
    repo = createMemoryRepository();
    blobs = createMemoryBlobStore();
    service = startRemoteDiagnosis({ repo, blobs, hub: () => ({ hubUrl: proxyUrl, getToken: () => clinic.accessToken }), retry: { initialMs: 50, maxMs: 200 } });
  });
  afterAll(async () => {
    await service?.stop();
    await proxy?.close();
    await hub?.close();
  });

  const storedStudy = async (sizeBytes: number): Promise<EcgStudy> => {
    const bytes = new Uint8Array(randomBytes(sizeBytes));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await blobs.put(bytes, { sha256, mediaType: 'application/dicom' });
    const patient = makePatient({ institutionId: 'chengguan' });
    await repo.save('patients', patient);
    return repo.save('ecgStudies', makeEcgStudy({ institutionId: 'chengguan', patientId: patient.id, dicomSha256: sha256, dicomSizeBytes: sizeBytes, priority: 'urgent' }));
  };
  const stateOf = async (id: string) => (await repo.get('ecgStudies', id))?.readingState;

  it('keeps a study sent offline on this PC and uploads it in chunks when the link is back', async () => {
    const study = await storedStudy(600_000); // three 256 KiB chunks
    const seen: UploadProgress[] = [];
    const sub = service.progress$.subscribe((m) => {
      const p = m.get(study.id);
      if (p) seen.push(p);
    });
    proxy.always({ kind: 'cut-request', afterBytes: 0 });
    await service.send(study.id);
    expect(await service.sentStudyIds()).toContain(study.id);
    await new Promise((r) => setTimeout(r, 500)); // several failed attempts
    expect(['queued', 'uploading']).toContain(await stateOf(study.id));
    expect((await call(hub.url, 'GET', paths.blobStatus(study.dicomSha256), { token: clinic.accessToken })).body.receivedBytes).toBe(0);

    proxy.always({ kind: 'none' });
    service.wake();
    await expect.poll(() => stateOf(study.id), { timeout: 10_000 }).toBe('received');
    sub.unsubscribe();
    expect((await call(hub.url, 'GET', paths.blobStatus(study.dicomSha256), { token: clinic.accessToken })).body).toMatchObject({ complete: true, size: 600_000 });
    expect(blobs.blobs.get(study.dicomSha256)?.uploadedAt).not.toBeNull();
    const received = seen.map((p) => p.receivedBytes);
    expect(received).toContain(256 * 1024);
    expect(received.at(-1)).toBe(600_000);
  });

  it('delivers an acknowledgement of a critical finding made while offline, once', async () => {
    // A study from this clinic, read and signed critical by the center.
    const patient = makePatient({ institutionId: 'chengguan' });
    const bytes = new Uint8Array(randomBytes(1000));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const study = makeEcgStudy({ institutionId: 'chengguan', patientId: patient.id, dicomSha256: sha256, dicomSizeBytes: bytes.length, readingState: 'uploading' });
    await pushOk(hub.url, clinic, 'patients', [insertRow(patient)]);
    await pushOk(hub.url, clinic, 'ecgStudies', [insertRow(study)]);
    await call(hub.url, 'PUT', paths.blobChunk(sha256, 0), { token: clinic.accessToken, rawBody: bytes, contentType: 'application/octet-stream' });
    await call(hub.url, 'POST', paths.blobComplete(sha256), { token: clinic.accessToken, body: { size: bytes.length } });
    const center = await login(hub.url, demoWorkstation('ws-demo-ecg-center'), 'cardiologist');
    await call(hub.url, 'POST', ecgPaths.claim(study.id), { token: center.accessToken });
    const reportId = `report-${study.id}`.slice(0, 60);
    const signedAt = new Date().toISOString();
    const signed = await call(hub.url, 'POST', ecgPaths.report(study.id), {
      token: center.accessToken,
      body: { report: { id: reportId, institutionId: 'ecg-center', updatedAt: signedAt, studyId: study.id, patientId: patient.id, statements: [{ code: 'RHY-023', text: '心室颤动' }], freeText: '', critical: true, signedBy: center.userId, signedAt } },
    });
    expect(signed.status).toBe(200);

    proxy.always({ kind: 'cut-request', afterBytes: 0 });
    const ack = await service.acknowledge(reportId, clinic.userId);
    expect(ack.delivered).toBe(false);
    expect((await service.acknowledgements())[reportId]).toBeDefined(); // the alert is gone at once, offline
    proxy.always({ kind: 'none' });
    service.wake();
    await expect.poll(async () => (await service.acknowledgements())[reportId]?.delivered, { timeout: 10_000 }).toBe(true);
    const { rows } = await hub.context.db.query<{ user_id: string; acknowledged_at: Date }>('select user_id, acknowledged_at from ecg_critical_acknowledgements where report_id = $1', [reportId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.user_id).toBe(clinic.userId);
    // The hub stamps the time it learns of the acknowledgement (issue 13: a clinic's clock or a forged
    // body cannot put it before the signing): after the signing, not before the offline click.
    const acknowledgedAt = new Date(rows[0]!.acknowledged_at).getTime();
    expect(acknowledgedAt).toBeGreaterThanOrEqual(new Date(ack.at).getTime());
    expect(acknowledgedAt).toBeGreaterThanOrEqual(new Date(signedAt).getTime());
  });

  it('uploads a file sealed on this PC as the clear DICOM bytes the hub verifies, though the disk holds neither preamble nor name', async () => {
    const records = await createLocalDatabase({ name: 'sender-sealed', storage: memoryStorage(), writer: { institutionId: 'chengguan', role: 'clinic' }, dataKey: newDataKey() });
    const rows = memoryBlobRows();
    const sealed = openBlobStore(records, rows);
    const sender = startRemoteDiagnosis({ repo, blobs: sealed, hub: () => ({ hubUrl: proxyUrl, getToken: () => clinic.accessToken }), retry: { initialMs: 50, maxMs: 200 } });
    try {
      const dicom = writeDicomEcg(makeEcgRecording({ seconds: 10, patient: makeEcgPatient({ name: '欧阳娜娜', sex: 'F', birthDate: '1990-02-28' }) }));
      const sha256 = createHash('sha256').update(dicom).digest('hex');
      await sealed.put(dicom, { sha256, mediaType: 'application/dicom' });
      const disk = Buffer.concat(rows.disk().map((r) => Buffer.from(r.sealed!)));
      expect(disk.includes('DICM')).toBe(false);
      expect(disk.includes(Buffer.from('欧阳娜娜'))).toBe(false);

      const patient = makePatient({ institutionId: 'chengguan' });
      await repo.save('patients', patient);
      const study = await repo.save('ecgStudies', makeEcgStudy({ institutionId: 'chengguan', patientId: patient.id, dicomSha256: sha256, dicomSizeBytes: dicom.length }));
      await sender.send(study.id);
      await expect.poll(() => stateOf(study.id), { timeout: 10_000 }).toBe('received');
      // The hub completes an upload only when the bytes it holds hash to the name: the clear file arrived.
      expect((await call(hub.url, 'GET', paths.blobStatus(sha256), { token: clinic.accessToken })).body).toMatchObject({ complete: true, size: dicom.length });
      expect(await sealed.pending()).toEqual([]);
    } finally {
      await sender.stop();
      await records.close();
    }
  });
});
