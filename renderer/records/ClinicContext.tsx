/**
 * The local records, the operations on them and the catalogues, for every screen. Provided once at
 * boot (main.tsx) over the sync client, or over an in-memory repository in component tests.
 */
import { createContext, useContext, useEffect, useState } from 'react';
import type { ItemCatalog } from '../../core/catalog/index.ts';
import type { CollectionName } from '../../core/records/index.ts';
import type { ClinicRecords } from '../../services/records/clinic-records.ts';
import type { ClinicSession, RecordRepository, SyncStatusSource } from '../../services/records/repository.ts';
import type { HubConnection } from '../../sync/client/hub-http.ts';

export interface ClinicContextValue {
  repo: RecordRepository;
  records: ClinicRecords;
  session: ClinicSession;
  catalog: ItemCatalog;
  /** null when no replication runs (no hub configured): the sync panel says so. */
  sync: SyncStatusSource | null;
  /** The county hub for calls beside replication (ECG file upload, remote diagnosis); null/absent offline-only. */
  hub?: HubConnection | null;
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
