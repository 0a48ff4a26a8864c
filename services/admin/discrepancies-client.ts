/**
 * The county patient-index administrator's reads and decisions on the hub (sync/protocol/access.ts),
 * under the signed-in administrator's token. Answers are parsed with the shared schemas; a refusal
 * arrives as the sync client's SyncError with the hub's Chinese and English message.
 */
import { hubJson, type HubConnection } from '../../sync/client/hub-http.ts';
import {
  discrepanciesResponseSchema,
  discrepancyPaths,
  resolveDiscrepancyResponseSchema,
  type IdentityDiscrepancy,
} from '../../sync/protocol/access.ts';

export type DiscrepancyResolution = 'accepted' | 'rejected';

export interface DiscrepancySource {
  /** Open discrepancies, newest first. */
  open(): Promise<IdentityDiscrepancy[]>;
  resolve(id: number, resolution: DiscrepancyResolution): Promise<{ id: number; resolution: DiscrepancyResolution }>;
}

export function hubDiscrepancySource(hub: HubConnection): DiscrepancySource {
  return {
    async open() {
      return (await hubJson(hub, discrepancyPaths.list('open'), discrepanciesResponseSchema, { signal: AbortSignal.timeout(15_000) })).discrepancies;
    },
    resolve: (id, resolution) =>
      hubJson(hub, discrepancyPaths.resolve(id), resolveDiscrepancyResponseSchema, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resolution }),
        signal: AbortSignal.timeout(15_000),
      }),
  };
}
