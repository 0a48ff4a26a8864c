/**
 * Local blob store (本地文件暂存): the bytes of captured files (the DICOM ECG) kept in IndexedDB under
 * their SHA-256 until the resumable upload (blob-upload.ts) has delivered them, so a capture is never
 * lost while the link is down. A small Dexie database of its own, apart from the RxDB records: the
 * records replicate, these bytes never do.
 *
 * The bytes are sealed on disk (docs/security-local-data.md §4): AES-256-GCM under a key derived from
 * the records database's data key (database.ts blobSealKeyOf), a random 96-bit IV per file, the
 * file's SHA-256 as associated data (a sealed file cannot be passed off under another hash). So the
 * store reads and writes only while the signed-in user's records are open; after lock or sign-out it
 * refuses with LocalDataKeyError('key-required'). Older versions stored the bytes clear:
 * `sealClearBlobs` seals those once, each file in one write (a crash leaves every file either clear
 * or sealed, never lost; the next sign-in seals the rest).
 */
import Dexie, { type Table } from 'dexie';
import { sha256Hex } from './blob-upload.ts';
import { blobSealKeyOf, type LocalDatabase } from './database.ts';
import { LocalDataKeyError } from './local-data-key.ts';
import { CodedError } from '../../core/errors/index.ts';

/** A file as the upload and the screens see it: the bytes in clear, in memory only. */
export interface StoredBlob {
  sha256: string;
  bytes: Uint8Array;
  sizeBytes: number;
  mediaType: string;
  storedAt: string;
  /** Set once the hub verified the upload; the bytes may then be evicted. */
  uploadedAt: string | null;
}

/** A file as it lies on disk: `sealed` = IV (12 bytes) ‖ AES-GCM ciphertext with tag; `bytes` only in a row an older version wrote. */
export interface BlobRow {
  sha256: string;
  sealed?: Uint8Array;
  bytes?: Uint8Array;
  sizeBytes: number;
  mediaType: string;
  storedAt: string;
  uploadedAt: string | null;
}

/** Where the rows live: IndexedDB in the app (dexieBlobRows), a Map in Node tests. */
export interface BlobRows {
  get(sha256: string): Promise<BlobRow | undefined>;
  put(row: BlobRow): Promise<void>;
  all(): Promise<BlobRow[]>;
  close(): void;
}

export class BlobHashMismatchError extends CodedError<'localData.blob-hash-mismatch'> {
  override readonly name = 'BlobHashMismatchError';
  constructor() {
    super('localData.blob-hash-mismatch');
  }
}

export class BlobUnreadableError extends CodedError<'localData.blob-unreadable'> {
  override readonly name = 'BlobUnreadableError';
  constructor(options?: { cause?: unknown }) {
    super('localData.blob-unreadable', {}, options);
  }
}

class BlobDatabase extends Dexie {
  blobs!: Table<BlobRow, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ blobs: 'sha256' });
  }
}

/** The device's blob database in IndexedDB (one per PC, as before sealing). */
export const BLOB_DATABASE = 'clinic-workstation-blobs';

export function dexieBlobRows(name = BLOB_DATABASE): BlobRows {
  const db = new BlobDatabase(name);
  return {
    get: (sha256) => db.blobs.get(sha256),
    put: async (row) => void (await db.blobs.put(row)),
    all: () => db.blobs.toArray(),
    close: () => db.close(),
  };
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

const associatedData = (sha256: string) => new TextEncoder().encode(`blob:${sha256}`);

async function seal(key: CryptoKey, sha256: string, bytes: Uint8Array): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: associatedData(sha256) }, key, bytes as Uint8Array<ArrayBuffer>));
  const out = new Uint8Array(iv.length + sealed.length);
  out.set(iv);
  out.set(sealed, iv.length);
  return out;
}

async function unseal(key: CryptoKey, row: BlobRow): Promise<Uint8Array> {
  if (!row.sealed) {
    if (row.bytes) return row.bytes; // an older version's clear row, not sealed yet (sealClearBlobs)
    throw new BlobUnreadableError();
  }
  try {
    const clear = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: row.sealed.slice(0, 12), additionalData: associatedData(row.sha256) },
      key,
      row.sealed.slice(12),
    );
    return new Uint8Array(clear);
  } catch (cause) {
    throw new BlobUnreadableError({ cause });
  }
}

const sealedRow = async (key: CryptoKey, blob: Omit<BlobRow, 'sealed' | 'bytes'>, bytes: Uint8Array): Promise<BlobRow> => ({
  sha256: blob.sha256,
  sealed: await seal(key, blob.sha256, bytes),
  sizeBytes: blob.sizeBytes,
  mediaType: blob.mediaType,
  storedAt: blob.storedAt,
  uploadedAt: blob.uploadedAt,
});

/**
 * The blob store of the signed-in user's records: sealed with their database's key, readable only
 * while it is open (`records`: the protected database, sync/client/protected-database.ts).
 */
export function openBlobStore(records: LocalDatabase, rows: BlobRows = dexieBlobRows()): BlobStore {
  const key = async (): Promise<CryptoKey> => {
    const derived = blobSealKeyOf(records);
    if (!derived) throw new LocalDataKeyError('key-required');
    return derived;
  };
  return {
    async put(bytes, { sha256, mediaType }) {
      if ((await sha256Hex(bytes)) !== sha256) throw new BlobHashMismatchError();
      const sealingKey = await key();
      const existing = await rows.get(sha256);
      if (existing) return { ...existing, bytes: await unseal(sealingKey, existing) };
      const meta = { sha256, sizeBytes: bytes.length, mediaType, storedAt: new Date().toISOString(), uploadedAt: null };
      await rows.put(await sealedRow(sealingKey, meta, bytes));
      return { ...meta, bytes };
    },
    async get(sha256) {
      const sealingKey = await key();
      const row = await rows.get(sha256);
      if (!row) return undefined;
      const { sealed: _sealed, ...meta } = row;
      return { ...meta, bytes: await unseal(sealingKey, row) };
    },
    async markUploaded(sha256) {
      await key();
      const row = await rows.get(sha256);
      if (row) await rows.put({ ...row, uploadedAt: new Date().toISOString() });
    },
    async pending() {
      await key();
      return (await rows.all()).filter((b) => b.uploadedAt === null).map((b) => b.sha256);
    },
    close: () => rows.close(),
  };
}

/** Marks, in the records database, that no clear file is left (every file written since is sealed). */
const SEALED_DOC = 'local-data-blobs-sealed';

/**
 * Seals the files an older version stored clear (once per file; repeating it is harmless). Each file
 * is replaced by its sealed row in one write, so a crash midway leaves the rest clear for the next
 * sign-in, and nothing is ever lost. A clear row whose bytes do not match its hash is left as it is.
 * Once a pass completes it is marked, so later sign-ins do not read every stored file again.
 */
export async function sealClearBlobs(records: LocalDatabase, rows: BlobRows = dexieBlobRows()): Promise<{ sealed: number }> {
  const derived = blobSealKeyOf(records);
  if (!derived) throw new LocalDataKeyError('key-required');
  if (await records.getLocal(SEALED_DOC)) return { sealed: 0 };
  const sealingKey = await derived;
  let sealed = 0;
  for (const row of await rows.all()) {
    if (row.sealed || !row.bytes || (await sha256Hex(row.bytes)) !== row.sha256) continue;
    await rows.put(await sealedRow(sealingKey, row, row.bytes));
    sealed += 1;
  }
  await records.upsertLocal(SEALED_DOC, { at: new Date().toISOString(), sealed });
  return { sealed };
}
