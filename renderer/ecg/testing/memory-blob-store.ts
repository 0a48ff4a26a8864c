/** An in-memory BlobStore for component tests (jsdom has no IndexedDB); checks hashes as the real one does. */
import { sha256Hex } from '../../../sync/client/blob-upload.ts';
import { BlobHashMismatchError, type BlobStore, type StoredBlob } from '../../../sync/client/blob-store.ts';

export function createMemoryBlobStore(): BlobStore & { readonly blobs: Map<string, StoredBlob> } {
  const blobs = new Map<string, StoredBlob>();
  return {
    blobs,
    async put(bytes, { sha256, mediaType }) {
      if ((await sha256Hex(bytes)) !== sha256) throw new BlobHashMismatchError();
      const blob = blobs.get(sha256) ?? { sha256, bytes, sizeBytes: bytes.length, mediaType, storedAt: new Date().toISOString(), uploadedAt: null };
      blobs.set(sha256, blob);
      return blob;
    },
    get: async (sha256) => blobs.get(sha256),
    async markUploaded(sha256) {
      const blob = blobs.get(sha256);
      if (blob) blob.uploadedAt = new Date().toISOString();
    },
    pending: async () => [...blobs.values()].filter((b) => b.uploadedAt === null).map((b) => b.sha256),
    close: () => undefined,
  };
}
