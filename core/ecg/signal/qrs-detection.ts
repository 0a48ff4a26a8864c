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

/** The tunable numbers of the decision stage; the defaults are Pan & Tompkins'. */
export interface DecisionRules {
  /** Threshold = noise + fraction × (signal − noise). */
  thresholdFraction: number;
  /** Search-back accepts peaks above this fraction of the threshold. */
  searchBackFraction: number;
  /** Search back once this multiple of the RR average has passed without a beat. */
  searchBackRr: number;
  /** A peak within `tWaveMs` of a QRS whose slope is under this fraction of that QRS's is a T wave. */
  tWaveSlopeRatio: number;
  tWaveMs: number;
  refractoryMs: number;
}

const panTompkinsRules: DecisionRules = { thresholdFraction: 0.25, searchBackFraction: 0.5, searchBackRr: 1.66, tWaveSlopeRatio: 0.5, tWaveMs: 360, refractoryMs: 200 };

/** Where each QRS complex is, on the integrated feature signal (Pan–Tompkins decision rules). */
/** The adaptive state the decision stage ends with, to start another pass from. */
interface LearnedLevels {
  signalLevel: number;
  noiseLevel: number;
  regularRr: number[];
}

function decideQrs(integrated: Float64Array, slope: Float64Array, sampleRateHz: number, rules: DecisionRules = panTompkinsRules, learned?: LearnedLevels): { positions: number[]; levels: LearnedLevels } {
  const refractory = ms(rules.refractoryMs, sampleRateHz);
  const tWaveWindow = ms(rules.tWaveMs, sampleRateHz);
  const slopeHalfWindow = ms(75, sampleRateHz);
  const candidates = candidatePeaks(integrated, ms(100, sampleRateHz));
  if (candidates.length === 0) return { positions: [], levels: learned ?? { signalLevel: 0, noiseLevel: 0, regularRr: [] } };

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
  let signalLevel = learned?.signalLevel ?? (blockMaxima[Math.floor(blockMaxima.length / 2)] as number) / 3;
  let noiseLevel = learned?.noiseLevel ?? learnSum / learnEnd / 2;

  const qrs: number[] = [];
  const qrsSlopes: number[] = [];
  const recentRr: number[] = [...(learned?.regularRr ?? [])];
  const regularRr: number[] = [...(learned?.regularRr ?? [])];
  const accepted = new Set<number>();

  const threshold = (): number => {
    // Pan & Tompkins halve this while the rhythm is irregular; offline, with search-back, that only
    // let noise in (one false beat made the rhythm "irregular" and invited the next), so we do not.
    return noiseLevel + rules.thresholdFraction * (signalLevel - noiseLevel);
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
      } else if (recentRr.length === 8) {
        // Pan & Tompkins: eight successive intervals within the limits of their own average are a
        // regular rhythm, and RR average 2 becomes RR average 1 — so a rate that changed for good
        // (or an average learnt from false beats) does not hold the limits where no beat falls.
        const average1 = recentRr.reduce((a, b) => a + b, 0) / 8;
        if (recentRr.every((v) => v > 0.92 * average1 && v < 1.16 * average1)) regularRr.splice(0, regularRr.length, ...recentRr);
      }
    }
    qrs.push(position);
    qrsSlopes.push(maxAbsIn(slope, position - slopeHalfWindow, position + slopeHalfWindow));
    accepted.add(position);
    signalLevel = weight * (integrated[position] as number) + (1 - weight) * signalLevel;
  };

  // What a pause is measured against: the longer of RR average 1 (the last eight intervals) and
  // RR average 2 (the regular ones). In bigeminy or atrial fibrillation the regular average holds
  // only the short intervals, and every ordinary long one would start a search-back that finds the
  // T wave of the beat before it; average 1 includes the long intervals of the rhythm.
  const pauseReference = (): number | undefined => {
    const average2 = rrAverage();
    if (recentRr.length === 0) return average2;
    const average1 = recentRr.reduce((a, b) => a + b, 0) / recentRr.length;
    return Math.max(average1, average2 ?? 0);
  };

  const isTWave = (position: number): boolean => {
    const last = qrs[qrs.length - 1];
    const lastSlope = qrsSlopes[qrsSlopes.length - 1];
    if (last === undefined || lastSlope === undefined || position - last >= tWaveWindow) return false;
    return maxAbsIn(slope, position - slopeHalfWindow, position + slopeHalfWindow) < rules.tWaveSlopeRatio * lastSlope;
  };

  // Search back for a beat missed between the last QRS and `until` (Pan–Tompkins: 166 % of RR).
  const searchBack = (until: number): void => {
    for (;;) {
      const last = qrs[qrs.length - 1];
      const average = pauseReference();
      if (last === undefined || average === undefined || until - last <= rules.searchBackRr * average) return;
      let best: number | undefined;
      for (let k = firstAfter(candidates, last + refractory); k < candidates.length; k++) {
        const c = candidates[k] as number;
        if (c >= until - refractory) break;
        // A T wave of the last beat is skipped, not allowed to end the search: the missed beat may lie beyond it.
        if (accepted.has(c) || (integrated[c] as number) <= threshold() * rules.searchBackFraction || isTWave(c)) continue;
        if (best === undefined || (integrated[c] as number) > (integrated[best] as number)) best = c;
      }
      if (best === undefined) return;
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
  return { positions: qrs.sort((a, b) => a - b), levels: { signalLevel, noiseLevel, regularRr } };
}

export interface QrsDetection {
  /** R-peak sample indices (the dominant deflection of each QRS in the analysed lead), ascending. */
  peaks: Int32Array;
  /** +1 when the lead's dominant QRS deflection is upright, −1 when it is negative. */
  polarity: 1 | -1;
}

/**
 * A per-sample scale for one lead's feature signal: the median of the 2 s block maxima within about
 * ±`reachBlocks` blocks, so that a lead whose amplitude drifts (electrode contact, posture) keeps
 * its beats near 1 and one artifact does not set the scale.
 */
function runningBlockStatistic(x: Float64Array, block: number, reachBlocks: number, statistic: 'max' | 'median'): Float64Array {
  const n = x.length;
  const blocks = Math.max(1, Math.ceil(n / block));
  const perBlock = new Float64Array(blocks);
  // Typed-array sorts are numeric and need no comparator; the median uses every 4th sample.
  const every = 4;
  const scratch = new Float64Array(Math.ceil(block / every));
  for (let b = 0; b < blocks; b++) {
    const from = b * block;
    const to = Math.min(n, from + block);
    if (statistic === 'max') {
      let max = 0;
      for (let i = from; i < to; i++) if ((x[i] as number) > max) max = x[i] as number;
      perBlock[b] = max;
    } else {
      let count = 0;
      for (let i = from; i < to; i += every) scratch[count++] = x[i] as number;
      const values = scratch.subarray(0, count).sort();
      perBlock[b] = values[count >> 1] ?? 0;
    }
  }
  const smoothed = new Float64Array(blocks);
  const neighbours = new Float64Array(2 * reachBlocks + 1);
  for (let b = 0; b < blocks; b++) {
    let count = 0;
    for (let k = Math.max(0, b - reachBlocks); k <= Math.min(blocks - 1, b + reachBlocks); k++) neighbours[count++] = perBlock[k] as number;
    smoothed[b] = neighbours.subarray(0, count).sort()[count >> 1] as number;
  }
  // Linear interpolation between block centres, so the scale has no steps.
  const out = new Float64Array(n);
  const half = block / 2;
  for (let b = -1; b < blocks; b++) {
    const v0 = smoothed[Math.max(0, b)] as number;
    const v1 = smoothed[Math.min(blocks - 1, b + 1)] as number;
    const from = Math.max(0, Math.round(b * block + half));
    const to = Math.min(n, Math.round((b + 1) * block + half));
    for (let i = from; i < to; i++) out[i] = v0 + ((v1 - v0) * (i - (b * block + half))) / block;
  }
  return out;
}

export interface MultiLeadFeature {
  /**
   * Beat strength: the quality-weighted power mean (exponent ¼) of the leads' normalised integrated
   * feature, square-rooted back to amplitude units (a typical beat ≈ 1). The small exponent lets a
   * beat count fully only when every good lead shows it, so an artifact in one lead stays small; the
   * square root (amplitude, not energy) keeps small but real beats — aberrated premature beats
   * of a third of the usual height — above the threshold.
   */
  strength: Float64Array;
  /** Quality-weighted mean of the leads' normalised |slope|, for T-wave discrimination. */
  slope: Float64Array;
  /** Quality-weighted mean of the leads' normalised |band-passed| signal, to place the R peak. */
  deflection: Float64Array;
}

/**
 * Fuses the Pan–Tompkins feature of several leads. Each lead is normalised by its running beat
 * size, then weighted by the inverse of its running noise floor (the median of its normalised
 * feature: low between clean beats, high under muscle noise or a moving electrode), so a lead
 * that turns noisy stops contributing false beats.
 */
export function multiLeadFeature(leads: readonly ArrayLike<number>[], sampleRateHz: number): MultiLeadFeature {
  const n = Math.min(...leads.map((l) => l.length));
  const strength = new Float64Array(n);
  const slope = new Float64Array(n);
  const deflection = new Float64Array(n);
  const weightSum = new Float64Array(n);
  const block = 2 * sampleRateHz;
  for (const lead of leads) {
    const feature = panTompkinsFeature(lead.length === n ? lead : Array.prototype.slice.call(lead, 0, n), sampleRateHz);
    const scale = runningBlockStatistic(feature.integrated, block, 5, 'max');
    const normalised = new Float64Array(n);
    // Clipped so that one electrode pop, hundreds of times a beat, cannot lift the adaptive levels
    // out of reach of the beats that follow it.
    for (let i = 0; i < n; i++) normalised[i] = Math.min(normalisedCeiling, (feature.integrated[i] as number) / ((scale[i] as number) || 1));
    const noise = runningBlockStatistic(normalised, block, 2, 'median');
    for (let i = 0; i < n; i++) {
      const weight = 1 / (noiseFloorOffset + (noise[i] as number));
      const root = Math.sqrt((scale[i] as number) || 1);
      strength[i] = (strength[i] as number) + weight * Math.sqrt(Math.sqrt(normalised[i] as number));
      slope[i] = (slope[i] as number) + (weight * Math.abs(feature.slope[i] as number)) / root;
      deflection[i] = (deflection[i] as number) + (weight * Math.abs(feature.bandPassed[i] as number)) / root;
      weightSum[i] = (weightSum[i] as number) + weight;
    }
  }
  for (let i = 0; i < n; i++) {
    const w = weightSum[i] as number;
    const rootMean = (strength[i] as number) / w;
    strength[i] = rootMean * rootMean;
    slope[i] = (slope[i] as number) / w;
    deflection[i] = (deflection[i] as number) / w;
  }
  return { strength, slope, deflection };
}

/** Largest value of a lead's normalised feature (a typical beat ≈ 1). */
const normalisedCeiling = 4;

/** Added to a lead's noise floor before inverting it into a weight: two clean leads weigh alike. */
const noiseFloorOffset = 0.05;

/**
 * The decision rules on the fused strength. Chosen on half of the MIT-BIH DS1 records (101 108 112
 * 115 118 122 201 205 208 215 223) and checked on the other half; see tests/bench/ecg-detection.
 * Against Pan & Tompkins: a higher threshold fraction (the strength is an amplitude, not an
 * energy), search-back already at 1.4 RR (premature beats followed by a pause), and a stricter
 * T-wave slope test.
 */
const multiLeadRules: DecisionRules = { thresholdFraction: 0.3, searchBackFraction: 0.5, searchBackRr: 1.4, tWaveSlopeRatio: 0.6, tWaveMs: 360, refractoryMs: 200 };

/** The beat position is the largest fused deflection this close to the decided QRS centre. */
const locateMs = 60;

/**
 * Finds every QRS complex using all the given leads at once (same rate; the shortest length counts)
 * and returns the beat positions, ascending. Beats inside ventricular flutter/fibrillation are not
 * reported (see `ventricularFlutterMask`).
 */
export function detectQrsMultiLead(leads: readonly ArrayLike<number>[], sampleRateHz: number): Int32Array {
  return detectBeatsMultiLead(leads, sampleRateHz).peaks;
}

export interface MultiLeadBeats {
  /** Beat positions, ascending; none inside `flutterEpisodes`. */
  peaks: Int32Array;
  /**
   * Sample ranges [from, to) judged to be ventricular flutter/fibrillation (see
   * `ventricularFlutterMask`): a rate there would be the flutter wave rate, not a heart rate.
   */
  flutterEpisodes: [number, number][];
}

/** `detectQrsMultiLead`, also telling where the ventricular flutter/fibrillation episodes are. */
export function detectBeatsMultiLead(leads: readonly ArrayLike<number>[], sampleRateHz: number): MultiLeadBeats {
  if (leads.length === 0 || Math.min(...leads.map((l) => l.length)) < sampleRateHz / 2) return { peaks: new Int32Array(0), flutterEpisodes: [] };
  const peaks = fusedQrsPeaks(leads, sampleRateHz);
  const flutter = ventricularFlutterMask(leads, sampleRateHz);
  return { peaks: Int32Array.from(peaks.filter((p) => !flutter[p])), flutterEpisodes: maskRuns(flutter) };
}

/** The runs of set samples of a mask, as [from, to) ranges. */
function maskRuns(mask: Uint8Array): [number, number][] {
  const runs: [number, number][] = [];
  let from = -1;
  for (let i = 0; i <= mask.length; i++) {
    const set = i < mask.length && mask[i] === 1;
    if (set && from < 0) from = i;
    else if (!set && from >= 0) {
      runs.push([from, i]);
      from = -1;
    }
  }
  return runs;
}

/** The fused-feature QRS positions before the flutter episodes are taken out (for tests and benches). */
export function fusedQrsPeaks(leads: readonly ArrayLike<number>[], sampleRateHz: number): number[] {
  const feature = multiLeadFeature(leads, sampleRateHz);
  // Offline, the levels can be learnt before deciding: a first pass over the first 10 s (all of a
  // 10 s strip) leaves signal and noise levels and RR averages that have seen real beats, and the
  // decision then starts from them instead of from Pan & Tompkins' rough initial estimates.
  const learnLength = Math.min(feature.strength.length, 10 * sampleRateHz);
  const learning = decideQrs(feature.strength.subarray(0, learnLength), feature.slope.subarray(0, learnLength), sampleRateHz, multiLeadRules);
  // The RR average it starts from comes only from the learning pass's beats that pass the learnt
  // threshold: a T or P wave taken early, while the levels were still low, would make it short.
  const { signalLevel, noiseLevel } = learning.levels;
  const learntThreshold = noiseLevel + multiLeadRules.thresholdFraction * (signalLevel - noiseLevel);
  const learntBeats = learning.positions.filter((p) => (feature.strength[p] as number) > learntThreshold);
  const centres = decideQrs(feature.strength, feature.slope, sampleRateHz, multiLeadRules, { ...learning.levels, regularRr: regularIntervals(learntBeats) }).positions;
  const reach = ms(locateMs, sampleRateHz);
  const refractory = ms(multiLeadRules.refractoryMs, sampleRateHz);
  const peaks: number[] = [];
  const d = feature.deflection;
  for (const c of centres) {
    let best = Math.max(0, c - reach);
    for (let i = best; i <= Math.min(d.length - 1, c + reach); i++) if ((d[i] as number) > (d[best] as number)) best = i;
    const previous = peaks[peaks.length - 1];
    if (previous !== undefined && best - previous < refractory) {
      if ((d[best] as number) > (d[previous] as number)) peaks[peaks.length - 1] = best;
      continue;
    }
    peaks.push(best);
  }
  return withoutAtrialWaves(peaks, feature.strength, sampleRateHz);
}

/**
 * The regular RR intervals (RR average 2) the decision starts from, out of a learning pass's beats:
 * the intervals within Pan & Tompkins' regular limits (92–116 %) of their median, the last eight.
 * The median, not the pass's own running average: one early false beat (the T wave of a beat cut
 * by the strip's start) makes the first intervals short, an average learnt from them stays short
 * (the later, longer intervals all fall outside its limits), and search-back then looks for
 * "missed" beats between every pair of real ones and finds T waves.
 */
function regularIntervals(positions: readonly number[]): number[] {
  const rr = positions.slice(1).map((p, i) => p - (positions[i] as number));
  if (rr.length === 0) return [];
  const sorted = [...rr].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1] as number;
  return rr.filter((v) => v > 0.92 * median && v < 1.16 * median).slice(-8);
}

