/**
 * One remote-diagnosis service per open clinic database, started on first use by any screen (the
 * ECG screen, the critical-finding alert) and shared by all of them. It reads the hub connection of
 * whoever is signed in now, uploads from the clinic's one blob store (opened at boot,
 * services/records/open-clinic-records.ts), and retries at once when replication reaches the hub again.
 */
import { useEffect } from 'react';
import type { HubConnection } from '../../../sync/client/hub-http.ts';
import type { ClinicContextValue } from '../../records/ClinicContext.tsx';
import { useClinic } from '../../records/ClinicContext.tsx';
import type { RecordRepository } from '../../../services/records/repository.ts';
import { startRemoteDiagnosis, type RemoteDiagnosis } from '../../../services/remote-diagnosis/remote-diagnosis.ts';

const services = new WeakMap<RecordRepository, { service: RemoteDiagnosis; hub: HubConnection | null }>();

export function remoteDiagnosisFor(clinic: Pick<ClinicContextValue, 'repo' | 'hub' | 'blobs'>): RemoteDiagnosis {
  let entry = services.get(clinic.repo);
  if (!entry) {
    const holder: { service: RemoteDiagnosis; hub: HubConnection | null } = { service: undefined as never, hub: clinic.hub ?? null };
    holder.service = startRemoteDiagnosis({ repo: clinic.repo, blobs: clinic.blobs, hub: () => holder.hub });
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
