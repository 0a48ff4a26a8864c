/**
 * The records database a signed-in user works in, opened only with the data key released at sign-in
 * (docs/security-local-data.md §2, §6).
 *
 * Two databases per institution:
 *   - the **boot** database `clinic-<institution>` (clear): what must be readable before anyone signs
 *     in — offline grants, the hub's keys, the keyring of sealed data-key copies. Older versions kept
 *     the records here too; they are moved out once (below).
 *   - the **protected** database `clinic-<institution>-protected`: records, outbox, needs-attention,
 *     card reads and drafts, sensitive fields encrypted under the data key. Closed at lock and
 *     sign-out, which drops the key and everything derived from it.
 *
 * Who gets the key: the first user of the workstation creates it; a user holding a copy opens it with
 * their password; a user without a copy (a second nurse) gets it from the workstation vault once the
 * hub has just verified their password (an online sign-in), and a copy of their own is sealed then.
 * The vault is the hub's escrow (escrowedKeyVault): the key sealed in the boot database under a secret
 * only a successful online sign-in on this workstation returns. Offline, such a user is refused with a
 * message saying to sign in online once.
 *
 * Moving a clear workstation (once, crash-safe): every record, the outbox, needs-attention, card-read
 * and draft documents are copied into the protected database (upserts: a re-run after a crash copies
 * the same again), then the protected database is marked `local-data-migrated`, then the boot
 * database's record collections and those documents are removed and it is marked
 * `local-data-records-moved`. A crash before the first mark repeats the copy; between the marks,
 * repeats only the removal. Nothing is removed before the copy is marked complete.
 */
import { base64url } from 'jose';
import { getAllCollectionDocuments, getChangedDocumentsSince, type RxStorage } from 'rxdb';
import { getLocalDocStateByParent } from 'rxdb/plugins/local-documents';
import { collectionNames, type CollectionName } from '../../core/records/index.ts';
import type { Writer } from '../protocol/index.ts';
import { addRecordCollections, createLocalDatabase, type LocalDatabase, type LocalDatabaseOptions } from './database.ts';
import { loadDraft, saveDraft } from './drafts.ts';
import {
  createKeyring,
  grantDataKey,
  hasKeyring,
  keyHolders,
  LocalDataKeyError,
  localDocumentKeyring,
  releaseDataKey,
  revokeDataKey,
  type DataKey,
} from './local-data-key.ts';
import { forgetOfflineGrants } from './offline-login.ts';

/**
 * A copy of the data key this PC can open for a user who never signed in here, once the hub verified
 * their password: the hub's escrow (escrowedKeyVault). Electron safeStorage is deliberately not used
 * (docs/security-local-data.md §2): on a shared Windows account it would open without a staff password.
 */
export interface WorkstationKeyVault {
  read(): Promise<DataKey | null>;
  write(dataKey: DataKey): Promise<void>;
}

export interface KeyReleaseOptions {
  username: string;
  password: string;
  /** The hub verified this password just now (an online sign-in), not only the offline verifier. */
  verifiedByHub: boolean;
  vault?: WorkstationKeyVault | undefined;
  /** PBKDF2 iterations for new copies (tests lower it; the default is local-data-key.ts's). */
  iterations?: number | undefined;
}

/** Releases (or, on a fresh workstation, creates) the data key for a user who has just signed in. */
export async function releaseWorkstationKey(boot: LocalDatabase, options: KeyReleaseOptions): Promise<DataKey> {
  const keyring = localDocumentKeyring(boot as never);
  const { username, password, vault } = options;
  if (!(await hasKeyring(keyring))) {
    // A vault key without a keyring (the keyring was lost) would orphan nothing: the protected
    // database, if any, opens only with that key, so reuse it when the hub vouched for the user.
    const kept = vault && options.verifiedByHub ? await vault.read() : null;
    const dataKey = kept ?? (await createKeyring(keyring, username, password, options.iterations));
    if (kept) await grantDataKey(keyring, kept, username, password, options.iterations);
    else if (vault) await vault.write(dataKey);
    return dataKey;
  }
  try {
    const dataKey = await releaseDataKey(keyring, username, password);
    if (vault && !(await vault.read())) await vault.write(dataKey);
    return dataKey;
  } catch (error) {
    // No copy yet (a second user), or a copy sealed under a password changed on the hub since.
    const recoverable = error instanceof LocalDataKeyError && (error.code === 'no-key-for-user' || error.code === 'wrong-password');
    if (!recoverable || !vault || !options.verifiedByHub) throw error;
    const dataKey = await vault.read();
    if (!dataKey) throw error;
    await grantDataKey(keyring, dataKey, username, password, options.iterations);
    return dataKey;
  }
}

