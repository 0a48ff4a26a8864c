/**
 * Wave delineation on a median beat: QRS onset and offset, P onset, T end, and the isoelectric level.
 *
 * The method is the one computerized 12-lead programs describe (e.g. the median-beat approach of
 * the Glasgow program and GE 12SL): align the dominant beats on their R peaks, take the sample-wise
 * median per lead (noise and non-time-locked activity such as AF f-waves average out), then
 *   - QRS onset/offset: where the spatial velocity Σ|dx/dt| over all leads stays below a threshold
 *     for 20 ms on either side of the R peak (a global, all-lead onset/offset as IEC 60601-2-25
 *     expects for QRS duration);
 *   - T end: the tangent method — the steepest point of the descending T limb, its tangent
 *     intersected with the isoelectric level — in lead II, else V5, else the lead with the largest T
 *     (Postema PG, Wilde AAM, "The measurement of the QT interval", Curr Cardiol Rev 2014;10:287);
 *   - P onset: the trapezium-area method of Vázquez-Seisdedos CR et al. ("New approach for T-wave
 *     end detection on electrocardiogram: performance in noisy conditions", BioMed Eng OnLine
 *     2011;10:77), mirrored for an onset: from the steepest point of the rising limb back to a
 *     point before the wave, the onset is where the trapezium between the wave, that point and the
 *     two levels has the largest area. It is taken on all leads together (`pWaveProjection`) once
 *     lead II (else the lead with the largest P) shows a P wave clear of the noise.
 * The tangent method lands a little inside a wave's true limits: where a wave leaves the baseline
 * gently (zero slope, as a P wave does) its steepest tangent meets the baseline ≈ 10 ms later than
 * the wave begins (a 100 ms Hann-shaped P wave: 9 ms; the T end likewise ≈ 10–15 ms early). For the
 * T end that is how QT is read by hand with calipers (Postema & Wilde), and within IEC 60601-2-25's
 * ±25 ms; for the P onset it made every PR ≈ 10 ms short, the whole of the ±10 ms tolerance. The
 * trapezium's area keeps growing while the wave is still rising and stops where it begins, so it
 * finds a gentle onset (1–2 ms late on the same P wave), and an area averages noise instead of
 * following one slope.
 */

export interface MedianBeat {
  sampleRateHz: number;
  /** Index of the aligned R peak inside each lead's template. */
  rIndex: number;
  /**
   * Samples in µV; `scatter` is, per sample, the RMS difference between the individual beats and
   * the median (what does not repeat from beat to beat: noise, f waves).
   */
  leads: { lead: string; samples: Float64Array; scatter?: Float64Array }[];
  /** How many beats went into the median. */
  beatCount: number;
}

/** Sample indices inside the median beat; undefined when a wave could not be found. */
export interface BeatFiducials {
  qrsOnset: number;
  qrsOffset: number;
  pOnset: number | undefined;
  pLead: string | undefined;
  tEnd: number | undefined;
  tLead: string | undefined;
  /** Isoelectric (PR-segment) level of each lead, same units as the samples. */
  baseline: Float64Array;
}

const ms = (milliseconds: number, fs: number): number => Math.max(1, Math.round((milliseconds * fs) / 1000));

/** How far before the steepest point of its rising limb a P wave's onset is looked for. */
const pOnsetReachMs = 100;

/** The sample-wise median of the beats around `peaks`, `preMs` before and `postMs` after each R. */
export function buildMedianBeat(
  leads: readonly { lead: string; samples: Float64Array }[],
  peaks: readonly number[],
  sampleRateHz: number,
  preMs = 450,
  postMs = 650,
): MedianBeat | undefined {
  const pre = ms(preMs, sampleRateHz);
  const post = ms(postMs, sampleRateHz);
  const length = leads[0]?.samples.length ?? 0;
  const usable = peaks.filter((p) => p - pre >= 0 && p + post < length);
  if (usable.length === 0) return undefined;
  const column = new Float64Array(usable.length);
  const medianOfColumn = (): number => {
    column.sort();
    const mid = column.length >> 1;
    return column.length % 2 ? (column[mid] as number) : ((column[mid - 1] as number) + (column[mid] as number)) / 2;
  };
  return {
    sampleRateHz,
    rIndex: pre,
    beatCount: usable.length,
    leads: leads.map(({ lead, samples }) => {
      const template = new Float64Array(pre + post + 1);
      const scatter = new Float64Array(pre + post + 1);
      for (let k = 0; k <= pre + post; k++) {
        usable.forEach((p, b) => (column[b] = samples[p - pre + k] as number));
        const m = medianOfColumn();
        template[k] = m;
        let squares = 0;
        for (const v of column) squares += (v - m) ** 2;
        scatter[k] = Math.sqrt(squares / column.length);
      }
      return { lead, samples: template, scatter };
    }),
  };
}

