/**
 * Captured ECG files at rest on a shared clinic PC (docs/security-local-data.md §4): the DICOM bytes
 * are sealed with the records' data key, readable only while the signed-in user's records are open;
 * files an older version left clear are sealed once, and a crash midway loses none of them.
 * Memory rows stand for IndexedDB (what `disk()` returns is what the PC's disk would hold).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeDicomEcg } from '../../core/ecg/formats/index.ts';
import { makeEcgRecording, makePatient } from '../../tests/fixtures/ecg/make-recording.ts';
import type { Writer } from '../protocol/index.ts';
import { BlobUnreadableError, openBlobStore, sealClearBlobs, type BlobRow } from './blob-store.ts';
import { sha256Hex } from './blob-upload.ts';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from './database.ts';
import { LocalDataKeyError, newDataKey } from './local-data-key.ts';
import { memoryBlobRows } from './testing/memory-blob-rows.ts';

const writer: Writer = { institutionId: 'chengguan', role: 'clinic' };
const PATIENT_NAME = '欧阳娜娜';
const open: LocalDatabase[] = [];
let dbCount = 0;
afterEach(async () => {
  for (const db of open.splice(0)) if (!db.closed) await db.close();
});

/** The signed-in user's records database (encrypted under a data key). */
async function records(dataKey = newDataKey()): Promise<LocalDatabase> {
  const db = await createLocalDatabase({ name: `blob-store-${++dbCount}`, storage: memoryStorage(), writer, dataKey });
  open.push(db);
  return db;
}

/** A DICOM ECG of a named patient, as the ECG screen writes it. */
async function dicomEcg(seconds = 1) {
  const bytes = writeDicomEcg(makeEcgRecording({ seconds, patient: makePatient({ name: PATIENT_NAME, sex: 'F', birthDate: '1990-02-28' }) }));
  return { bytes, sha256: await sha256Hex(bytes) };
}

const contains = (haystack: Uint8Array, needle: Uint8Array) => Buffer.from(haystack).includes(Buffer.from(needle));
/** Every byte of every row, as IndexedDB would write it. */
const diskBytes = (rows: BlobRow[]) => Buffer.concat(rows.flatMap((r) => [Buffer.from(JSON.stringify({ ...r, sealed: undefined, bytes: undefined })), ...[r.sealed, r.bytes].filter((b) => b !== undefined).map((b) => Buffer.from(b))]));
const DICM = new TextEncoder().encode('DICM');
const NAME_UTF8 = new TextEncoder().encode(PATIENT_NAME);