const ESCROWED_DOC = 'local-data-key-escrowed';

const escrowKey = async (secret: string): Promise<CryptoKey> => {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode('clinic-workstation local-data key escrow v1') },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
};

/**
 * The workstation vault held by the hub: the data key sealed (AES-256-GCM) in the boot database
 * under a secret the hub returns only in a successful online sign-in on this workstation
 * (`localDataEscrow`, hub migration 025). The copied disk has the sealed key but not the secret.
 */
export function escrowedKeyVault(boot: LocalDatabase, secret: string): WorkstationKeyVault {
  return {
    async read() {
      const doc = (await boot.getLocal(ESCROWED_DOC))?.toJSON().data as { iv?: unknown; sealed?: unknown } | undefined;
      if (typeof doc?.iv !== 'string' || typeof doc.sealed !== 'string') return null;
      try {
        const iv = new Uint8Array(base64url.decode(doc.iv));
        const bytes = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, await escrowKey(secret), new Uint8Array(base64url.decode(doc.sealed)));
        return new TextDecoder().decode(bytes);
      } catch {
        return null; // another hub's secret, or altered on disk: no key from here
      }
    },
    async write(dataKey) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await escrowKey(secret), new TextEncoder().encode(dataKey));
      await boot.upsertLocal(ESCROWED_DOC, { iv: base64url.encode(iv), sealed: base64url.encode(new Uint8Array(sealed)) });
    },
  };
}

/**
 * The hub disabled this user (a sign-in or refresh refused with `authRules.userDisabled`): their
 * offline grant and their copy of the data key go, so neither an offline sign-in nor their password
 * opens this PC's records again. One exception keeps records from being lost: the last copy is kept
 * when no escrowed copy exists (a hub older than the escrow), since the records' unsent changes would
 * otherwise be unreadable for good; without the grant that copy opens nothing through the app.
 */
export async function forgetDisabledUser(boot: LocalDatabase, username: string): Promise<{ keyRevoked: boolean }> {
  await forgetOfflineGrants(boot, username);
  const keyring = localDocumentKeyring(boot as never);
  const others = (await keyHolders(keyring)).filter((u) => u !== username.normalize('NFC'));
  if (others.length === 0 && !(await boot.getLocal(ESCROWED_DOC))) return { keyRevoked: false };
  await revokeDataKey(keyring, username);
  return { keyRevoked: true };
}

const MIGRATED_DOC = 'local-data-migrated';
const MOVED_DOC = 'local-data-records-moved';
/** Local documents that belong with the records (sync bookkeeping, drafts), not with the boot data. */
const MOVED_LOCAL_DOCS = ['sync-outbox', 'sync-needs-attention', 'sync-card-reads'];
const DRAFT_PREFIX = 'draft:';
const PAGE = 2000;

/** Every local document id of a database (RxDB has no public listing). */
async function localDocumentIds(db: LocalDatabase): Promise<string[]> {
  const state = await getLocalDocStateByParent(db as never);
  const ids: string[] = [];
  let checkpoint: unknown;
  for (;;) {
    const page = await getChangedDocumentsSince(state.storageInstance, PAGE, checkpoint as never);
    for (const d of page.documents) if (!d._deleted) ids.push(d.id);
    if (page.documents.length < PAGE) return ids;
    checkpoint = page.checkpoint;
  }
}

