/**
 * The patient-index queue on the signed-in county administrator's hub connection (ClinicContext.hub).
 * A workstation with no hub configured gets the queue's "no hub" notice.
 */
import { useMemo } from 'react';
import { useClinic } from '../../records/ClinicContext.tsx';
import { hubDiscrepancySource } from '../../../services/admin/discrepancies-client.ts';
import { DiscrepancyQueue } from './DiscrepancyQueue.tsx';

export function PatientIndexPanel() {
  const { hub } = useClinic();
  const source = useMemo(() => (hub ? hubDiscrepancySource(hub) : null), [hub]);
  return <DiscrepancyQueue source={source} />;
}
