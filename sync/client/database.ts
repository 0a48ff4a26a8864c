/**
 * The workstation's local database: RxDB 17 with one collection per record type
 * (core/records/definitions.ts), schemas derived from the zod record schemas, and drafts kept as RxDB
 * local documents. In the browser it runs on Dexie (IndexedDB); Node tests use the memory storage.
 * With `devMode` the RxDB dev-mode plugin checks schemas and queries and every write is validated
 * against the JSON schema with ajv (RxDB requires the wrapped storage in dev-mode).
 *
 * With a data key (local-data-key.ts) the sensitive fields each record definition lists are stored
 * encrypted (field-encryption.ts: AES-256-GCM under a key derived from the data key; RxDB encrypts
 * the replication meta copies whole), and so are the drafts (local-seal.ts) and captured files
 * (blob-store.ts), each under a key of its own derived from the data key. A database is encrypted or clear
 * for its whole life: RxDB refuses a key on a database created without one, and this module refuses
 * to open an encrypted one without its key (docs/security-local-data.md).
 */
import { base64url } from 'jose';
import { addRxPlugin, createRxDatabase, type MigrationStrategies, type RxCollection, type RxDatabase, type RxJsonSchema, type RxStorage } from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import {
  collectionNames,
  recordDefinitions,
  toRxdbJsonSchema,
  type CollectionName,
  type RecordDefinition,
  type RecordTypes,
} from '../../core/records/index.ts';
import { createConflictHandler } from './conflict-handler.ts';
import { forgetFieldKey, wrappedFieldEncryptionStorage } from './field-encryption.ts';
import { LocalDataKeyError, type DataKey } from './local-data-key.ts';
import { migrationStrategies as defaultMigrationStrategies } from './migrations.ts';
import type { Writer } from '../protocol/index.ts';

/** base64url → bytes on a fresh ArrayBuffer (WebCrypto's BufferSource type). */
const fromBase64url = (s: string): Uint8Array<ArrayBuffer> => new Uint8Array(base64url.decode(s));


addRxPlugin(RxDBLocalDocumentsPlugin);
addRxPlugin(RxDBMigrationSchemaPlugin);

export type LocalCollections = { [C in CollectionName]: RxCollection<RecordTypes[C]> };
export type LocalDatabase = RxDatabase<LocalCollections>;

export interface LocalDatabaseOptions {
  /** IndexedDB database name, e.g. `clinic-${institutionId}`. */
  name: string;
  storage: RxStorage<unknown, unknown>;
  /** The workstation's institution and role: conflict rules depend on who writes. */
  writer: Writer;
  /** Dev-mode checks and ajv validation of every write; on in tests and development builds. */
  devMode?: boolean;
  /**
   * The data key released to the signed-in user: sensitive fields and drafts are stored encrypted.
   * Without it the database is clear (and one created encrypted refuses to open).
   */
  dataKey?: DataKey;
  /**
   * false: the database and its local documents only, no record collections (the boot database once
   * its records moved, protected-database.ts). RxDB's open-core build lets one page hold 13 collections
   * at a time: a page that opens more waits about 1.8 s for one to close, then fails (COL23).
   */
  records?: boolean;
  /** Test seam: replace a collection's definition (a schema at a higher version) and its migrations. */
  definitions?: Partial<Record<CollectionName, RecordDefinition>>;
  migrationStrategies?: Partial<Record<CollectionName, MigrationStrategies>>;
}

/** IndexedDB through Dexie: the browser and Electron renderer storage. */
export const browserStorage = (): RxStorage<unknown, unknown> => getRxStorageDexie() as RxStorage<unknown, unknown>;
/** In-memory storage for Node tests and benchmarks. Reuse one instance to "reload" a database. */
export const memoryStorage = (): RxStorage<unknown, unknown> => getRxStorageMemory() as RxStorage<unknown, unknown>;

let devModeLoaded: Promise<void> | undefined;
const loadDevMode = () =>
  (devModeLoaded ??= import('rxdb/plugins/dev-mode').then(({ RxDBDevModePlugin, disableWarnings }) => {
    disableWarnings();
    addRxPlugin(RxDBDevModePlugin);
  }));

export const rxdbSchemaOf = (collection: CollectionName, definition: RecordDefinition, encrypted = false): RxJsonSchema<unknown> =>
  toRxdbJsonSchema(definition.schema, {
    version: definition.version,
    indexes: definition.indexes,
    title: collection,
    ...(encrypted ? { encrypted: definition.encrypted } : {}),
  }) as unknown as RxJsonSchema<unknown>;

