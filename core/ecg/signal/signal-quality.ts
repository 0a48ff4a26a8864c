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
