/**
 * Opens everything the screens need: at boot the enrolled institution's local database (IndexedDB
 * through the sync client), the blob store (once: the ECG screen saves captures to it, remote
 * diagnosis uploads from it) and the item catalogue; after sign-in, replication with the hub under
 * the user's token (never awaited: the UI works at once, offline or not). The item catalogue is an
 * administrator's ./catalog/items.json if present, else the bundled starter set.
 */
import { loadItemCatalog, starterItemCatalog, type ItemCatalog } from '../../core/catalog/index.ts';
import type { BlobStore } from '../../sync/client/blob-store.ts';
import { browserStorage, type LocalDatabase } from '../../sync/client/database.ts';
import { openBootDatabase } from '../../sync/client/protected-database.ts';
import { startReplication, type SyncController } from '../../sync/client/replication.ts';
import type { Writer } from '../../sync/protocol/index.ts';
import type { RecordRepository } from './repository.ts';

export async function loadCatalog(fetchImpl: typeof fetch = (...a) => fetch(...a)): Promise<ItemCatalog> {
  try {
    const response = await fetchImpl('./catalog/items.json', { cache: 'no-store', signal: AbortSignal.timeout(3000) });
    if (response.ok && response.headers.get('content-type')?.includes('json')) return loadItemCatalog(await response.json());
  } catch (error) {
    // A replaced file that does not validate is reported and the starter set used, so registration never stops.
    console.warn('Item catalogue override not used:', error instanceof Error ? error.message : error);
  }
  return starterItemCatalog();
}

/** The signed-in user's records: the protected database opened with the released key (protected-records.ts). */
export interface LocalClinicStore {
  db: LocalDatabase;
  /** Captured files (DICOM ECGs) until uploaded, sealed with the same key. */
  blobs: BlobStore;
  repo: RecordRepository;
  catalog: ItemCatalog;
  writer: Writer;
}

/**
 * What an enrolled workstation opens at boot, before anyone signs in: the clear boot database
 * (offline grants, the hub's keys, the keyring; sync/client/protected-database.ts) and the catalogue.
 * The blob store opens with the records (LocalClinicStore): its files are sealed with their key.
 */
export interface BootStore {
  boot: LocalDatabase;
  catalog: ItemCatalog;
  writer: Writer;
}

export async function openBootStore(institution: { id: string; kind: string }): Promise<BootStore> {
  // The county ECG centre writes as the centre (its conflict rules differ, sync/protocol/conflicts.ts).
  const writer: Writer = { institutionId: institution.id, role: institution.kind === 'ecg_center' ? 'ecg-center' : 'clinic' };
  const [boot, catalog] = await Promise.all([openBootDatabase({ name: `clinic-${institution.id}`, storage: browserStorage(), writer }), loadCatalog()]);
  return { boot, catalog, writer };
}

/** Replication with the hub under the signed-in user's token; never awaited by the UI. */
export async function startClinicSync(store: LocalClinicStore, hubUrl: string, getToken: () => Promise<string>): Promise<SyncController> {
  return startReplication({ db: store.db, writer: store.writer, hubUrl, getToken, retry: { initialMs: 1000, maxMs: 30_000 } });
}