/** Marks how a database was created, so a clear open of an encrypted one is refused, not misread. */
const PROTECTION_DOC = 'local-data-protection';

/**
 * AES-GCM keys of an open encrypted database, derived from its data key by HKDF-SHA256, one per use:
 * sealing local documents (drafts…, local-seal.ts) and sealing captured files (blob-store.ts). Gone
 * when the database closes.
 */
interface DerivedKeys {
  localDocuments: Promise<CryptoKey>;
  blobs: Promise<CryptoKey>;
}
const derivedKeys = new WeakMap<LocalDatabase, DerivedKeys>();
export const localSealKeyOf = (db: LocalDatabase): Promise<CryptoKey> | undefined => (db.closed ? undefined : derivedKeys.get(db)?.localDocuments);
export const blobSealKeyOf = (db: LocalDatabase): Promise<CryptoKey> | undefined => (db.closed ? undefined : derivedKeys.get(db)?.blobs);

const deriveSealKey = async (dataKey: DataKey, purpose: string): Promise<CryptoKey> => {
  const material = await crypto.subtle.importKey('raw', fromBase64url(dataKey), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(`clinic-workstation ${purpose} v1`) },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
};

const isRxError = (e: unknown, code: string) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === code;

export async function createLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  if (options.devMode) await loadDevMode();
  const encrypted = options.dataKey !== undefined;
  // Validation sees clear documents; encryption sits between it and the disk.
  const base = encrypted ? wrappedFieldEncryptionStorage({ storage: options.storage }) : options.storage;
  const storage = options.devMode ? wrappedValidateAjvStorage({ storage: base }) : base;
  let db: LocalDatabase;
  try {
    db = await createRxDatabase<LocalCollections>({
      name: options.name,
      storage,
      localDocuments: true,
      // One window per workstation; the Electron app never opens a second tab on the same data.
      multiInstance: false,
      eventReduce: true,
      closeDuplicates: true,
      ...(encrypted ? { password: options.dataKey } : {}),
    });
  } catch (e) {
    if (isRxError(e, 'DB1')) throw new LocalDataKeyError('wrong-key', { cause: e });
    throw e;
  }
  try {
    const protection = await db.getLocal<{ encrypted: boolean }>(PROTECTION_DOC);
    if (protection?.get('encrypted') === true && !encrypted) throw new LocalDataKeyError('key-required');
    if (!protection) await db.upsertLocal(PROTECTION_DOC, { encrypted });
  } catch (e) {
    await db.close();
    throw e;
  }
  if (options.dataKey !== undefined) {
    const dataKey = options.dataKey;
    derivedKeys.set(db, { localDocuments: deriveSealKey(dataKey, 'local documents'), blobs: deriveSealKey(dataKey, 'blobs') });
    // Closing (sign-out, lock) leaves no derived key behind in this module.
    db.onClose.push(() => forgetFieldKey(dataKey));
  }
  if (options.records === false) return db;
  try {
    await addRecordCollections(db, options);
  } catch (e) {
    await db.close();
    // DB1 (raised once RxDB has read its storage token): the stored key hash differs — another key,
    // or a database created clear.
    if (isRxError(e, 'DB1')) throw new LocalDataKeyError('wrong-key', { cause: e });
    throw e;
  }
  return db;
}

/**
 * Opens the record collections of a database: createLocalDatabase does unless `records: false`;
 * openBootDatabase (protected-database.ts) does on the boot database only while records wait to move.
 */
export async function addRecordCollections(db: LocalDatabase, options: Pick<LocalDatabaseOptions, 'writer' | 'dataKey' | 'definitions' | 'migrationStrategies'>): Promise<void> {
  const definitions = { ...recordDefinitions, ...options.definitions } as Record<CollectionName, RecordDefinition>;
  const strategies = { ...defaultMigrationStrategies, ...options.migrationStrategies };
  await db.addCollections(
    Object.fromEntries(
      collectionNames.map((name) => [
        name,
        {
          schema: rxdbSchemaOf(name, definitions[name], options.dataKey !== undefined),
          migrationStrategies: strategies[name],
          conflictHandler: createConflictHandler(name, options.writer),
          // Migrate on open: a clinic PC updated overnight must start with its data usable.
          autoMigrate: true,
        },
      ]),
    ) as never,
  );
}
