/**
 * Opens everything the screens need: at boot the enrolled institution's local database (IndexedDB
 * through the sync client) and the item catalogue; after sign-in, replication with the hub under the
 * user's token (never awaited: the UI works at once, offline or not). The item catalogue is an
 * administrator's ./catalog/items.json if present, else the bundled starter set.
 */
import { loadItemCatalog, starterItemCatalog, type ItemCatalog } from '../../core/catalog/index.ts';
import { browserStorage, createLocalDatabase, type LocalDatabase } from '../../sync/client/database.ts';
import type { HubConnection } from '../../sync/client/hub-http.ts';
import { startReplication, type SyncController } from '../../sync/client/replication.ts';
import type { Writer } from '../../sync/protocol/index.ts';
import { clinicRecords } from './clinic-records.ts';
import type { ClinicContextValue } from '../../renderer/records/ClinicContext.tsx';
import type { ClinicSession, RecordRepository } from './repository.ts';
import { syncStatusSource } from './sync-status-source.ts';

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
  repo: RecordRepository;
  catalog: ItemCatalog;
  writer: Writer;
}

/**
 * What an enrolled workstation opens at boot, before anyone signs in: the clear boot database
 * (offline grants, the hub's keys, the keyring; sync/client/protected-database.ts) and the catalogue.
 */
export interface BootStore {
  boot: LocalDatabase;
  catalog: ItemCatalog;
  writer: Writer;
}

export async function openBootStore(institution: { id: string; kind: string }): Promise<BootStore> {
  // The county ECG centre writes as the centre (its conflict rules differ, sync/protocol/conflicts.ts).
  const writer: Writer = { institutionId: institution.id, role: institution.kind === 'ecg_center' ? 'ecg-center' : 'clinic' };
  const [boot, catalog] = await Promise.all([createLocalDatabase({ name: `clinic-${institution.id}`, storage: browserStorage(), writer }), loadCatalog()]);
  return { boot, catalog, writer };
}

/** Replication with the hub under the signed-in user's token; never awaited by the UI. */
export async function startClinicSync(store: LocalClinicStore, hubUrl: string, getToken: () => Promise<string>): Promise<SyncController> {
  return startReplication({ db: store.db, writer: store.writer, hubUrl, getToken, retry: { initialMs: 1000, maxMs: 30_000 } });
}

/** What the screens get once a user is signed in: records written in that user's name, the hub under their token. */
export function clinicContextFor(store: LocalClinicStore, session: ClinicSession, sync: SyncController | null, hub: HubConnection | null): ClinicContextValue {
  return { repo: store.repo, records: clinicRecords(store.repo, session), session, catalog: store.catalog, sync: sync ? syncStatusSource(sync) : null, hub };
}