/**
 * Pan & Tompkins' T-wave test looks after a beat; this looks before one. A weak "beat" (under half
 * the strength of the beats around it) closely followed (within 350 ms) by a beat at least half as
 * strong again is the P wave (or a large atrial wave) of that beat, not a QRS: two real QRS
 * complexes that close are ventricular beats of alike strength. On MIT-BIH DS1 it removes 8 of the
 * 76 false beats and no true one.
 */
function withoutAtrialWaves(peaks: readonly number[], strength: Float64Array, sampleRateHz: number): number[] {
  const reach = ms(80, sampleRateHz);
  const close = ms(350, sampleRateHz);
  const sizes = peaks.map((p) => {
    let max = 0;
    for (let i = Math.max(0, p - reach); i < Math.min(strength.length, p + reach); i++) max = Math.max(max, strength[i] as number);
    return max;
  });
  return peaks.filter((p, i) => {
    const next = peaks[i + 1];
    const size = sizes[i] as number;
    if (next === undefined || next - p >= close || (sizes[i + 1] as number) < 1.5 * size) return true;
    const around = [...sizes.slice(Math.max(0, i - 4), i), ...sizes.slice(i + 1, i + 5)].sort((a, b) => a - b);
    return size >= 0.5 * (around[around.length >> 1] as number);
  });
}

