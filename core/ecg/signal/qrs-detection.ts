/**
 * QRS detection after Pan J, Tompkins WJ. "A real-time QRS detection algorithm."
 * IEEE Trans Biomed Eng 1985;32(3):230–236.
 *
 * Pipeline: 5–15 Hz band-pass → five-point derivative → squaring → 150 ms moving-window integration
 * → peaks judged against adaptive signal/noise levels (threshold = noise + ¼(signal − noise), levels
 * updated with weights ⅛ and, after search-back, ¼), with search-back for missed beats (166 % of the
 * regular RR average) and T-wave rejection (a peak within 360 ms whose slope is under half the
 * previous QRS slope), 200 ms refractory period.
 * Departures, each for the offline, any-rate use here: the paper's integer filters are designed for
 * 200 Hz, so every window is expressed in milliseconds and the band-pass is a zero-phase Butterworth
 * (250, 360, 500, 1000 Hz alike); the integration window is centred, so an integration peak sits on
 * its QRS instead of one window later; the initial levels come from 10 s instead of 2 s; the
 * "halve the thresholds while the rhythm is irregular" rule is left out (see `threshold`).
 */
import { highPassBiquad, lowPassBiquad, zeroPhaseFilter, conditionEcg } from './filters.ts';

const ms = (milliseconds: number, sampleRateHz: number): number => Math.max(1, Math.round((milliseconds * sampleRateHz) / 1000));

/** The band-pass → derivative → square → integrate feature signal of Pan & Tompkins. */
export function panTompkinsFeature(samples: ArrayLike<number>, sampleRateHz: number): { bandPassed: Float64Array; slope: Float64Array; integrated: Float64Array } {
  const n = samples.length;
  const sections = [highPassBiquad(5, sampleRateHz), lowPassBiquad(Math.min(15, sampleRateHz * 0.4), sampleRateHz)];
  const bandPassed = zeroPhaseFilter(samples, sections, sampleRateHz / 2, 'even');
  // Five-point derivative, H(z) = (1/8T)(−z⁻² − 2z⁻¹ + 2z + z²), centred.
  const slope = new Float64Array(n);
  const k = sampleRateHz / 8;
  for (let i = 2; i < n - 2; i++) {
    slope[i] = k * (2 * (bandPassed[i + 1] as number) + (bandPassed[i + 2] as number) - (bandPassed[i - 2] as number) - 2 * (bandPassed[i - 1] as number));
  }
  // Moving-window integration of the squared slope over 150 ms (about the widest normal QRS).
  const window = ms(150, sampleRateHz);
  const half = Math.floor(window / 2);
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = (prefix[i] as number) + (slope[i] as number) ** 2;
  const integrated = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const from = Math.max(0, i - half);
    const to = Math.min(n, i - half + window);
    integrated[i] = ((prefix[to] as number) - (prefix[from] as number)) / window;
  }
  return { bandPassed, slope, integrated };
}

/** Local maxima of `x` that are the largest value within ±`radius` samples. */
function candidatePeaks(x: Float64Array, radius: number): number[] {
  const peaks: number[] = [];
  const n = x.length;
  for (let i = 1; i < n - 1; i++) {
    const v = x[i] as number;
    if (v <= 0 || v < (x[i - 1] as number) || v <= (x[i + 1] as number)) continue;
    let isMax = true;
    const from = Math.max(0, i - radius);
    const to = Math.min(n - 1, i + radius);
    for (let j = from; j <= to; j++) {
      if ((x[j] as number) > v) {
        isMax = false;
        break;
      }
    }
    if (isMax) peaks.push(i);
  }
  return peaks;
}

function maxAbsIn(x: Float64Array, from: number, to: number): number {
  let best = 0;
  for (let i = Math.max(0, from); i < Math.min(x.length, to); i++) best = Math.max(best, Math.abs(x[i] as number));
  return best;
}

