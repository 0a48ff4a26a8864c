/**
 * A test-only ECG builder whose waves have finite support (Hann-shaped bumps), so the true P onset,
 * QRS onset/offset and T end of every beat are known exactly — what a delineation test needs and a
 * Gaussian-sum model (core/ecg/synthesis) cannot give. Limb leads are projections of one frontal
 * vector per wave (hexaxial reference: I 0°, II 60°, III 120°, aVR −150°, aVL −30°, aVF 90°), so the
 * QRS axis is known too. Detector evaluation uses core/ecg/synthesis instead.
 */
import type { EcgRecording } from '../../recording.ts';

export const hexaxialAngleDeg: Record<string, number> = { I: 0, II: 60, III: 120, aVR: -150, aVL: -30, aVF: 90 };
const chestQrsGain: Record<string, number> = { V1: -0.6, V2: -0.3, V3: 0.4, V4: 0.9, V5: 1.0, V6: 0.8 };

export interface PiecewiseEcgOptions {
  sampleRateHz?: number;
  seconds?: number;
  heartRateBpm?: number;
  /** RR interval of every beat in ms (overrides heartRateBpm). */
  rrMs?: number[];
  prMs?: number;
  qrsMs?: number;
  qtMs?: number;
  qrsAxisDeg?: number;
  qrsAmplitudeUv?: number;
  pAmplitudeUv?: number;
  tAmplitudeUv?: number;
  /** ST shift (µV) from J point to T end, per lead; the J point itself is lifted too. */
  stShiftUv?: Record<string, number>;
  resolutionUv?: number;
  /** Gaussian noise SD in µV. */
  noiseUv?: number;
  seed?: number;
}

export interface PiecewiseEcg {
  recording: EcgRecording;
  /** Sample index of each beat's R peak. */
  rPeaks: number[];
  /** Sample index of each beat's QRS onset. */
  qrsOnsets: number[];
}

const hann = (t: number, start: number, duration: number): number =>
  t <= start || t >= start + duration ? 0 : 0.5 * (1 - Math.cos((2 * Math.PI * (t - start)) / duration));

/** T wave: slow rise (60 %) and faster fall (40 %), each half a Hann window. */
const tShape = (t: number, start: number, duration: number): number => {
  const rise = 0.6 * duration;
  if (t <= start || t >= start + duration) return 0;
  if (t < start + rise) return 0.5 * (1 - Math.cos((Math.PI * (t - start)) / rise));
  return 0.5 * (1 + Math.cos((Math.PI * (t - start - rise)) / (duration - rise)));
};

export function makePiecewiseEcg(options: PiecewiseEcgOptions = {}): PiecewiseEcg {
  const fs = options.sampleRateHz ?? 500;
  const seconds = options.seconds ?? 10;
  const pr = (options.prMs ?? 160) / 1000;
  const qrs = (options.qrsMs ?? 90) / 1000;
  const qt = (options.qtMs ?? 400) / 1000;
  const axis = ((options.qrsAxisDeg ?? 60) * Math.PI) / 180;
  const qrsAmp = options.qrsAmplitudeUv ?? 1200;
  const pAmp = options.pAmplitudeUv ?? 150;
  const tAmp = options.tAmplitudeUv ?? 350;
  const resolution = options.resolutionUv ?? 1;
  const n = Math.round(seconds * fs);

  // QRS onsets: first at 0.4 s, then by the RR sequence.
  const rr = options.rrMs ?? [];
  const defaultRr = 60000 / (options.heartRateBpm ?? 72);
  const onsetsS: number[] = [];
  for (let t = 0.4, k = 0; t + qt + 0.05 < seconds; t += (rr[k] ?? defaultRr) / 1000, k++) onsetsS.push(t);

  const limbGain = (lead: string, waveAxis: number): number =>
    Math.cos(waveAxis - ((hexaxialAngleDeg[lead] ?? 0) * Math.PI) / 180);
  const leadNames = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
  let state = (options.seed ?? 1) >>> 0 || 1;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const gaussian = (): number => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());

  const leads = leadNames.map((lead) => {
    const chest = chestQrsGain[lead];
    const qrsGain = chest ?? limbGain(lead, axis);
    const pGain = chest === undefined ? limbGain(lead, Math.PI / 3) : 0.5;
    const tGain = chest === undefined ? limbGain(lead, axis) : Math.abs(chest);
    const st = options.stShiftUv?.[lead] ?? 0;
    const samples = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const t = i / fs;
      let v = 0;
      for (const on of onsetsS) {
        if (t < on - pr - 0.01 || t > on + qt + 0.01) continue;
        v += pAmp * pGain * hann(t, on - pr, 0.1);
        // q (20 %), R (50 %), S (30 %) of the QRS duration.
        v += qrsAmp * qrsGain * (-0.1 * hann(t, on, 0.2 * qrs) + hann(t, on + 0.2 * qrs, 0.5 * qrs) - 0.25 * hann(t, on + 0.7 * qrs, 0.3 * qrs));
        const tDuration = 0.45 * qt;
        v += tAmp * tGain * tShape(t, on + qt - tDuration, tDuration);
        // Injury current: a plateau from J point to the T end, with 10 ms ramps.
        if (st !== 0) v += st * Math.min(1, Math.max(0, (t - on - qrs + 0.01) / 0.01), Math.max(0, (on + qt - t) / 0.01));
      }
      if (options.noiseUv) v += options.noiseUv * gaussian();
      samples[i] = Math.round(v / resolution);
    }
    return { lead, samples };
  });
  const rPeaks = onsetsS.map((on) => Math.round((on + 0.45 * qrs) * fs));
  const qrsOnsets = onsetsS.map((on) => Math.round(on * fs));
  return { recording: { sampleRateHz: fs, resolutionUv: resolution, leads }, rPeaks, qrsOnsets };
}
