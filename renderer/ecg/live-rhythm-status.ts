/**
 * The live view's rhythm line: every couple of seconds the last 10 s of leads II and V1 (the pair
 * the detector is benchmarked on, MIT-BIH MLII and V1) are read from the ring buffer and assessed
 * (core/ecg/signal/live-rhythm.ts) — heart rate, ventricular fibrillation, or too noisy to read.
 */
import { assessLiveRhythm, type LiveRhythm } from '../../core/ecg/signal/live-rhythm.ts';
import type { LeadRingBuffer } from './ring-buffer.ts';

export const liveRhythmLeads = ['II', 'V1'] as const;
export const liveRhythmSeconds = 10;

/** The last `seconds` of the named leads in µV (a lost packet's samples read as 0), or null until that much has arrived. */
export function lastSecondsUv(buffer: LeadRingBuffer, leads: readonly string[], seconds: number, sampleRateHz: number, resolutionUv: number): Float64Array[] | null {
  const length = Math.round(seconds * sampleRateHz);
  const from = buffer.end - length;
  if (from < buffer.start || length <= 0) return null;
  const indices = leads.map((l) => buffer.leads.indexOf(l));
  if (indices.some((i) => i < 0)) return null;
  return indices.map((lead) =>
    Float64Array.from({ length }, (_, k) => {
      const v = buffer.at(lead, from + k);
      return Number.isNaN(v) ? 0 : v * resolutionUv;
    }),
  );
}

/** The rhythm line for what the buffer holds now, or null while less than 10 s have arrived. */
export function liveRhythmOf(buffer: LeadRingBuffer, sampleRateHz: number, resolutionUv: number): LiveRhythm | null {
  const leads = lastSecondsUv(buffer, liveRhythmLeads, liveRhythmSeconds, sampleRateHz, resolutionUv);
  return leads ? assessLiveRhythm(leads, sampleRateHz) : null;
}
