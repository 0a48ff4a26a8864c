/**
 * Which QRS complexes cut by the edge of a strip count in the strip's heart rate.
 *
 * A strip's rate is the mean of the RR intervals between the beats inside it, and a beat lies
 * inside when its peak does — the way a reference annotation (at the R peak) lies inside a window
 * or not. A complex cut by the strip's first or last sample has lost part of itself, often its
 * peak: the detector still finds what is left and, with the filters' mirrored padding, places it
 * a few samples inside the edge, so a beat whose peak lies just outside was counted, one RR
 * interval too many. In a regular rhythm that changes nothing; in bigeminy or atrial fibrillation
 * one interval more or less moves a 10 s rate by more than 2 bpm.
 *
 * Where the cut complex peaks is found from the complete complexes of the same strip: the visible
 * part is slid along each of them (Pearson correlation over all leads, each lead's mean removed),
 * and where it fits best, the complete complex's peak tells where the cut one's would be. A cut
 * complex that peaks outside the strip is left out. When no complete complex looks like it (a
 * single ectopic beat at the edge), its detected position is kept.
 */

const ms = (milliseconds: number, sampleRateHz: number): number => Math.max(1, Math.round((milliseconds * sampleRateHz) / 1000));

/** Complexes whose detection lies this close to an edge may have been cut by it. */
const edgeMs = 150;
/** Half the span compared: a QRS complex and its ST segment. */
const halfSpanMs = 150;
/** How far the cut complex's peak may lie from where the detector placed it. */
const shiftMs = 80;
/** Less visible than this and the comparison says nothing. */
const minimumOverlapMs = 50;
/** A complete complex this alike (Pearson r) is of the same kind as the cut one. */
const sameKindCorrelation = 0.8;

/**
 * `peaks` (ascending sample indices) without the complexes cut by the strip's edges whose peak
 * lies outside the strip. `leads` are the strip's usable leads (same length, any baseline).
 */
export function withoutComplexesPeakingOutside(peaks: readonly number[], leads: readonly ArrayLike<number>[], sampleRateHz: number): number[] {
  if (leads.length === 0 || peaks.length === 0) return [...peaks];
  const n = Math.min(...leads.map((l) => l.length));
  const edge = ms(edgeMs, sampleRateHz);
  const half = ms(halfSpanMs, sampleRateHz);
  const complete = peaks.filter((q) => q - half >= 0 && q + half < n);
  return peaks.filter((p) => {
    if (p >= edge && p < n - edge) return true;
    const peak = peakFromCompleteComplexes(p, complete, leads, n, sampleRateHz);
    return peak === undefined || (peak >= 0 && peak < n);
  });
}

/** Where the complex detected at `p` peaks (possibly outside 0…n), or undefined when no complete complex resembles it. */
function peakFromCompleteComplexes(p: number, complete: readonly number[], leads: readonly ArrayLike<number>[], n: number, sampleRateHz: number): number | undefined {
  const half = ms(halfSpanMs, sampleRateHz);
  const shift = ms(shiftMs, sampleRateHz);
  const minimumOverlap = ms(minimumOverlapMs, sampleRateHz);
  let best = -Infinity;
  let bestPeak = p;
  for (const q of complete) {
    if (q === p) continue;
    for (let d = -shift; d <= shift; d++) {
      // The cut complex is taken to peak at r; sample i of the strip then lies where q + (i − r) lies in the complete one.
      const r = p + d;
      const from = Math.max(0, r - half);
      const to = Math.min(n, r + half + 1);
      if (to - from < minimumOverlap) continue;
      const c = correlation(leads, from, to, q - r);
      if (c > best) {
        best = c;
        bestPeak = r;
      }
    }
  }
  return best >= sameKindCorrelation ? bestPeak : undefined;
}

/** Pearson correlation of samples [from, to) with samples [from + offset, to + offset), all leads pooled, each lead's means removed. */
function correlation(leads: readonly ArrayLike<number>[], from: number, to: number, offset: number): number {
  let xy = 0;
  let xx = 0;
  let yy = 0;
  const count = to - from;
  for (const x of leads) {
    let meanX = 0;
    let meanY = 0;
    for (let i = from; i < to; i++) {
      meanX += x[i] as number;
      meanY += x[i + offset] as number;
    }
    meanX /= count;
    meanY /= count;
    for (let i = from; i < to; i++) {
      const a = (x[i] as number) - meanX;
      const b = (x[i + offset] as number) - meanY;
      xy += a * b;
      xx += a * a;
      yy += b * b;
    }
  }
  return xx === 0 || yy === 0 ? 0 : xy / Math.sqrt(xx * yy);
}
