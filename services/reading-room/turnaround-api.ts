/**
 * The reading room's turnaround calls to the hub (paths and wire types: sync/protocol/turnaround.ts).
 *
 * - `fetchTurnaround`: the centre dashboard's figures (ECG-centre cardiologists/administrators and
 *   county administrators; others get 403).
 * - `reportStudyOpened`: call it when a cardiologist opens a study in the viewer. The hub stamps the
 *   first opening with its own clock (later calls change nothing); claiming a study counts as
 *   opening too, so this matters for a study looked at before (or without) claiming it.
 */
import { hubJson, type HubConnection } from '../../sync/client/hub-http.ts';
import {
  studyTurnaroundSchema,
  turnaroundPath,
  turnaroundSummarySchema,
  type StudyTurnaround,
  type TurnaroundQuery,
  type TurnaroundSummary,
} from '../../sync/protocol/turnaround.ts';

export const fetchTurnaround = (hub: HubConnection, query: Partial<TurnaroundQuery> = {}): Promise<TurnaroundSummary> =>
  hubJson(hub, turnaroundPath.summary(query), turnaroundSummarySchema);

export const reportStudyOpened = (hub: HubConnection, studyId: string): Promise<StudyTurnaround> =>
  hubJson(hub, turnaroundPath.opened(studyId), studyTurnaroundSchema, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