function spatialVelocity(beat: MedianBeat): Float64Array {
  const n = beat.leads[0]?.samples.length ?? 0;
  const v = new Float64Array(n);
  for (const { samples } of beat.leads) {
    for (let i = 1; i < n - 1; i++) v[i] = (v[i] as number) + Math.abs((samples[i + 1] as number) - (samples[i - 1] as number));
  }
  v[0] = v[1] ?? 0;
  if (n > 1) v[n - 1] = v[n - 2] as number;
  return v;
}

/** Centred moving average: P and T are slow waves, so their tangents are taken on a smoothed copy. */
function smooth(x: Float64Array, width: number): Float64Array {
  const half = Math.floor(width / 2);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const from = Math.max(0, i - half);
    const to = Math.min(x.length - 1, i + half);
    let sum = 0;
    for (let j = from; j <= to; j++) sum += x[j] as number;
    out[i] = sum / (to - from + 1);
  }
  return out;
}

const meanIn = (x: Float64Array, from: number, to: number): number => {
  let sum = 0;
  let count = 0;
  for (let i = Math.max(0, from); i < Math.min(x.length, to); i++, count++) sum += x[i] as number;
  return count === 0 ? 0 : sum / count;
};

/**
 * Whether the wave around `at` (±`half` samples) is one that each beat shows: its energy in the
 * median beat at least the beats' own scatter around the median there — a P wave visible beat by
 * beat, as a reader needs to see it before measuring PR. A median of beats with a fibrillatory
 * baseline keeps a residual "wave" of its f waves (one random bump among the phases of 10–15
 * beats), but each beat differs from it by the whole f wave: 0.3 of the energy on the bench's
 * atrial-fibrillation tracings, against 3 for a 60 µV P wave in 20 µV of noise and 20 for 150 µV.
 * The cost: when a strip's median mixes shapes (frequent ventricular premature beats, which carry no
 * P wave, counted in because the rhythm is irregular) the P wave no longer repeats in every beat and
 * is not measured. On 10 s strips of MIT-BIH DS1 (one a minute) P waves were found in 203 in 1 of
 * 30 strips (20 before; atrial flutter and fibrillation) and in 208 (sinus with 1 PVC in 3) in 12
 * (30 before); the other sinus records lost 0–9 of 30.
 */
function repeatsBeatByBeat(lead: MedianBeat['leads'][number], level: number, at: number, half: number): boolean {
  if (!lead.scatter) return true;
  let wave = 0;
  let scatter = 0;
  for (let i = Math.max(0, at - half); i <= Math.min(lead.samples.length - 1, at + half); i++) {
    wave += ((lead.samples[i] as number) - level) ** 2;
    scatter += (lead.scatter[i] as number) ** 2;
  }
  return wave >= scatter;
}

/**
 * The P wave of all leads in one signal: each lead's median beat, less its isoelectric level,
 * weighted by its own P amplitude (signed), summed — a matched combination in which a lead counts
 * as much as it shows the P wave, so the P onset is found where the earliest leads begin (a global
 * onset, as IEC 60601-2-25 measures PR) with the noise of all leads averaged. Upright by construction.
 */
function pWaveProjection(beat: MedianBeat, baseline: Float64Array, pAmplitude: (leadIndex: number) => number): Float64Array {
  const n = beat.leads[0]?.samples.length ?? 0;
  const out = new Float64Array(n);
  beat.leads.forEach(({ samples }, li) => {
    const weight = pAmplitude(li);
    const level = baseline[li] as number;
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) + weight * ((samples[i] as number) - level);
  });
  return out;
}

