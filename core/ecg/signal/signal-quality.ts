/**
 * Per-lead signal quality (信号质量): a lead with a loose or detached electrode, or buried in muscle
 * noise, must not feed the measurements — a floating electrode turns into "ST elevation" or
 * "atrial fibrillation" otherwise. The checks follow what an ECG cart's lead-off and noise
 * indicators look at:
 *   - flat: almost no signal at all (an amplifier input shorted or clamped);
 *   - mains hum: a floating electrode picks up mains hum that the right-leg drive no longer
 *     cancels — hundreds of µV instead of a few;
 *   - muscle noise: broadband content above the 40 Hz ECG band;
 *   - baseline drift: an electrode sliding on the skin moves the baseline by millivolts.
 * The limits are set well above what a usable but noisy recording shows (EMG of 80 µV RMS, hum of
 * 200 µV at the electrodes still measure correctly) and well below a detached electrode.
 */
import { conditionEcg, notchFilter, removeBaselineWander } from './filters.ts';
import { detectQrsMultiLead } from './qrs-detection.ts';

export type LeadQualityProblem = 'flat' | 'mains-hum' | 'muscle-noise' | 'baseline-drift';

export interface LeadQuality {
  usable: boolean;
  problems: LeadQualityProblem[];
  /** RMS of the mains band, µV. */
  mainsHumUv: number;
  /** RMS above the 40 Hz ECG band (mains removed), µV. */
  muscleNoiseUv: number;
  /** Range of the sub-0.5 Hz baseline, µV. */
  baselineDriftUv: number;
  /** Peak-to-peak of the conditioned (0.5–40 Hz) signal, µV. */
  peakToPeakUv: number;
}

export const leadQualityLimits = {
  minPeakToPeakUv: 20,
  maxMainsHumUv: 300,
  maxMuscleNoiseUv: 500,
  maxBaselineDriftUv: 5000,
} as const;

const rms = (x: Float64Array): number => {
  let sum = 0;
  for (const v of x) sum += v * v;
  return x.length === 0 ? 0 : Math.sqrt(sum / x.length);
};

/** `samplesUv` in microvolts. */
export function assessLeadQuality(samplesUv: Float64Array, sampleRateHz: number, mainsHz: number | null = 50): LeadQuality {
  const highPassed = removeBaselineWander(samplesUv, sampleRateHz);
  const withoutMains = mainsHz !== null && mainsHz < sampleRateHz / 2 ? notchFilter(highPassed, sampleRateHz, mainsHz) : highPassed;
  const ecgBand = conditionEcg(samplesUv, sampleRateHz, { notchHz: mainsHz !== null && mainsHz < sampleRateHz / 2 ? mainsHz : null });
  const n = samplesUv.length;
  const mains = new Float64Array(n);
  const muscle = new Float64Array(n);
  let driftLow = Infinity;
  let driftHigh = -Infinity;
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < n; i++) {
    mains[i] = (highPassed[i] as number) - (withoutMains[i] as number);
    muscle[i] = (withoutMains[i] as number) - (ecgBand[i] as number);
    const drift = (samplesUv[i] as number) - (highPassed[i] as number);
    driftLow = Math.min(driftLow, drift);
    driftHigh = Math.max(driftHigh, drift);
    low = Math.min(low, ecgBand[i] as number);
    high = Math.max(high, ecgBand[i] as number);
  }
  const quality: LeadQuality = {
    usable: true,
    problems: [],
    mainsHumUv: rms(mains),
    muscleNoiseUv: rms(muscle),
    baselineDriftUv: n === 0 ? 0 : driftHigh - driftLow,
    peakToPeakUv: n === 0 ? 0 : high - low,
  };
  if (quality.peakToPeakUv < leadQualityLimits.minPeakToPeakUv) quality.problems.push('flat');
  if (quality.mainsHumUv > leadQualityLimits.maxMainsHumUv) quality.problems.push('mains-hum');
  if (quality.muscleNoiseUv > leadQualityLimits.maxMuscleNoiseUv) quality.problems.push('muscle-noise');
  if (quality.baselineDriftUv > leadQualityLimits.maxBaselineDriftUv) quality.problems.push('baseline-drift');
  quality.usable = quality.problems.length === 0;
  return quality;
}

