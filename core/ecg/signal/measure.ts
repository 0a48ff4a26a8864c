/**
 * measureEcg: from a recording to the numbers a physician reads first — rate, RR, PR, QRS, QT,
 * QTc (Bazett and Fridericia), frontal QRS axis, ST levels — plus machine hints.
 *
 * Steps: set aside leads of unusable quality (signal-quality.ts) → condition every lead (0.5 Hz high-pass, mains notch, 150 Hz low-pass, all zero-phase) →
 * QRS detection on the rhythm lead (MLII, else II, else the first; another lead if that one shows
 * almost no QRS) → median beat of the dominant
 * beats in every lead → delineation (delineation.ts) → intervals, axis, ST → hints.
 */
import type { EcgRecording } from '../recording.ts';
import { frontalAxisDeg, netQrsAmplitude } from './axis.ts';
import { buildMedianBeat, delineateMedianBeat, type MedianBeat } from './delineation.ts';
import { conditionEcg, highPassBiquad, lowPassBiquad, zeroPhaseFilter } from './filters.ts';
import { detectBeatsMultiLead, heartRateBpm, rrIntervalsMs } from './qrs-detection.ts';
import { analyseRr, rhythmHints, type EcgHint, type HintInputs } from './rhythm-hints.ts';
import { assessLeadQuality, type LeadQualityProblem } from './signal-quality.ts';
import { withoutComplexesPeakingOutside } from './strip-edges.ts';

export interface EcgMeasurements {
  sampleRateHz: number;
  durationSeconds: number;
  /** Lead the beats were detected in. */
  rhythmLead: string;
  /** Leads left out of every measurement (detached electrode, hum, noise, drift). */
  excludedLeads: { lead: string; problems: LeadQualityProblem[] }[];
  /** R-peak sample indices. */
  rPeaks: number[];
  beatCount: number;
  rrIntervalsMs: number[];
  heartRateBpm: number | null;
  /** Beats that went into the median beat the intervals were measured on. */
  medianBeatCount: number;
  prIntervalMs: number | null;
  qrsDurationMs: number | null;
  qtIntervalMs: number | null;
  /** QT / √RR (RR in s). */
  qtcBazettMs: number | null;
  /** QT / ∛RR (RR in s). */
  qtcFridericiaMs: number | null;
  /** Frontal QRS axis, degrees (−180, 180]. */
  qrsAxisDeg: number | null;
  pWavePresent: boolean;
  /** ST level at J + 60 ms (J + 40 ms above 100 bpm) against the PR segment, µV, per lead. */
  stLevelUv: Record<string, number>;
  hints: EcgHint[];
}

/** The lead used for rhythm and for the CLI's `detect`: MLII, else II, else the first lead. */
export function chooseRhythmLead(recording: EcgRecording): number {
  const mlii = recording.leads.findIndex((l) => l.lead === 'MLII');
  if (mlii >= 0) return mlii;
  const ii = recording.leads.findIndex((l) => l.lead === 'II');
  return ii >= 0 ? ii : 0;
}

/** How clearly QRS complexes stand out in a lead: the 99th percentile of its 5–15 Hz band. */
function qrsProminence(samples: Int32Array, sampleRateHz: number): number {
  const band = zeroPhaseFilter(samples, [highPassBiquad(5, sampleRateHz), lowPassBiquad(Math.min(15, 0.4 * sampleRateHz), sampleRateHz)], sampleRateHz / 2, 'even');
  const magnitudes = Float64Array.from(band, Math.abs).sort();
  return magnitudes[Math.floor(0.99 * (magnitudes.length - 1))] ?? 0;
}

/**
 * The lead measureEcg detects beats in, among `candidates` (usable leads): the rhythm lead (MLII,
 * II, first) when it is a candidate, unless its QRS complexes are under a third the size of another
 * candidate's — a lead perpendicular to the QRS axis (II at an axis of −30°) shows almost none.
 */
export function chooseMeasurementLead(recording: EcgRecording, candidates: readonly number[] = recording.leads.map((_, i) => i)): number {
  const preferred = chooseRhythmLead(recording);
  const prominence = new Map(candidates.map((i) => [i, qrsProminence(recording.leads[i]!.samples, recording.sampleRateHz)]));
  let best = candidates[0] ?? preferred;
  for (const [i, p] of prominence) if (p > (prominence.get(best) ?? 0)) best = i;
  const preferredProminence = prominence.get(preferred);
  return preferredProminence !== undefined && preferredProminence * 3 >= (prominence.get(best) ?? 0) ? preferred : best;
}

