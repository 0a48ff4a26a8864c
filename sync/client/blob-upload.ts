/**
 * Resumable, idempotent upload of a file (the DICOM ECG) to the hub's content-addressed blob store
 * (protocol: sync/protocol/wire.ts, "Blobs"). Asks where the hub stands, sends the rest in chunks,
 * then asks the hub to verify the SHA-256. Calling it again after a dropped link continues from the
 * last byte the hub holds; calling it for a file the hub already has sends nothing.
 */
import { BLOB_CHUNK_DEFAULT, blobStatusSchema, paths, type BlobStatus } from '../protocol/index.ts';
import { hubJson, SyncError, type HubConnection } from './hub-http.ts';

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface UploadOptions {
  /** Known hash (the EcgStudy's dicomSha256); computed when absent. */
  sha256?: string;
  chunkSize?: number;
  onProgress?: (receivedBytes: number, totalBytes: number) => void;
  signal?: AbortSignal;
}

export async function uploadBlob(conn: HubConnection, bytes: Uint8Array, options: UploadOptions = {}): Promise<BlobStatus> {
  const sha256 = options.sha256 ?? (await sha256Hex(bytes));
  const chunkSize = options.chunkSize ?? BLOB_CHUNK_DEFAULT;
  const signal = options.signal ? { signal: options.signal } : {};
  const status = () => hubJson(conn, paths.blobStatus(sha256), blobStatusSchema, signal);

  let current = await status();
  while (!current.complete && current.receivedBytes < bytes.length) {
    const offset = current.receivedBytes;
    try {
      current = await hubJson(conn, paths.blobChunk(sha256, offset), blobStatusSchema, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes.subarray(offset, offset + chunkSize) as Uint8Array<ArrayBuffer>,
        ...signal,
      });
    } catch (e) {
      // Another attempt moved the upload on (or the hub lost a chunk): ask again and continue.
      if (e instanceof SyncError && e.code === 'blob-offset-mismatch') {
        current = await status();
        continue;
      }
      throw e;
    }
    options.onProgress?.(current.receivedBytes, bytes.length);
  }
  if (current.complete) return current;
  return hubJson(conn, paths.blobComplete(sha256), blobStatusSchema, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ size: bytes.length }),
    ...signal,
  });
}
