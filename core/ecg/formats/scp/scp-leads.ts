/** SCP-ECG lead identifiers (EN 1064 section 3, table of lead IDs) for the 12 standard leads. */
import type { StandardLead } from '../../recording.ts';

export const scpLeadIds: Record<StandardLead, number> = {
  I: 1, II: 2, V1: 3, V2: 4, V3: 5, V4: 6, V5: 7, V6: 8, III: 61, aVR: 62, aVL: 63, aVF: 64,
};

const leadById = new Map(Object.entries(scpLeadIds).map(([lead, id]) => [id, lead as StandardLead]));

/** Lead name for an SCP lead ID; unknown IDs keep their number ("SCP lead 9"). */
export const leadNameForScpId = (id: number): string => leadById.get(id) ?? `SCP lead ${id}`;
