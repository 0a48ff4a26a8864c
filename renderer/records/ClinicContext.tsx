/**
 * The local records, the operations on them and the catalogues, for every screen. Provided once at
 * boot (main.tsx) over the sync client, or over an in-memory repository in component tests.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import type { ItemCatalog } from '../../core/catalog/index.ts';
import type { CollectionName } from '../../core/records/index.ts';
import { clinicRecords, type ClinicRecords } from '../../services/records/clinic-records.ts';
import type { LocalClinicStore } from '../../services/records/open-clinic-records.ts';
import type { ClinicSession, RecordRepository, SyncStatusSource } from '../../services/records/repository.ts';
import { syncStatusSource } from '../../services/records/sync-status-source.ts';
import type { BlobStore } from '../../sync/client/blob-store.ts';
import type { HubConnection } from '../../sync/client/hub-http.ts';
import type { SyncController } from '../../sync/client/replication.ts';

export interface ClinicContextValue {
  repo: RecordRepository;
  records: ClinicRecords;
  session: ClinicSession;
  catalog: ItemCatalog;
  /** null when no replication runs (no hub configured): the sync panel says so. */
  sync: SyncStatusSource | null;
  /** The county hub for calls beside replication (ECG file upload, remote diagnosis); null/absent offline-only. */
  hub?: HubConnection | null;
  /**
   * Captured files of the open records, sealed on disk with their key (opened and closed with them,
   * services/records/protected-records.ts); absent in component tests that need none.
   */
  blobs?: BlobStore;
}

/** What the screens get once a user is signed in: records written in that user's name, the hub under their token. */
export function clinicContextFor(store: LocalClinicStore, session: ClinicSession, sync: SyncController | null, hub: HubConnection | null): ClinicContextValue {
  return { repo: store.repo, records: clinicRecords(store.repo, session), session, catalog: store.catalog, sync: sync ? syncStatusSource(sync) : null, hub, blobs: store.blobs };
}

export const ClinicContext = createContext<ClinicContextValue | null>(null);

export function useClinic(): ClinicContextValue {
  const value = useContext(ClinicContext);
  if (!value) throw new Error('useClinic outside <ClinicContext.Provider>');
  return value;
}

/** A number that changes whenever one of the collections changes: a dependency for reloading views. */
export function useCollectionVersion(...collections: CollectionName[]): number {
  const { repo } = useClinic();
  const [version, setVersion] = useState(0);
  const key = collections.join(',');
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    const offs = key.split(',').map((c) => repo.onChange(c as CollectionName, bump));
    return () => offs.forEach((off) => off());
  }, [repo, key]);
  return version;
}