export interface MeasureOptions {
  /** Mains frequency for the notch (50 Hz in China), or null for none. */
  mainsHz?: number | null;
}

const round = (v: number | null, digits = 0): number | null => (v === null || !Number.isFinite(v) ? null : Number(v.toFixed(digits)));

const median = (values: readonly number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/**
 * The beats a strip is measured on (and its heart rate shown from): leads with a detached electrode
 * or buried in noise are left out, QRS complexes are found on all the usable leads together (the
 * two-lead detector of the MIT-BIH bench; a single lead misses aberrated and ventricular beats that
 * another lead shows clearly), each at the largest deflection of the leads together. A complex cut
 * by the strip's edge counts only when its peak lies inside the strip (strip-edges.ts). Ventricular
 * flutter/fibrillation is reported instead of beats where it is found.
 */
export function stripBeats(recording: EcgRecording, options: MeasureOptions = {}) {
  const fs = recording.sampleRateHz;
  if (recording.leads.length === 0 || !(fs > 0)) throw new RangeError('measureEcg needs at least one lead and a sampling rate');
  const mainsHz = options.mainsHz === undefined ? 50 : options.mainsHz;
  const notchHz = mainsHz !== null && mainsHz < fs / 2 ? mainsHz : null;
  // Leads of unequal length (a damaged file) are measured over their common span.
  const length = Math.min(...recording.leads.map((l) => l.samples.length));
  const microvolts = recording.leads.map(({ samples }) => Float64Array.from(samples.subarray(0, length), (v) => v * recording.resolutionUv));

  // Leads with a detached electrode or buried in noise take no part in any measurement.
  const quality = microvolts.map((x) => assessLeadQuality(x, fs, notchHz));
  const usable = recording.leads.map((_, i) => i).filter((i) => quality[i]!.usable);
  const rhythmIndex = usable.length > 0 ? chooseMeasurementLead(recording, usable) : chooseRhythmLead(recording);
  const detected = usable.length > 0 ? detectBeatsMultiLead(usable.map((i) => microvolts[i]!), fs) : { peaks: new Int32Array(0), flutterEpisodes: [] };
  const rPeaks = withoutComplexesPeakingOutside(Array.from(detected.peaks), usable.map((i) => microvolts[i]!), fs);
  return { fs, notchHz, length, microvolts, quality, usable, rhythmIndex, rPeaks, flutterEpisodes: detected.flutterEpisodes };
}

export function measureEcg(recording: EcgRecording, options: MeasureOptions = {}): EcgMeasurements {
  const { fs, notchHz, length, microvolts, quality, usable, rhythmIndex, rPeaks, flutterEpisodes } = stripBeats(recording, options);
  const ventricularFlutterSeconds = flutterEpisodes.reduce((sum, [from, to]) => sum + (to - from), 0) / fs;
  const excludedLeads = recording.leads.flatMap((l, i) => (quality[i]!.usable ? [] : [{ lead: l.lead, problems: quality[i]!.problems }]));
  const sex = recording.patient?.sex;
  const rhythmLead = recording.leads[rhythmIndex]!;
  const rr = rrIntervalsMs(rPeaks, fs);
  // A strip with ventricular flutter/fibrillation has no heart rate to show: the beats around the
  // episode would give a made-up one.
  const rate = ventricularFlutterSeconds > 0 ? null : heartRateBpm(rr);
  const empty: EcgMeasurements = {
    sampleRateHz: fs,
    durationSeconds: length / fs,
    rhythmLead: rhythmLead.lead,
    excludedLeads,
    rPeaks,
    beatCount: rPeaks.length,
    rrIntervalsMs: rr.map((v) => Number(v.toFixed(1))),
    heartRateBpm: round(rate, 1),
    medianBeatCount: 0,
    prIntervalMs: null,
    qrsDurationMs: null,
    qtIntervalMs: null,
    qtcBazettMs: null,
    qtcFridericiaMs: null,
    qrsAxisDeg: null,
    pWavePresent: false,
    stLevelUv: {},
    hints: rhythmHints({ heartRateBpm: rate, rrMs: rr, pWavePresent: false, qrsDurationMs: null, qtcBazettMs: null, stLevelUv: {}, sex, excludedLeads: excludedLeads.map((e) => e.lead), ventricularFlutterSeconds }),
  };
  if (usable.length === 0) return empty;

  // Diagnostic bandwidth for delineation: a 40 Hz low-pass would widen the QRS by ~10 ms; the
  // median beat already averages the noise away (AHA 2007 asks for 150 Hz in adults).
  const conditioned = usable.map((i) => ({ lead: recording.leads[i]!.lead, samples: conditionEcg(microvolts[i]!, fs, { notchHz, lowPassHz: Math.min(150, 0.4 * fs) }) }));

  // Dominant beats: leave out premature beats and the beat after each pause (different shape and
  // ST–T), unless the whole rhythm is irregular, in which case every beat counts.
  const { prematureBeats } = analyseRr(rr);
  const excluded = new Set(prematureBeats.length <= rr.length * 0.3 ? prematureBeats.map((i) => i + 1) : []);
  const dominant = rPeaks.filter((_, i) => !excluded.has(i));
  const rrSamples = rr.length > 0 ? (median(rr) * fs) / 1000 : fs;
  const beat = rPeaks.length >= 1 ? buildMedianBeat(conditioned, dominant, fs) : undefined;
  if (!beat) return empty;
  return { ...empty, ...measureMedianBeat(beat, rrSamples, rate, rr, sex, excludedLeads.map((e) => e.lead), ventricularFlutterSeconds) };
}

function measureMedianBeat(
  beat: MedianBeat,
  rrSamples: number,
  rate: number | null,
  rr: number[],
  sex: HintInputs['sex'],
  excludedLeads: string[],
  ventricularFlutterSeconds: number,
): Partial<EcgMeasurements> {
  const fs = beat.sampleRateHz;
  const toMs = (samples: number): number => (samples * 1000) / fs;
  const f = delineateMedianBeat(beat, { rrSamples });
  const qrsDuration = toMs(f.qrsOffset - f.qrsOnset);
  const pr = f.pOnset === undefined ? null : toMs(f.qrsOnset - f.pOnset);
  const qt = f.tEnd === undefined ? null : toMs(f.tEnd - f.qrsOnset);
  const rrSeconds = rr.length > 0 ? rr.reduce((a, b) => a + b, 0) / rr.length / 1000 : null;
  const qtcBazett = qt !== null && rrSeconds !== null ? qt / Math.sqrt(rrSeconds) : null;
  const qtcFridericia = qt !== null && rrSeconds !== null ? qt / Math.cbrt(rrSeconds) : null;

  const index = (name: string): number => beat.leads.findIndex((l) => l.lead === name);
  const net = (li: number): number => netQrsAmplitude(beat.leads[li]!.samples, f.qrsOnset, f.qrsOffset, f.baseline[li] as number);
  const iIndex = index('I');
  const aVfIndex = index('aVF');
  const iiIndex = index('II');
  let axis: number | null = null;
  if (iIndex >= 0 && aVfIndex >= 0) axis = frontalAxisDeg(net(iIndex), net(aVfIndex));
  else if (iIndex >= 0 && iiIndex >= 0) axis = frontalAxisDeg(net(iIndex), net(iiIndex) - net(iIndex) / 2); // aVF = II − I/2

  const stOffset = Math.round(((rrSamples < 0.6 * fs ? 40 : 60) * fs) / 1000);
  const stAt = Math.min(beat.leads[0]!.samples.length - 1, f.qrsOffset + stOffset);
  const stLevelUv: Record<string, number> = {};
  beat.leads.forEach((l, li) => {
    stLevelUv[l.lead] = Math.round((l.samples[stAt] as number) - (f.baseline[li] as number));
  });

  const pWavePresent = f.pOnset !== undefined;
  const result = {
    medianBeatCount: beat.beatCount,
    prIntervalMs: round(pr),
    qrsDurationMs: round(qrsDuration),
    qtIntervalMs: round(qt),
    qtcBazettMs: round(qtcBazett),
    qtcFridericiaMs: round(qtcFridericia),
    qrsAxisDeg: round(axis),
    pWavePresent,
    stLevelUv,
  };
  return {
    ...result,
    hints: rhythmHints({
      heartRateBpm: rate,
      rrMs: rr,
      pWavePresent,
      qrsDurationMs: result.qrsDurationMs,
      qtcBazettMs: result.qtcBazettMs,
      stLevelUv,
      sex,
      excludedLeads,
      ventricularFlutterSeconds,
    }),
  };
}
