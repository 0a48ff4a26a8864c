/**
 * The workstation's local database: RxDB 17 with one collection per record type
 * (core/records/definitions.ts), schemas derived from the zod record schemas, and drafts kept as RxDB
 * local documents. In the browser it runs on Dexie (IndexedDB); Node tests use the memory storage.
 * With `devMode` the RxDB dev-mode plugin checks schemas and queries and every write is validated
 * against the JSON schema with ajv (RxDB requires the wrapped storage in dev-mode).
 */
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
import { migrationStrategies as defaultMigrationStrategies } from './migrations.ts';
import type { Writer } from '../protocol/index.ts';

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

export const rxdbSchemaOf = (collection: CollectionName, definition: RecordDefinition): RxJsonSchema<unknown> =>
  toRxdbJsonSchema(definition.schema, { version: definition.version, indexes: definition.indexes, title: collection }) as unknown as RxJsonSchema<unknown>;

export async function createLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  if (options.devMode) await loadDevMode();
  const storage = options.devMode ? wrappedValidateAjvStorage({ storage: options.storage }) : options.storage;
  const db = await createRxDatabase<LocalCollections>({
    name: options.name,
    storage,
    localDocuments: true,
    // One window per workstation; the Electron app never opens a second tab on the same data.
    multiInstance: false,
    eventReduce: true,
    closeDuplicates: true,
  });
  const definitions = { ...recordDefinitions, ...options.definitions } as Record<CollectionName, RecordDefinition>;
  const strategies = { ...defaultMigrationStrategies, ...options.migrationStrategies };
  try {
    await db.addCollections(
      Object.fromEntries(
        collectionNames.map((name) => [
          name,
          {
            schema: rxdbSchemaOf(name, definitions[name]),
            migrationStrategies: strategies[name],
            conflictHandler: createConflictHandler(name, options.writer),
            // Migrate on open: a clinic PC updated overnight must start with its data usable.
            autoMigrate: true,
          },
        ]),
      ) as never,
    );
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}
