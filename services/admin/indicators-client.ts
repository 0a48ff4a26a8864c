/**
 * The dashboard's reads from the hub, under the signed-in administrator's token (the session's
 * HubConnection). Answers are parsed with the shared protocol schema; failures are the sync client's
 * SyncError, which carries the hub's Chinese and English message.
 */
import { hubJson, type HubConnection } from '../../sync/client/hub-http.ts';
import { indicatorResponseSchema, recognitionPaths, type IndicatorQuery, type IndicatorResponse } from '../../sync/protocol/recognition.ts';

export interface IndicatorsSource {
  load(query: IndicatorQuery): Promise<IndicatorResponse>;
}

export function hubIndicatorsSource(hub: HubConnection): IndicatorsSource {
  return {
    load(query) {
      const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string'));
      return hubJson(hub, `${recognitionPaths.indicators}?${params}`, indicatorResponseSchema, { signal: AbortSignal.timeout(15_000) });
    },
  };
}
