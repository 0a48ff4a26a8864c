/**
 * Scores a QRS detector against reference beat annotations the way ANSI/AAMI EC57 (and the WFDB
 * `bxb` program) do: a detection matches a reference beat when it lies within 150 ms of it, each
 * beat and each detection matched at most once, nearest pairs first.
 *   Sensitivity (Se)             = TP / (TP + FN)
 *   Positive predictivity (+P)   = TP / (TP + FP)
 */

export interface BeatMatchScore {
  truePositives: number;
  falseNegatives: number;
  falsePositives: number;
  sensitivity: number;
  positivePredictivity: number;
  /** Harmonic mean of Se and +P. */
  f1: number;
  /** Mean |detection − reference| of the matched pairs, in ms. */
  meanTimingErrorMs: number;
  /** Reference sample indices no detection matched. */
  missed: number[];
  /** Detection sample indices that matched no reference beat. */
  extra: number[];
}

export interface BeatMatchOptions {
  /** Match window in ms (EC57: 150 ms). */
  windowMs?: number;
  /** Ignore beats and detections before this sample (EC57 skips the first 5 min of a record; short strips use a learning second). */
  fromSample?: number;
  toSample?: number;
  /**
   * Sample ranges [from, to) left out of the comparison, reference beats and detections alike
   * (e.g. the annotated ventricular flutter/fibrillation episodes, see `annotatedFlutterEpisodes`).
   */
  exclude?: readonly (readonly [number, number])[];
}

export function scoreBeatDetection(
  reference: ArrayLike<number>,
  detected: ArrayLike<number>,
  sampleRateHz: number,
  options: BeatMatchOptions = {},
): BeatMatchScore {
  const window = ((options.windowMs ?? 150) * sampleRateHz) / 1000;
  const from = options.fromSample ?? -Infinity;
  const to = options.toSample ?? Infinity;
  const exclude = options.exclude ?? [];
  const inRange = (s: number): boolean => s >= from && s < to && !exclude.some(([a, b]) => s >= a && s < b);
  const refs = Array.from(reference).filter(inRange).sort((a, b) => a - b);
  const dets = Array.from(detected).filter(inRange).sort((a, b) => a - b);

  // Candidate pairs within the window, matched greedily from the closest — with sorted inputs and a
  // window shorter than any physiological RR this is the same as the optimal assignment.
  const pairs: { r: number; d: number; distance: number }[] = [];
  let start = 0;
  for (let r = 0; r < refs.length; r++) {
    const ref = refs[r] as number;
    while (start < dets.length && (dets[start] as number) < ref - window) start++;
    for (let d = start; d < dets.length && (dets[d] as number) <= ref + window; d++) {
      pairs.push({ r, d, distance: Math.abs((dets[d] as number) - ref) });
    }
  }
  pairs.sort((a, b) => a.distance - b.distance);
  const refMatched = new Uint8Array(refs.length);
  const detMatched = new Uint8Array(dets.length);
  let tp = 0;
  let timing = 0;
  for (const p of pairs) {
    if (refMatched[p.r] || detMatched[p.d]) continue;
    refMatched[p.r] = 1;
    detMatched[p.d] = 1;
    tp++;
    timing += p.distance;
  }
  const missed = refs.filter((_, i) => !refMatched[i]);
  const extra = dets.filter((_, i) => !detMatched[i]);
  return { ...ratios(tp, missed.length, extra.length), meanTimingErrorMs: tp === 0 ? 0 : ((timing / tp) * 1000) / sampleRateHz, missed, extra };
}

function ratios(tp: number, fn: number, fp: number): Pick<BeatMatchScore, 'truePositives' | 'falseNegatives' | 'falsePositives' | 'sensitivity' | 'positivePredictivity' | 'f1'> {
  const sensitivity = tp + fn === 0 ? 1 : tp / (tp + fn);
  const positivePredictivity = tp + fp === 0 ? (fn === 0 ? 1 : 0) : tp / (tp + fp);
  const f1 = sensitivity + positivePredictivity === 0 ? 0 : (2 * sensitivity * positivePredictivity) / (sensitivity + positivePredictivity);
  return { truePositives: tp, falseNegatives: fn, falsePositives: fp, sensitivity, positivePredictivity, f1 };
}

export type GrossScore = Omit<BeatMatchScore, 'missed' | 'extra'>;

/**
 * EC57 gross statistics over several records: the beats of all records pooled (so a long record
 * weighs more), timing error averaged over all matched beats.
 */
export function grossScore(scores: readonly Omit<BeatMatchScore, 'missed' | 'extra'>[]): GrossScore {
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let timing = 0;
  for (const s of scores) {
    tp += s.truePositives;
    fn += s.falseNegatives;
    fp += s.falsePositives;
    timing += s.meanTimingErrorMs * s.truePositives;
  }
  return { ...ratios(tp, fn, fp), meanTimingErrorMs: tp === 0 ? 0 : timing / tp };
}

/**
 * The ventricular flutter/fibrillation episodes of a MIT-format annotation list, between '[' and
 * ']' (VFON and VFOFF; an episode still open at the end runs to `endSample`). EC57 leaves these out
 * of the QRS detection statistics: its reference comparator, bxb, skips every reference annotation
 * between VFON and VFOFF and does not count a test beat inside a reference VF episode as a false
 * positive. Pass them as `exclude` to score the EC57 way.
 */
export function annotatedFlutterEpisodes(annotations: readonly { sample: number; code: string }[], endSample: number): [number, number][] {
  const episodes: [number, number][] = [];
  let onset: number | undefined;
  for (const a of annotations) {
    if (a.code === '[') onset = a.sample;
    else if (a.code === ']' && onset !== undefined) {
      episodes.push([onset, a.sample]);
      onset = undefined;
    }
  }
  if (onset !== undefined) episodes.push([onset, endSample]);
  return episodes;
}

/** MIT annotation codes that mark a beat (EC57 beat labels), as opposed to rhythm or noise events. */
export const beatAnnotationCodes: ReadonlySet<string> = new Set(['N', 'L', 'R', 'B', 'A', 'a', 'J', 'S', 'V', 'r', 'F', 'e', 'j', 'n', 'E', '/', 'f', 'Q', '?']);