/**
 * Marks the samples that lie in ventricular flutter or fibrillation: there are no QRS complexes to
 * count there (a monitor alarms instead), and a QRS detector would count each flutter wave as a
 * beat. Two time-domain VF features on 4 s windows every second, each from the literature:
 *   - VF filter leakage (Kuo S, Dillman R. Computer detection of ventricular fibrillation. Computers
 *     in Cardiology 1978:347–349): the mean half period is estimated from the mean absolute value
 *     and slope, and a sinusoid cancels against itself one half period later (low leakage) while
 *     QRS complexes do not;
 *   - the threshold crossing sample count (Arafat MA, Chowdhury AW, Hasan MK. A simple time domain
 *     algorithm for the detection of ventricular fibrillation in electrocardiogram. Signal, Image
 *     and Video Processing 2011;5:1–10): the share of samples above 0.2 of each second's largest
 *     magnitude — high in VF, where the signal never rests on a baseline, low between QRS complexes.
 *     (Here without the paper's cosine taper, on the same 4 s windows as the leakage.)
 * Amann et al. (Reliability of old and new ventricular fibrillation detection algorithms for
 * automated external defibrillators, BioMed Eng OnLine 2005;4:60) found each specific but not
 * sensitive alone, and combinations better. A window is VF when the more sinusoidal lead leaks
 * under Kuo & Dillman's 0.4 and both leads stay off the baseline (count over 0.6); an episode then
 * grows into the neighbouring windows while they stay flutter-like (leakage under 0.65, count over
 * 0.4), which catches the onset and end of the episode without waiting for the pure sine wave.
 * Each VF window marks its middle two seconds (at the ends of the record, out to the end).
 * The limits were chosen on record 207 of MIT-BIH DS1, the only record here with ventricular
 * flutter; on the other 21 records (fast ventricular tachycardia in 205 and 203 included) no
 * window is marked.
 */
