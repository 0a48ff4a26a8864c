/**
 * The 12 standard leads from what a front end measures: the measured channels by their lead, and
 * III, aVR, aVL, aVF derived from I and II on the host (Einthoven, Goldberger) when the front end
 * does not measure them. In the standard order.
 */
import type { StandardLead } from '../../core/ecg/recording.ts';
import { deriveLimbLeads } from '../../core/ecg/synthesis/limb-leads.ts';

const leadOrder: readonly StandardLead[] = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];

export function twelveLeads(channelLeads: readonly StandardLead[], channels: Int32Array[]): { lead: StandardLead; samples: Int32Array }[] {
  const byLead = new Map<StandardLead, Int32Array>(channelLeads.map((lead, c) => [lead, channels[c]!]));
  const i = byLead.get('I');
  const ii = byLead.get('II');
  if (i && ii) for (const [lead, samples] of Object.entries(deriveLimbLeads(i, ii))) if (!byLead.has(lead as StandardLead)) byLead.set(lead as StandardLead, samples);
  return leadOrder.flatMap((lead) => {
    const samples = byLead.get(lead);
    return samples ? [{ lead, samples }] : [];
  });
}
