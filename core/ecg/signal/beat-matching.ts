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
  const inRange = (s: number): boolean => s >= from && s < to;
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
  return {
    truePositives: tp,
    falseNegatives: missed.length,
    falsePositives: extra.length,
    sensitivity: refs.length === 0 ? 1 : tp / refs.length,
    positivePredictivity: dets.length === 0 ? (refs.length === 0 ? 1 : 0) : tp / dets.length,
    meanTimingErrorMs: tp === 0 ? 0 : ((timing / tp) * 1000) / sampleRateHz,
    missed,
    extra,
  };
}

/** MIT annotation codes that mark a beat (EC57 beat labels), as opposed to rhythm or noise events. */
export const beatAnnotationCodes: ReadonlySet<string> = new Set(['N', 'L', 'R', 'B', 'A', 'a', 'J', 'S', 'V', 'r', 'F', 'e', 'j', 'n', 'E', '/', 'f', 'Q', '?']);