export function ventricularFlutterMask(leads: readonly ArrayLike<number>[], sampleRateHz: number): Uint8Array {
  const n = Math.min(...leads.map((l) => l.length));
  const mask = new Uint8Array(n);
  const step = Math.round(sampleRateHz);
  const segmentsPerWindow = 4;
  const window = segmentsPerWindow * step;
  if (n < window) return mask;
  const filtered = leads.map((l) => zeroPhaseFilter(l, [highPassBiquad(1, sampleRateHz), lowPassBiquad(Math.min(30, sampleRateHz * 0.4), sampleRateHz)], sampleRateHz, 'even'));
  // Threshold crossing counts per one-second segment, summed over each window's four.
  const segments = Math.floor(n / step);
  const crossings = filtered.map((x) => {
    const counts = new Float64Array(segments);
    for (let s = 0; s < segments; s++) {
      let max = 0;
      for (let i = s * step; i < (s + 1) * step; i++) max = Math.max(max, Math.abs(x[i] as number));
      let count = 0;
      for (let i = s * step; i < (s + 1) * step; i++) if (Math.abs(x[i] as number) > crossingLevel * max) count++;
      counts[s] = count;
    }
    return counts;
  });
  const windows: { from: number; core: boolean; grows: boolean }[] = [];
  for (let from = 0, s = 0; from + window <= n; from += step, s++) {
    const to = from + window;
    const leakage = Math.min(...filtered.map((x) => filterLeakage(x, from, to)));
    const crossing = Math.min(...crossings.map((c) => (c.subarray(s, s + segmentsPerWindow).reduce((a, b) => a + b, 0)) / window));
    windows.push({
      from,
      core: leakage < flutterLeakageLimit && crossing > flutterCrossingShare,
      grows: leakage < flutterLeakageLimitEdge && crossing > flutterCrossingShareEdge,
    });
  }
  // Hysteresis: an episode grows from its core windows through flutter-like neighbours.
  const vf = windows.map((w) => w.core);
  for (let k = 1; k < windows.length; k++) if (!vf[k] && vf[k - 1] && windows[k]!.grows) vf[k] = true;
  for (let k = windows.length - 2; k >= 0; k--) if (!vf[k] && vf[k + 1] && windows[k]!.grows) vf[k] = true;
  windows.forEach(({ from }, k) => {
    if (!vf[k]) return;
    const to = from + window;
    mask.fill(1, from === 0 ? 0 : from + step, to + step > n ? n : to - step);
  });
  return mask;
}

