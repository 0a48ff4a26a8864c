/**
 * The indicators dashboard on the signed-in administrator's hub connection (ClinicContext.hub). A
 * workstation with no hub configured gets the dashboard's "no hub" notice.
 */
import { useMemo } from 'react';
import { useClinic } from '../records/ClinicContext.tsx';
import { hubIndicatorsSource } from '../../services/admin/indicators-client.ts';
import { IndicatorsDashboard } from './IndicatorsDashboard.tsx';

export function IndicatorsPanel() {
  const { hub } = useClinic();
  const source = useMemo(() => (hub ? hubIndicatorsSource(hub) : null), [hub]);
  return <IndicatorsDashboard source={source} />;
}
