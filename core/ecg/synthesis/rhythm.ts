/**
 * When the heart beats: the R-peak times of each rhythm, snapped to the sample grid so that the
 * annotated R-peak sample is exactly where the R event of the model is centred.
 */
import type { BeatKind } from './heart-vector.ts';
import type { Random } from './random.ts';

export const rhythms = [
  'normal-sinus',
  'sinus-bradycardia',
  'sinus-tachycardia',
  'atrial-fibrillation',
  'pvc',
  'st-elevation-anterior',
  'st-elevation-inferior',
] as const;
export type Rhythm = (typeof rhythms)[number];

/** Rate used when the caller gives none; bradycardia < 60 and tachycardia > 100 by definition. */
export const defaultHeartRateBpm: Record<Rhythm, number> = {
  'normal-sinus': 72,
  'sinus-bradycardia': 48,
  'sinus-tachycardia': 125,
  'atrial-fibrillation': 105,
  pvc: 72,
  'st-elevation-anterior': 80,
  'st-elevation-inferior': 80,
};

/** The rates each rhythm allows, so that a request cannot contradict its own name. */
export const heartRateRangeBpm: Record<Rhythm, [number, number]> = {
  'normal-sinus': [60, 100],
  'sinus-bradycardia': [30, 59],
  'sinus-tachycardia': [101, 180],
  'atrial-fibrillation': [40, 180],
  pvc: [40, 110],
  'st-elevation-anterior': [40, 150],
  'st-elevation-inferior': [40, 150],
};

export interface ScheduledBeat {
  /** R-peak time in seconds from the start of the recording (may be negative: beats before it). */
  timeS: number;
  kind: BeatKind;
  /** The RR interval that ended at this beat. */
  precedingRrS: number;
  /** MIT-BIH beat code. */
  code: 'N' | 'V';
}

/** PVC coupling interval as a fraction of the sinus cycle (premature, but not R-on-T). */
const pvcCoupling = 0.6;

export function scheduleBeats(
  rhythm: Rhythm,
  heartRateBpm: number,
  durationS: number,
  sampleRateHz: number,
  random: Random,
): ScheduledBeat[] {
  const meanRr = 60 / heartRateBpm;
  const snap = (t: number) => Math.round(t * sampleRateHz) / sampleRateHz;
  // Start two cycles before the recording so that its first samples hold the tail of a real beat.
  const firstR = snap(random.uniform(0.15, 0.15 + 0.6 * meanRr) - 2 * meanRr);
  const end = durationS + meanRr;

  if (rhythm === 'atrial-fibrillation') return fibrillationBeats(firstR, end, meanRr, snap, random);

  // Sinus rhythm with respiratory sinus arrhythmia (≈0.25 Hz, ±3 %) and a little beat-to-beat jitter.
  const breathPhase = random.uniform(0, 2 * Math.PI);
  const sinusRr = (t: number) => meanRr * (1 + 0.03 * Math.sin(2 * Math.PI * 0.25 * t + breathPhase) + 0.008 * random.normal());

  const beats: ScheduledBeat[] = [];
  let t = firstR;
  let previous = meanRr;
  let pvcDue = false;
  let normalsInside = 0;
  let pvcsInside = 0;
  while (t < end) {
    beats.push({ timeS: t, kind: 'sinus', precedingRrS: previous, code: 'N' });
    if (t >= 0) normalsInside++;
    const rr = sinusRr(t);
    if (rhythm === 'pvc') {
      const afterPrevious = beats.length >= 2 && beats[beats.length - 2]?.code === 'V';
      // About one beat in four is followed by a PVC; the first one is guaranteed on the second beat
      // of the recording so that even a short strip shows one.
      pvcDue = !afterPrevious && ((pvcsInside === 0 && normalsInside === 2) || (normalsInside > 2 && random.next() < 0.25));
    }
    if (pvcDue) {
      const coupling = snap(pvcCoupling * rr);
      beats.push({ timeS: t + coupling, kind: 'ventricular', precedingRrS: coupling, code: 'V' });
      if (t + coupling >= 0 && t + coupling < durationS) pvcsInside++;
      // Full compensatory pause: the sinus node is not reset, so the next sinus beat comes on time,
      // two cycles after the last one.
      const next = snap(t + 2 * rr);
      previous = next - (t + coupling);
      t = next;
      pvcDue = false;
    } else {
      const next = snap(t + rr);
      previous = next - t;
      t = next;
    }
  }
  return beats;
}

/**
 * AF: the AV node is bombarded irregularly, so RR intervals are "irregularly irregular". Intervals are
 * drawn log-normally (CV ≈ 0.2) and rescaled so that their mean is the requested rate.
 */
function fibrillationBeats(
  firstR: number,
  end: number,
  meanRr: number,
  snap: (t: number) => number,
  random: Random,
): ScheduledBeat[] {
  const count = Math.ceil((end - firstR) / meanRr) + 2;
  const sigma = 0.2;
  const raw = Array.from({ length: count }, () => Math.exp(sigma * random.normal()));
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  const intervals = raw.map((r) => Math.min(Math.max((r / mean) * meanRr, 0.3), 2.0));
  const beats: ScheduledBeat[] = [];
  let t = firstR;
  let previous = meanRr;
  for (const rr of intervals) {
    if (t >= end) break;
    beats.push({ timeS: t, kind: 'sinus-without-p', precedingRrS: previous, code: 'N' });
    const next = snap(t + rr);
    previous = next - t;
    t = next;
  }
  return beats;
}
