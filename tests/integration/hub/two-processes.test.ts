/**
 * Two hub processes on one PostgreSQL database serving the same county (issue 15, item 4), as they
 * would behind a load balancer: a workstation's requests land on either. Live notices cross between
 * processes through LISTEN/NOTIFY, a claim made on one process holds on the other, a file upload
 * started on one finishes on the other, and the signed report reaches the clinic through either.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { makeEcgReport, makeEcgStudy, makePatient } from '../../../core/records/builders.ts';
import { paths } from '../../../sync/protocol/wire.ts';
import { ecgPaths } from '../../../sync/protocol/ecg-reading.ts';
import { backends, type BackendStore } from './support/backends.ts';
import { call, demoWorkstation, login, secondCardiologist, type Session } from './support/client.ts';
import { killHard, spawnHub, type HubProcess } from '../../support/hub-process.ts';
import { openStream } from './support/stream.ts';
import { insertRow, pullAll, pushOk } from './support/sync.ts';

const postgres = backends.find((b) => b.name === 'postgres')!;

describe.runIf(postgres.available)('two hub processes on one PostgreSQL', () => {
  let store: BackendStore;
  let a: HubProcess;
  let b: HubProcess;
  let clinic: Session;
  let wang: Session;
  let li: Session;

  beforeAll(async () => {
    store = await postgres.createStore();
    a = await spawnHub(store.options); // applies the migrations and seeds the demo county
    b = await spawnHub(store.options); // finds both done
    clinic = await login(a.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
    wang = await login(b.url, demoWorkstation('ws-demo-ecg-center'), 'cardiologist');
    li = await secondCardiologist(b.url, a.url); // created through one process, signed in through the other
  }, 60_000);
  afterAll(async () => {
    if (a) await killHard(a);
    if (b) await killHard(b);
    await store?.dispose();
  });

  it('tells a workstation listening on one process of a push made through the other, and hands out the record on either', async () => {
    const stream = await openStream(b.url, clinic.accessToken); // tokens are signed with the county's one key: valid on both
    try {
      const patient = makePatient({ institutionId: 'chengguan' });
      const started = Date.now();
      await pushOk(a.url, clinic, 'patients', [insertRow(patient)]);
      expect(await stream.next(2000)).toMatchObject({ collection: 'patients' });
      expect(Date.now() - started).toBeLessThan(2000);
      expect((await pullAll(b.url, clinic, 'patients')).documents.map((d) => d.id)).toContain(patient.id);
      expect((await pullAll(a.url, clinic, 'patients')).documents.map((d) => d.id)).toContain(patient.id);
    } finally {
      stream.close();
    }
  });

  it('resumes an upload on the other process, holds a claim across processes, and returns the signed report through either', async () => {
    const file = new Uint8Array(randomBytes(3000));
    const hash = createHash('sha256').update(file).digest('hex');
    const patient = makePatient({ institutionId: 'chengguan' });
    const study = makeEcgStudy({ institutionId: 'chengguan', patientId: patient.id, dicomSha256: hash, dicomSizeBytes: file.length, readingState: 'uploading', priority: 'urgent' });
    await pushOk(a.url, clinic, 'patients', [insertRow(patient)]);
    await pushOk(b.url, clinic, 'ecgStudies', [insertRow(study)]);

    // The link dropped after the first chunk; the workstation's next request lands on the other process.
    const chunk = (url: string, from: number, to: number) =>
      call(url, 'PUT', paths.blobChunk(hash, from), { token: clinic.accessToken, rawBody: file.subarray(from, to), contentType: 'application/octet-stream' });
    expect((await chunk(a.url, 0, 1000)).body).toMatchObject({ receivedBytes: 1000, complete: false });
    expect((await call(b.url, 'GET', paths.blobStatus(hash), { token: clinic.accessToken })).body).toMatchObject({ receivedBytes: 1000 });
    expect((await chunk(b.url, 1000, file.length)).body).toMatchObject({ receivedBytes: file.length });
    expect((await call(b.url, 'POST', paths.blobComplete(hash), { token: clinic.accessToken, body: { size: file.length } })).status).toBe(200);

    // 王 claims on one process; 李, on the other, is refused with 王's name and cannot sign.
    const claim = await call(a.url, 'POST', ecgPaths.claim(study.id), { token: wang.accessToken });
    expect(claim.status).toBe(200);
    const refused = await call(b.url, 'POST', ecgPaths.claim(study.id), { token: li.accessToken });
    expect(refused.status).toBe(409);
    expect(refused.body.error.messageZh).toContain(claim.body.displayName);

    const report = makeEcgReport({
      institutionId: 'ecg-center',
      studyId: study.id,
      patientId: patient.id,
      statements: [{ code: 'INF-008', text: '急性 ST 段抬高型心肌梗死' }],
      critical: true,
      signedBy: wang.userId,
      signedAt: new Date().toISOString(),
    });
    const clinicStream = await openStream(a.url, clinic.accessToken);
    try {
      expect((await call(b.url, 'POST', ecgPaths.report(study.id), { token: wang.accessToken, body: { report } })).status).toBe(200);
      // The clinic listening on the other process hears of it and pulls it from there.
      const heard: unknown[] = [];
      while (!heard.some((e) => (e as { collection?: string }).collection === 'ecgReports')) heard.push(await clinicStream.next(3000));
      expect((await pullAll(a.url, clinic, 'ecgReports')).documents.map((d) => d.id)).toContain(report.id);
      expect((await pullAll(a.url, clinic, 'ecgStudies')).documents.find((d) => d.id === study.id)?.readingState).toBe('reported');
    } finally {
      clinicStream.close();
    }
    // Signed once: the second process refuses a second signature.
    expect((await call(a.url, 'POST', ecgPaths.report(study.id), { token: wang.accessToken, body: { report } })).status).toBe(409);
  });
});