/** Kuo & Dillman's limit; below it, a 4 s window is sinusoidal enough to be flutter. */
const flutterLeakageLimit = 0.4;
/** Arafat et al.'s threshold: a sample "crosses" above 0.2 of its second's largest magnitude. */
const crossingLevel = 0.2;
/** Share of crossing samples in both leads above which a sinusoidal window is VF (sinus rhythm: about 0.1–0.4). */
const flutterCrossingShare = 0.6;
/** The looser limits an episode's neighbouring windows must meet to join it. */
const flutterLeakageLimitEdge = 0.65;
const flutterCrossingShareEdge = 0.4;

function filterLeakage(x: Float64Array, from: number, to: number): number {
  let level = 0;
  let change = 0;
  for (let i = from + 1; i < to; i++) {
    level += Math.abs(x[i] as number);
    change += Math.abs((x[i] as number) - (x[i - 1] as number));
  }
  if (change === 0) return 1;
  const halfPeriod = Math.floor((Math.PI * level) / change + 0.5);
  let leak = 0;
  let total = 0;
  for (let i = from + halfPeriod; i < to; i++) {
    leak += Math.abs((x[i] as number) + (x[i - halfPeriod] as number));
    total += Math.abs(x[i] as number) + Math.abs(x[i - halfPeriod] as number);
  }
  return total === 0 ? 1 : leak / total;
}

/**
 * Finds every QRS complex in one lead and returns its R peak.
 * `samples` are raw lead values (any unit, baseline wander allowed).
 */
export function detectQrs(samples: ArrayLike<number>, sampleRateHz: number): QrsDetection {
  if (samples.length < sampleRateHz / 2) return { peaks: new Int32Array(0), polarity: 1 };
  const { slope, integrated } = panTompkinsFeature(samples, sampleRateHz);
  return placeOnRPeaks(samples, sampleRateHz, decideQrs(integrated, slope, sampleRateHz).positions);
}

/**
 * The R peak is the dominant deflection within ±100 ms of each QRS centre; the polarity is voted
 * across beats so that an rS lead consistently reports its S wave and vice versa.
 */
function placeOnRPeaks(samples: ArrayLike<number>, sampleRateHz: number, centres: readonly number[]): QrsDetection {
  const conditioned = conditionEcg(samples, sampleRateHz, { notchHz: null });
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
