/**
 * One remote-diagnosis service per open clinic database, started on first use by any screen (the
 * ECG screen, the critical-finding alert) and shared by all of them. It reads the hub connection of
 * whoever is signed in now, uploads from the open records' blob store (sealed with their key,
 * services/records/protected-records.ts), and retries at once when replication reaches the hub again.
 */
import { useEffect } from 'react';
import type { HubConnection } from '../../../sync/client/hub-http.ts';
import type { BlobStore } from '../../../sync/client/blob-store.ts';
import { LocalDataKeyError } from '../../../sync/client/local-data-key.ts';
import type { ClinicContextValue } from '../../records/ClinicContext.tsx';
import { useClinic } from '../../records/ClinicContext.tsx';
import type { RecordRepository } from '../../../services/records/repository.ts';
import { startRemoteDiagnosis, type RemoteDiagnosis } from '../../../services/remote-diagnosis/remote-diagnosis.ts';

const services = new WeakMap<RecordRepository, { service: RemoteDiagnosis; hub: HubConnection | null }>();

const locked = async (): Promise<never> => {
  throw new LocalDataKeyError('key-required');
};
/** Stands in when no records are open: every use says the data is locked. */
const lockedBlobStore: BlobStore = { put: locked, get: locked, markUploaded: locked, pending: locked, close: () => undefined };

/** The blob store of the open records (the one the ECG screen saves captures to), sealed with their key. */
export const clinicBlobStore = (clinic: Pick<ClinicContextValue, 'blobs'>): BlobStore => clinic.blobs ?? lockedBlobStore;

export function remoteDiagnosisFor(clinic: Pick<ClinicContextValue, 'repo' | 'hub' | 'blobs'>): RemoteDiagnosis {
  let entry = services.get(clinic.repo);
  if (!entry) {
    const holder: { service: RemoteDiagnosis; hub: HubConnection | null } = { service: undefined as never, hub: clinic.hub ?? null };
    holder.service = startRemoteDiagnosis({ repo: clinic.repo, blobs: clinicBlobStore(clinic), hub: () => holder.hub });
    services.set(clinic.repo, (entry = holder));
  }
  entry.hub = clinic.hub ?? null;
  return entry.service;
}

export function useRemoteDiagnosis(): RemoteDiagnosis {
  const clinic = useClinic();
  const service = remoteDiagnosisFor(clinic);
  const { sync } = clinic;
  useEffect(() => {
    if (!sync) return;
    let failing = sync.current().error !== null;
    return sync.subscribe((state) => {
      if (failing && state.error === null) service.wake();
      failing = state.error !== null;
    });
  }, [sync, service]);
  return service;
}