/**
 * Trapezium-area construction (Vázquez-Seisdedos et al. 2011): `steepest` is the steepest point of
 * a wave limb, `reference` a point beyond the wave's limit on the baseline side (before an onset,
 * after an end). For each candidate i between them, the trapezium with corners (steepest, x[steepest]),
 * (i, x[i]), (reference, x[i]), (reference, x[steepest]) has area ½·|x[steepest] − x[i]|·(|reference −
 * steepest| + |reference − i|); the wave's limit is the candidate with the largest area.
 */
function trapeziumLimit(x: Float64Array, steepest: number, reference: number): number {
  const step = reference < steepest ? -1 : 1;
  let best = steepest;
  let bestArea = -Infinity;
  for (let i = steepest; i !== reference + step; i += step) {
    const area = 0.5 * Math.abs((x[steepest] as number) - (x[i] as number)) * (Math.abs(reference - steepest) + Math.abs(reference - i));
    if (area > bestArea) {
      bestArea = area;
      best = i;
    }
  }
  return best;
}

/** The steepest point of a wave limb between `from` and `to`, rising when `direction` is +1, falling when −1. */
function steepestPoint(x: Float64Array, from: number, to: number, direction: number): number | undefined {
  let best: number | undefined;
  let bestSlope = 0;
  for (let i = Math.max(1, from); i < Math.min(x.length - 1, to); i++) {
    const slope = (((x[i + 1] as number) - (x[i - 1] as number)) / 2) * direction;
    if (slope > bestSlope) {
      bestSlope = slope;
      best = i;
    }
  }
  return best;
}

/**
 * Tangent construction: the steepest point of a wave limb between `from` and `to` — rising when
 * `direction` is +1, falling when −1 — and where its tangent meets `level` (fractional sample).
 */
function tangentIntercept(x: Float64Array, from: number, to: number, level: number, direction: number): number | undefined {
  let best = -1;
  let bestSlope = 0;
  for (let i = Math.max(1, from); i < Math.min(x.length - 1, to); i++) {
    const slope = ((x[i + 1] as number) - (x[i - 1] as number)) / 2;
    if (slope * direction > bestSlope * direction) {
      bestSlope = slope;
      best = i;
    }
  }
  if (best < 0 || bestSlope === 0) return undefined;
  return best + (level - (x[best] as number)) / bestSlope;
}

export interface DelineationLimits {
  /** Median RR in samples, to keep the T-end search inside the cycle. */
  rrSamples: number;
}