/** Copies records and record-side local documents from the clear boot database (idempotent). */
async function copyClearRecords(boot: LocalDatabase, target: LocalDatabase): Promise<number> {
  let copied = 0;
  for (const name of collectionNames) {
    const source = boot[name] as unknown as { find(q: object): { exec(): Promise<Array<{ toMutableJSON(w: false): { id: string } }>> } };
    let after = '';
    for (;;) {
      const docs = (await source.find({ selector: { id: { $gt: after } }, sort: [{ id: 'asc' }], limit: PAGE }).exec()).map((d) => d.toMutableJSON(false));
      if (docs.length === 0) break;
      const result = await (target[name as CollectionName] as unknown as { bulkUpsert(d: unknown[]): Promise<{ error: unknown[] }> }).bulkUpsert(docs);
      if (result.error.length > 0) throw new Error(`${result.error.length} ${name} records could not be copied into the encrypted database`);
      copied += docs.length;
      after = docs.at(-1)!.id;
    }
  }
  for (const id of await localDocumentIds(boot)) {
    if (id.startsWith(DRAFT_PREFIX)) {
      const key = id.slice(DRAFT_PREFIX.length);
      const draft = await loadDraft(boot, key);
      if (draft) await saveDraft(target, key, draft.payload); // sealed in the protected database
    } else if (MOVED_LOCAL_DOCS.includes(id)) {
      const data = (await boot.getLocal(id))?.toJSON().data;
      if (data) await target.upsertLocal(id, data as never);
    }
  }
  return copied;
}

/** Removes the clear copies once they are safely in the protected database. */
async function removeClearRecords(boot: LocalDatabase): Promise<void> {
  for (const name of collectionNames) {
    // Removes the collection's storage, its replication bookkeeping included.
    const collection = boot[name] as unknown as { remove(): Promise<void> } | undefined;
    if (collection) await collection.remove();
  }
  for (const id of await localDocumentIds(boot)) {
    if (id.startsWith(DRAFT_PREFIX) || MOVED_LOCAL_DOCS.includes(id)) await (await boot.getLocal(id))?.remove();
  }
}

/** Moves a clear workstation's records into the protected database once (see the file comment). */
export async function moveClearRecords(boot: LocalDatabase, target: LocalDatabase, now = () => new Date().toISOString()): Promise<{ copied: number }> {
  if (await boot.getLocal(MOVED_DOC)) return { copied: 0 };
  let copied = 0;
  if (!(await target.getLocal(MIGRATED_DOC))) {
    copied = await copyClearRecords(boot, target);
    await target.upsertLocal(MIGRATED_DOC, { at: now(), copied });
  }
  await removeClearRecords(boot);
  await boot.upsertLocal(MOVED_DOC, { at: now() });
  return { copied };
}

export interface ProtectedDatabaseOptions extends KeyReleaseOptions {
  /** The boot database (clear): keyring, offline grants, and an older version's records. */
  boot: LocalDatabase;
  /** The protected database's name, e.g. `clinic-<institution>-protected`. */
  name: string;
  storage: RxStorage<unknown, unknown>;
  writer: Writer;
  devMode?: boolean | undefined;
}

/**
 * The clear boot database (keyring, offline grants) as a page opens it at boot. Its record collections
 * open only while an older version's clear records wait to move into the protected database: kept open
 * beside the protected database's, they put the page over RxDB's collection limit at every sign-in and
 * unlock (database.ts, `records`). A boot database that never held records (a workstation installed
 * since) is marked moved.
 */
export async function openBootDatabase(options: Omit<LocalDatabaseOptions, 'records' | 'dataKey'>): Promise<LocalDatabase> {
  const boot = await createLocalDatabase({ ...options, records: false });
  try {
    if (await boot.getLocal(MOVED_DOC)) return boot;
    const known = await getAllCollectionDocuments(boot.internalStore);
    if (known.some((c) => (collectionNames as readonly string[]).includes(c.data.name))) await addRecordCollections(boot, options);
    else await boot.upsertLocal(MOVED_DOC, { at: new Date().toISOString() });
    return boot;
  } catch (error) {
    await boot.close();
    throw error;
  }
}

/** Releases the key and opens the protected database, moving clear records into it the first time. */
export async function openProtectedDatabase(options: ProtectedDatabaseOptions): Promise<LocalDatabase> {
  const dataKey = await releaseWorkstationKey(options.boot, options);
  const db = await createLocalDatabase({ name: options.name, storage: options.storage, writer: options.writer, devMode: options.devMode, dataKey });
  try {
    await moveClearRecords(options.boot, db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

export const protectedDatabaseName = (institutionId: string) => `clinic-${institutionId}-protected`;