export interface SegmentNoise {
  /**
   * Estimated signal-to-noise ratio in dB, the NSTDB way (S = QRS peak-to-peak² / 8, of the median
   * beat): noise is what is left of each beat after subtracting the most alike other beat of the
   * segment — muscle tremor and electrode motion alike, in the ECG band — taken as the median over
   * beats, so ectopic beats of another shape do not count as noise. Null when fewer than three
   * beats were found.
   */
  snrDb: number | null;
  /** The SNR is below `noisySnrDb`: the trace is too noisy to read reliably (warn the operator). */
  noisy: boolean;
}

/**
 * Below this estimated SNR a segment is called noisy. Chosen on MIT-BIH DS1 with generated NSTDB
 * noise (tests/bench/ecg-detection): clean strips estimate 19 dB and more, except in record 203
 * (noisy in the database itself) and in ventricular flutter; noise at 6 dB estimates below it.
 */
export const noisySnrDb = 18;

/**
 * How noisy a segment (a few seconds, one or more leads of the same rate, in µV) is, lead by lead;
 * the best lead counts. `detectedBeats`, when the caller has already detected them on these leads.
 */
export function assessSegmentNoise(leadsUv: readonly Float64Array[], sampleRateHz: number, detectedBeats?: ArrayLike<number>): SegmentNoise {
  const beats = Array.from(detectedBeats ?? detectQrsMultiLead(leadsUv, sampleRateHz));
  const before = Math.round(0.25 * sampleRateHz);
  const after = Math.round(0.4 * sampleRateHz);
  const usable = beats.filter((b) => b - before >= 0 && b + after < (leadsUv[0]?.length ?? 0));
  if (usable.length < 3) return { snrDb: null, noisy: false };
  let best = -Infinity;
  for (const lead of leadsUv) {
    const x = conditionEcg(lead, sampleRateHz, { notchHz: null });
    const width = before + after;
    const template = new Float64Array(width);
    const column = new Float64Array(usable.length);
    for (let k = 0; k < width; k++) {
      usable.forEach((b, j) => (column[j] = x[b - before + k] as number));
      template[k] = column.sort()[usable.length >> 1] as number;
    }
    let lo = Infinity;
    let hi = -Infinity;
    const qrsFrom = before - Math.round(0.06 * sampleRateHz);
    const qrsTo = before + Math.round(0.06 * sampleRateHz);
    for (let k = qrsFrom; k <= qrsTo; k++) {
      lo = Math.min(lo, template[k] as number);
      hi = Math.max(hi, template[k] as number);
    }
    // Each beat against the other beat whose QRS is most alike: two beats of one shape differ only
    // by noise (twice its power), so ectopic beats, bigeminy and aberration, each shape recurring,
    // are not taken for noise as they would be against a single median beat. The partner is chosen
    // on the QRS alone and the noise measured over the whole beat, so that choosing the partner
    // does not also choose the quietest stretch of noise.
    const difference = (b: number, c: number, from: number, to: number): number => {
      let mean = 0;
      for (let k = from; k < to; k++) mean += (x[b - before + k] as number) - (x[c - before + k] as number);
      mean /= to - from;
      let power = 0;
      for (let k = from; k < to; k++) power += ((x[b - before + k] as number) - (x[c - before + k] as number) - mean) ** 2;
      return power / (to - from) / 2;
    };
    const residuals = usable
      .map((b, i) => {
        let partner = -1;
        let closest = Infinity;
        usable.forEach((c, j) => {
          if (i === j) return;
          const d = difference(b, c, qrsFrom, qrsTo + 1);
          if (d < closest) {
            closest = d;
            partner = c;
          }
        });
        return difference(b, partner, 0, width);
      })
      .sort((a, b) => a - b);
    const noisePower = residuals[residuals.length >> 1] as number;
    const signalPower = (hi - lo) ** 2 / 8;
    best = Math.max(best, noisePower > 0 ? 10 * Math.log10(signalPower / noisePower) : Infinity);
  }
  return { snrDb: Number.isFinite(best) ? Number(best.toFixed(1)) : null, noisy: Number.isFinite(best) ? best < noisySnrDb : false };
}