export function delineateMedianBeat(beat: MedianBeat, limits: DelineationLimits): BeatFiducials {
  const fs = beat.sampleRateHz;
  const r = beat.rIndex;
  const n = beat.leads[0]?.samples.length ?? 0;
  const velocity = spatialVelocity(beat);

  // QRS: threshold from the steepest part of the complex and from the quiet parts of the template.
  let peakVelocity = 0;
  for (let i = r - ms(80, fs); i <= r + ms(80, fs); i++) peakVelocity = Math.max(peakVelocity, velocity[i] ?? 0);
  const sorted = Float64Array.from(velocity).sort();
  const floor = sorted[Math.floor(sorted.length * 0.2)] as number;
  const threshold = Math.max(0.06 * peakVelocity, 3 * floor);
  const quietRun = ms(20, fs);
  const findQuiet = (start: number, step: 1 | -1, limit: number): number => {
    let run = 0;
    for (let i = start; step > 0 ? i <= limit : i >= limit; i += step) {
      run = (velocity[i] as number) < threshold ? run + 1 : 0;
      if (run >= quietRun) return i - step * (quietRun - 1);
    }
    return limit;
  };
  const qrsOnset = findQuiet(r, -1, Math.max(0, r - ms(160, fs)));
  const qrsOffset = findQuiet(r, 1, Math.min(n - 1, r + ms(200, fs)));

  // Isoelectric level: the PR segment just before the QRS onset.
  const baseline = Float64Array.from(beat.leads, ({ samples }) => meanIn(samples, qrsOnset - ms(15, fs), qrsOnset - ms(2, fs) + 1));

  const leadIndex = (name: string): number => beat.leads.findIndex((l) => l.lead === name || (name === 'II' && l.lead === 'MLII'));
  const amplitudeIn = (li: number, from: number, to: number): { at: number; amplitude: number } => {
    const x = beat.leads[li]?.samples as Float64Array;
    const level = baseline[li] as number;
    let at = from;
    for (let i = Math.max(0, from); i < Math.min(n, to); i++) if (Math.abs((x[i] as number) - level) > Math.abs((x[at] as number) - level)) at = i;
    return { at, amplitude: (x[at] as number) - level };
  };
  const pickLead = (preferred: string[], from: number, to: number, minimum: number): number => {
    for (const name of preferred) {
      const li = leadIndex(name);
      if (li >= 0 && Math.abs(amplitudeIn(li, from, to).amplitude) >= minimum) return li;
    }
    let best = -1;
    let bestAmplitude = 0;
    beat.leads.forEach((_, li) => {
      const a = Math.abs(amplitudeIn(li, from, to).amplitude);
      if (a > bestAmplitude) {
        best = li;
        bestAmplitude = a;
      }
    });
    return bestAmplitude > 0 ? best : -1;
  };

  // T wave: after the ST segment, before the next beat's P wave could start.
  const tFrom = qrsOffset + ms(60, fs);
  // Not into the next beat's P wave: at 72 bpm with a PR of 160 ms it starts 0.8 RR after this QRS onset, and a
  // window reaching it took a positive P for the end of a negative T (QT 680 ms for 440).
  const tTo = Math.min(n - 1, r + Math.min(ms(650, fs), Math.round(0.7 * limits.rrSamples) - ms(40, fs)));
  let tEnd: number | undefined;
  let tLead: string | undefined;
  if (tTo > tFrom) {
    const li = pickLead(['II', 'V5'], tFrom, tTo, 150);
    if (li >= 0) {
      const x = smooth(beat.leads[li]?.samples as Float64Array, ms(20, fs));
      const peak = amplitudeIn(li, tFrom, tTo);
      if (Math.abs(peak.amplitude) >= 50) {
        const polarity = Math.sign(peak.amplitude);
        const intercept = tangentIntercept(x, peak.at, tTo, baseline[li] as number, -polarity);
        if (intercept !== undefined && intercept > peak.at) {
          tEnd = Math.min(tTo, intercept);
          tLead = beat.leads[li]?.lead;
        }
      }
    }
  }

  // P wave: between the end of the previous T wave (or 300 ms back) and the PR segment.
  const previousTEnd = tEnd === undefined ? -Infinity : tEnd - limits.rrSamples;
  const pFrom = Math.max(0, Math.round(qrsOnset - ms(300, fs)), Math.ceil(previousTEnd + ms(20, fs)));
  const pTo = qrsOnset - ms(20, fs);
  let pOnset: number | undefined;
  let pLead: string | undefined;
  if (pTo - pFrom > ms(40, fs)) {
    const li = pickLead(['II'], pFrom, pTo, 60);
    if (li >= 0) {
      const peak = amplitudeIn(li, pFrom, pTo);
      // A P wave must stand clear of the residual noise of the median beat, and repeat beat by beat.
      if (Math.abs(peak.amplitude) >= 40 && peak.at > pFrom + ms(15, fs) && repeatsBeatByBeat(beat.leads[li]!, baseline[li] as number, peak.at, ms(40, fs))) {
        const x = smooth(pWaveProjection(beat, baseline, (l) => amplitudeIn(l, pFrom, pTo).amplitude), ms(12, fs));
        let top = pFrom;
        for (let i = pFrom; i < pTo; i++) if ((x[i] as number) > (x[top] as number)) top = i;
        const steepest = steepestPoint(x, pFrom, top, 1);
        if (steepest !== undefined) {
          // The trapezium's far corner: at most 100 ms before the steepest point. A P wave lasts
          // under 120 ms and rises most steeply in its first half, so its onset lies well inside
          // that; a corner further back only lets baseline noise compete with the onset (on the
          // bench's low-voltage tracings, 60 µV P waves: PR +12 ± 18 ms with the corner at the
          // previous T wave, +4 ± 4 ms at 100 ms; 80 and 120 ms were tried too).
          pOnset = trapeziumLimit(x, steepest, Math.max(pFrom, steepest - ms(pOnsetReachMs, fs)));
          pLead = beat.leads[li]?.lead;
        }
      }
    }
  }
  return { qrsOnset, qrsOffset, pOnset, pLead, tEnd, tLead, baseline };
}
