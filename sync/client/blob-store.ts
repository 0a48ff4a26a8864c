/**
 * Local blob store (本地文件暂存): the bytes of captured files (the DICOM ECG) kept in IndexedDB under
 * their SHA-256 until the resumable upload (blob-upload.ts) has delivered them, so a capture is never
 * lost while the link is down. A small Dexie database of its own, apart from the RxDB records: the
 * records replicate, these bytes never do.
 */
import Dexie, { type Table } from 'dexie';
import { sha256Hex } from './blob-upload.ts';
import { CodedError } from '../../core/errors/index.ts';

export interface StoredBlob {
  sha256: string;
  bytes: Uint8Array;
  sizeBytes: number;
  mediaType: string;
  storedAt: string;
  /** Set once the hub verified the upload; the bytes may then be evicted. */
  uploadedAt: string | null;
}

export class BlobHashMismatchError extends CodedError<'localData.blob-hash-mismatch'> {
  override readonly name = 'BlobHashMismatchError';
  constructor() {
    super('localData.blob-hash-mismatch');
  }
}

class BlobDatabase extends Dexie {
  blobs!: Table<StoredBlob, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ blobs: 'sha256' });
  }
}

export interface BlobStore {
  /** Stores the bytes under their hash (checked); resolves once committed. Storing twice is harmless. */
  put(bytes: Uint8Array, options: { sha256: string; mediaType: string }): Promise<StoredBlob>;
  get(sha256: string): Promise<StoredBlob | undefined>;
  markUploaded(sha256: string): Promise<void>;
  /** Hashes still waiting for upload. */
  pending(): Promise<string[]>;
  close(): void;
}

export function openBlobStore(name = 'clinic-workstation-blobs'): BlobStore {
  const db = new BlobDatabase(name);
  return {
    async put(bytes, { sha256, mediaType }) {
      if ((await sha256Hex(bytes)) !== sha256) throw new BlobHashMismatchError();
      const existing = await db.blobs.get(sha256);
      if (existing) return existing;
      const blob: StoredBlob = { sha256, bytes, sizeBytes: bytes.length, mediaType, storedAt: new Date().toISOString(), uploadedAt: null };
      await db.blobs.put(blob);
      return blob;
    },
    get: (sha256) => db.blobs.get(sha256),
    async markUploaded(sha256) {
      await db.blobs.update(sha256, { uploadedAt: new Date().toISOString() });
    },
    async pending() {
      return (await db.blobs.filter((b) => b.uploadedAt === null).primaryKeys()) as string[];
    },
    close: () => db.close(),
  };
}