/** Index of the first sorted value greater than `value`. */
function firstAfter(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where each QRS complex is, on the integrated feature signal (Pan–Tompkins decision rules). */
function decideQrs(integrated: Float64Array, slope: Float64Array, sampleRateHz: number): number[] {
  const refractory = ms(200, sampleRateHz);
  const tWaveWindow = ms(360, sampleRateHz);
  const slopeHalfWindow = ms(75, sampleRateHz);
  const candidates = candidatePeaks(integrated, ms(100, sampleRateHz));
  if (candidates.length === 0) return [];

  // Learning phase. Pan & Tompkins take the first 2 s; here the signal level starts at a third of
  // the median of the 2 s block maxima over the first 10 s, so one early artifact cannot set it.
  const block = 2 * sampleRateHz;
  const learnEnd = Math.min(integrated.length, 5 * block);
  const blockMaxima: number[] = [];
  let learnSum = 0;
  for (let from = 0; from < learnEnd; from += block) {
    let max = 0;
    for (let i = from; i < Math.min(learnEnd, from + block); i++) {
      max = Math.max(max, integrated[i] as number);
      learnSum += integrated[i] as number;
    }
    blockMaxima.push(max);
  }
  blockMaxima.sort((a, b) => a - b);
  let signalLevel = (blockMaxima[Math.floor(blockMaxima.length / 2)] as number) / 3;
  let noiseLevel = learnSum / learnEnd / 2;

  const qrs: number[] = [];
  const qrsSlopes: number[] = [];
  const recentRr: number[] = [];
  const regularRr: number[] = [];
  const accepted = new Set<number>();

  const threshold = (): number => {
    // Pan & Tompkins halve this while the rhythm is irregular; offline, with search-back, that only
    // let noise in (one false beat made the rhythm "irregular" and invited the next), so we do not.
    return noiseLevel + 0.25 * (signalLevel - noiseLevel);
  };
  const rrAverage = (): number | undefined => {
    const source = regularRr.length >= 2 ? regularRr : recentRr;
    return source.length === 0 ? undefined : source.reduce((a, b) => a + b, 0) / source.length;
  };

  const accept = (position: number, weight: number): void => {
    const last = qrs[qrs.length - 1];
    if (last !== undefined) {
      const rr = position - last;
      const average = rrAverage();
      recentRr.push(rr);
      if (recentRr.length > 8) recentRr.shift();
      // RR average 2 of Pan & Tompkins: only intervals within 92–116 % of the regular average.
      if (average === undefined || (rr > 0.92 * average && rr < 1.16 * average) || regularRr.length < 2) {
        regularRr.push(rr);
        if (regularRr.length > 8) regularRr.shift();
      }
    }
    qrs.push(position);
    qrsSlopes.push(maxAbsIn(slope, position - slopeHalfWindow, position + slopeHalfWindow));
    accepted.add(position);
    signalLevel = weight * (integrated[position] as number) + (1 - weight) * signalLevel;
  };

  const isTWave = (position: number): boolean => {
    const last = qrs[qrs.length - 1];
    const lastSlope = qrsSlopes[qrsSlopes.length - 1];
    if (last === undefined || lastSlope === undefined || position - last >= tWaveWindow) return false;
    return maxAbsIn(slope, position - slopeHalfWindow, position + slopeHalfWindow) < 0.5 * lastSlope;
  };

  // Search back for a beat missed between the last QRS and `until` (Pan–Tompkins: 166 % of RR).
  const searchBack = (until: number): void => {
    for (;;) {
      const last = qrs[qrs.length - 1];
      const average = rrAverage();
      if (last === undefined || average === undefined || until - last <= 1.66 * average) return;
      let best: number | undefined;
      for (let k = firstAfter(candidates, last + refractory); k < candidates.length; k++) {
        const c = candidates[k] as number;
        if (c >= until - refractory) break;
        if (accepted.has(c) || (integrated[c] as number) <= threshold() / 2) continue;
        if (best === undefined || (integrated[c] as number) > (integrated[best] as number)) best = c;
      }
      if (best === undefined || isTWave(best)) return;
      accept(best, 0.25);
    }
  };

  for (const c of candidates) {
    searchBack(c);
    const last = qrs[qrs.length - 1];
    const value = integrated[c] as number;
    if (value > threshold() && (last === undefined || c - last > refractory) && !isTWave(c)) {
      accept(c, 0.125);
    } else {
      noiseLevel = 0.125 * value + 0.875 * noiseLevel;
    }
  }
  searchBack(integrated.length + refractory);
  return qrs.sort((a, b) => a - b);
}

export interface QrsDetection {
  /** R-peak sample indices (the dominant deflection of each QRS in the analysed lead), ascending. */
  peaks: Int32Array;
  /** +1 when the lead's dominant QRS deflection is upright, −1 when it is negative. */
  polarity: 1 | -1;
}

/**
 * Finds every QRS complex in one lead and returns its R peak.
 * `samples` are raw lead values (any unit, baseline wander allowed).
 */
export function detectQrs(samples: ArrayLike<number>, sampleRateHz: number): QrsDetection {
  if (samples.length < sampleRateHz / 2) return { peaks: new Int32Array(0), polarity: 1 };
  const { slope, integrated } = panTompkinsFeature(samples, sampleRateHz);
  const centres = decideQrs(integrated, slope, sampleRateHz);
  const conditioned = conditionEcg(samples, sampleRateHz, { notchHz: null });

  // The R peak is the dominant deflection within ±100 ms of the integration peak; the polarity
  // is voted across beats so that an rS lead consistently reports its S wave and vice versa.
  const reach = ms(100, sampleRateHz);
  let vote = 0;
  for (const c of centres) {
    let hi = -Infinity;
    let lo = Infinity;
    for (let i = Math.max(0, c - reach); i <= Math.min(conditioned.length - 1, c + reach); i++) {
      hi = Math.max(hi, conditioned[i] as number);
      lo = Math.min(lo, conditioned[i] as number);
    }
    vote += hi >= -lo ? 1 : -1;
  }
  const polarity: 1 | -1 = vote >= 0 ? 1 : -1;
  const peaks: number[] = [];
  const refractory = ms(200, sampleRateHz);
  for (const c of centres) {
    let best = Math.max(0, c - reach);
    for (let i = best; i <= Math.min(conditioned.length - 1, c + reach); i++) {
      if (polarity * (conditioned[i] as number) > polarity * (conditioned[best] as number)) best = i;
    }
    const previous = peaks[peaks.length - 1];
    if (previous !== undefined && best - previous < refractory) {
      if (polarity * (conditioned[best] as number) > polarity * (conditioned[previous] as number)) peaks[peaks.length - 1] = best;
      continue;
    }
    peaks.push(best);
  }
  return { peaks: Int32Array.from(peaks), polarity };
}

/** RR intervals in milliseconds between successive peaks. */
export function rrIntervalsMs(peaks: ArrayLike<number>, sampleRateHz: number): number[] {
  const rr: number[] = [];
  for (let i = 1; i < peaks.length; i++) rr.push((((peaks[i] as number) - (peaks[i - 1] as number)) * 1000) / sampleRateHz);
  return rr;
}

/** Mean heart rate in beats per minute from the RR intervals, or null with fewer than two beats. */
export function heartRateBpm(rrMs: readonly number[]): number | null {
  if (rrMs.length === 0) return null;
  const mean = rrMs.reduce((a, b) => a + b, 0) / rrMs.length;
  return 60000 / mean;
}