describe('captured files on a shared PC', () => {
  it('keeps no DICOM preamble and no patient name on disk, and gives the upload the exact bytes back', async () => {
    const db = await records();
    const rows = memoryBlobRows();
    const store = openBlobStore(db, rows);
    const file = await dicomEcg();
    // The file itself carries both (otherwise the checks below would prove nothing).
    expect(contains(file.bytes, DICM)).toBe(true);
    expect(contains(file.bytes, NAME_UTF8)).toBe(true);

    await store.put(file.bytes, { sha256: file.sha256, mediaType: 'application/dicom' });
    const disk = diskBytes(rows.disk());
    expect(contains(disk, DICM)).toBe(false);
    expect(contains(disk, NAME_UTF8)).toBe(false);
    expect(rows.disk()[0]!.bytes).toBeUndefined();

    const read = await store.get(file.sha256);
    expect(await sha256Hex(read!.bytes)).toBe(file.sha256);
    expect(read).toMatchObject({ sizeBytes: file.bytes.length, mediaType: 'application/dicom', uploadedAt: null });
    expect(await store.pending()).toEqual([file.sha256]);
    await store.markUploaded(file.sha256);
    expect(await store.pending()).toEqual([]);
    expect(await sha256Hex((await store.get(file.sha256))!.bytes)).toBe(file.sha256);
  });

  it('refuses to read or write once the records close (lock, sign-out), and changes nothing on disk', async () => {
    const db = await records();
    const rows = memoryBlobRows();
    const store = openBlobStore(db, rows);
    const file = await dicomEcg();
    await store.put(file.bytes, { sha256: file.sha256, mediaType: 'application/dicom' });
    const before = structuredClone(rows.disk());
    await db.close();

    await expect(store.get(file.sha256)).rejects.toMatchObject({ code: 'key-required' });
    await expect(store.get(file.sha256)).rejects.toBeInstanceOf(LocalDataKeyError);
    const other = await dicomEcg(2);
    await expect(store.put(other.bytes, { sha256: other.sha256, mediaType: 'application/dicom' })).rejects.toMatchObject({ code: 'key-required' });
    await expect(store.markUploaded(file.sha256)).rejects.toMatchObject({ code: 'key-required' });
    expect(rows.disk()).toEqual(before);
  });

  it('does not open with another workstation’s key, nor a file altered on disk or filed under another hash', async () => {
    const rows = memoryBlobRows();
    const file = await dicomEcg();
    const firstRecords = await records();
    await openBlobStore(firstRecords, rows).put(file.bytes, { sha256: file.sha256, mediaType: 'application/dicom' });
    await firstRecords.close(); // RxDB's free edition caps open collections: one records database at a time here

    const strangerRecords = await records();
    const refusal = await openBlobStore(strangerRecords, rows).get(file.sha256).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(BlobUnreadableError);
    expect(refusal).toMatchObject({ code: 'blob-unreadable', messageZh: expect.stringContaining('无法解密') });
    await strangerRecords.close();

    const ownRecords = await records();
    const ownRows = memoryBlobRows();
    const own = openBlobStore(ownRecords, ownRows);
    await own.put(file.bytes, { sha256: file.sha256, mediaType: 'application/dicom' });
    ownRows.disk()[0]!.sealed![40]! ^= 0x01; // one bit flipped on disk
    await expect(own.get(file.sha256)).rejects.toBeInstanceOf(BlobUnreadableError);
    // The sealed bytes of one file filed under another file's hash do not open either.
    const other = await dicomEcg(2);
    await own.put(other.bytes, { sha256: other.sha256, mediaType: 'application/dicom' });
    const moved = memoryBlobRows([{ ...ownRows.disk()[1]!, sha256: 'f'.repeat(64) }]);
    await expect(openBlobStore(ownRecords, moved).get('f'.repeat(64))).rejects.toBeInstanceOf(BlobUnreadableError);
  });

  it('seals the files an older version left clear, once; a crash midway leaves the rest clear and the next sign-in finishes', async () => {
    const files = await Promise.all([1, 2, 3].map((s) => dicomEcg(s)));
    const clearRow = (f: { bytes: Uint8Array; sha256: string }, uploadedAt: string | null): BlobRow => ({
      sha256: f.sha256,
      bytes: f.bytes,
      sizeBytes: f.bytes.length,
      mediaType: 'application/dicom',
      storedAt: '2026-12-01T08:00:00.000Z',
      uploadedAt,
    });
    const rows = memoryBlobRows([clearRow(files[0]!, null), clearRow(files[1]!, '2026-12-01T09:00:00.000Z'), clearRow(files[2]!, null)]);
    const key = newDataKey();

    // The PC goes down after the first file was sealed.
    const first = await records(key);
    rows.failPutsAfter(1);
    await expect(sealClearBlobs(first, rows)).rejects.toThrow('simulated crash');
    expect(rows.disk().filter((r) => r.sealed).length).toBe(1);
    expect(rows.disk().filter((r) => r.bytes).length).toBe(2);
    // Even half-done, every file reads back whole.
    const halfway = openBlobStore(first, rows);
    for (const f of files) expect(await sha256Hex((await halfway.get(f.sha256))!.bytes)).toBe(f.sha256);
    await first.close();

    rows.failPutsAfter(Infinity);
    const again = await records(key);
    expect(await sealClearBlobs(again, rows)).toEqual({ sealed: 2 });
    // Done and marked: a later sign-in does not read every stored file again.
    let reads = 0;
    const counted = { ...rows, all: () => (reads++, rows.all()) };
    expect(await sealClearBlobs(again, counted)).toEqual({ sealed: 0 });
    expect(reads).toBe(0);
    const disk = diskBytes(rows.disk());
    expect(contains(disk, DICM)).toBe(false);
    expect(contains(disk, NAME_UTF8)).toBe(false);
    const store = openBlobStore(again, rows);
    for (const f of files) expect(await sha256Hex((await store.get(f.sha256))!.bytes)).toBe(f.sha256);
    // What the upload had done before stays done.
    expect(await store.pending()).toEqual([files[0]!.sha256, files[2]!.sha256]);
    expect((await store.get(files[0]!.sha256))!.storedAt).toBe('2026-12-01T08:00:00.000Z');
  });
});
