/**
 * ECG files through the hub on each store: content-addressed by SHA-256, uploaded in chunks that
 * resume after a break, verified on arrival, size-limited, readable only by those who may see the
 * study, and the study turns 'received' once its file is whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { makeEcgStudy, makePatient } from '../../../core/records/builders.ts';
import { paths } from '../../../sync/protocol/wire.ts';
import { backends, startDemoHub, type DemoHub } from './support/backends.ts';
import { call, demoWorkstation, enrolWorkstation, login, type Session } from './support/client.ts';
import { countRows, insertRow, pullAll, pushOk } from './support/sync.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** Stand-in for a DICOM ECG file: random bytes are enough, the hub never parses them. */
const makeEcgFile = (size: number): Uint8Array<ArrayBuffer> => new Uint8Array(randomBytes(size));

for (const backend of backends) {
  describe.runIf(backend.available)(`blobs on ${backend.name}`, () => {
    let hub: DemoHub;
    let chengguan: Session;
    let hekou: Session;
    let center: Session;

    const putChunk = (session: Session, hash: string, offset: number, bytes: Uint8Array<ArrayBuffer>) =>
      call(hub.url, 'PUT', paths.blobChunk(hash, offset), { token: session.accessToken, rawBody: bytes, contentType: 'application/octet-stream' });
    const complete = (session: Session, hash: string, size: number) => call(hub.url, 'POST', paths.blobComplete(hash), { token: session.accessToken, body: { size } });
    const status = (session: Session, hash: string) => call(hub.url, 'GET', paths.blobStatus(hash), { token: session.accessToken });

    beforeAll(async () => {
      hub = await startDemoHub(backend, { settings: { blobChunkLimitBytes: 64 * 1024, blobMaxBytes: 512 * 1024 } });
      const countyAdmin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
      chengguan = await login(hub.url, demoWorkstation('ws-demo-chengguan'), 'doctor');
      hekou = await login(hub.url, await enrolWorkstation(hub.url, countyAdmin, 'hekou'), 'doctor');
      center = await login(hub.url, demoWorkstation('ws-demo-ecg-center'), 'cardiologist');
    });
    afterAll(() => hub?.close());

    it('resumes an interrupted upload from the bytes the hub holds, and the study becomes received', async () => {
      const file = makeEcgFile(150_000);
      const hash = sha256(file);
      const patient = makePatient({ institutionId: 'chengguan' });
      const study = makeEcgStudy({ institutionId: 'chengguan', patientId: patient.id, dicomSha256: hash, dicomSizeBytes: file.length, readingState: 'uploading' });
      await pushOk(hub.url, chengguan, 'patients', [insertRow(patient)]);
      await pushOk(hub.url, chengguan, 'ecgStudies', [insertRow(study)]);

      expect((await putChunk(chengguan, hash, 0, file.subarray(0, 60_000))).body).toMatchObject({ receivedBytes: 60_000, complete: false });
      // The link dropped; the workstation asks where the upload stands and resends from a little earlier.
      expect((await status(chengguan, hash)).body).toEqual({ sha256: hash, receivedBytes: 60_000, complete: false, size: null });
      const overlap = await putChunk(chengguan, hash, 50_000, file.subarray(50_000, 110_000));
      expect(overlap.body.receivedBytes).toBe(110_000);
      const gap = await putChunk(chengguan, hash, 120_000, file.subarray(120_000));
      expect(gap.status).toBe(409);
      expect(gap.body.error).toMatchObject({ code: 'blob-offset-mismatch', details: { receivedBytes: 110_000 } });
      const early = await complete(chengguan, hash, file.length);
      expect(early.status).toBe(409);
      expect(early.body.error.code).toBe('blob-incomplete');
      await putChunk(chengguan, hash, 110_000, file.subarray(110_000));
      const done = await complete(chengguan, hash, file.length);
      expect(done.body).toEqual({ sha256: hash, receivedBytes: file.length, complete: true, size: file.length });

      const fetched = await fetch(`${hub.url}${paths.blob(hash)}`, { headers: { authorization: `Bearer ${center.accessToken}` } });
      expect(fetched.status).toBe(200);
      expect(sha256(new Uint8Array(await fetched.arrayBuffer()))).toBe(hash);
      const studies = await pullAll(hub.url, center, 'ecgStudies');
      expect(studies.documents.find((d) => d.id === study.id)).toMatchObject({ readingState: 'received' });
      expect(await countRows(hub, 'blob_chunks')).toBe(0);
    });

    it('answers an upload of a file the hub already has as already complete', async () => {
      const file = makeEcgFile(10_000);
      const hash = sha256(file);
      await putChunk(chengguan, hash, 0, file);
      await complete(chengguan, hash, file.length);
      const again = await putChunk(chengguan, hash, 0, file);
      expect(again.body).toMatchObject({ complete: true, receivedBytes: file.length });
      expect((await complete(chengguan, hash, file.length)).status).toBe(200);
      expect(await countRows(hub, 'blobs', 'sha256 = $1', [hash])).toBe(1);
    });

    it('drops an upload whose bytes do not match their SHA-256 with 422, keeping nothing', async () => {
      const file = makeEcgFile(20_000);
      const claimed = sha256(makeEcgFile(20_000));
      await putChunk(chengguan, claimed, 0, file);
      const reply = await complete(chengguan, claimed, file.length);
      expect(reply.status).toBe(422);
      expect(reply.body.error.code).toBe('blob-hash-mismatch');
      expect(await countRows(hub, 'blobs', 'sha256 = $1', [claimed])).toBe(0);
      expect(await countRows(hub, 'blob_chunks', 'sha256 = $1', [claimed])).toBe(0);
      expect((await status(chengguan, claimed)).body.receivedBytes).toBe(0);
    });

    it('refuses chunks beyond the size limits with 413', async () => {
      const tooBigChunk = await putChunk(chengguan, sha256(makeEcgFile(1)), 0, makeEcgFile(65 * 1024));
      expect(tooBigChunk.status).toBe(413);
      expect(tooBigChunk.body.error.code).toBe('payload-too-large');
      const beyondFile = await putChunk(chengguan, sha256(makeEcgFile(2)), 0, makeEcgFile(10)).then(() =>
        putChunk(chengguan, sha256(makeEcgFile(3)), 510 * 1024, makeEcgFile(4 * 1024)),
      );
      expect(beyondFile.status).toBe(413);
    });

    it('does not serve a file to a clinic that may not see its study', async () => {
      const file = makeEcgFile(5_000);
      const hash = sha256(file);
      await putChunk(chengguan, hash, 0, file);
      await complete(chengguan, hash, file.length);
      const reply = await call(hub.url, 'GET', paths.blob(hash), { token: hekou.accessToken });
      expect(reply.status).toBe(404);
    });

    it('rejects a malformed hash in the path', async () => {
      const reply = await status(chengguan, 'not-a-hash');
      expect(reply.status).toBe(400);
      expect(reply.body.error.message).toContain('sha256');
    });
  });
}
