/**
 * A test-only ECG builder whose waves have finite support (Hann-shaped bumps), so the true P onset,
 * QRS onset/offset and T end of every beat are known exactly — what a delineation test needs and a
 * Gaussian-sum model (core/ecg/synthesis) cannot give. Limb leads are projections of one frontal
 * vector per wave (hexaxial reference: I 0°, II 60°, III 120°, aVR −150°, aVL −30°, aVF 90°), so the
 * QRS axis is known too. Detector evaluation uses core/ecg/synthesis instead.
 *
 * Conduction and rhythm variants, each keeping the true limits exact:
 *   - `qrsShape: 'rbbb'`: right bundle branch block — the first 60 % of the QRS is the normal
 *     (septal and left ventricular) depolarisation, the last 40 % a late rightward and anterior
 *     force, so V1 shows rsR′ and I, V6 a wide terminal S;
 *   - `qrsShape: 'lbbb'`: left bundle branch block — no septal q, two overlapping leftward forces
 *     (a broad notched R in I, aVL, V5, V6; a deep QS in V1–V2), and the T wave discordant;
 *   - `atrialFibrillation`: no P wave, an irregular RR (each interval drawn uniformly within ±35 %
 *     of the mean) and a fibrillatory baseline: f waves at 5–8 Hz whose frequency and amplitude
 *     drift, largest in V1 and the inferior leads. The f waves are not part of any wave's limits.
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
  /** QRS morphology: normal conduction (default) or a bundle branch block (see above). */
  qrsShape?: 'normal' | 'rbbb' | 'lbbb';
  /** Atrial fibrillation: no P, irregular RR (unless `rrMs` is given), f waves of this peak µV in V1. */
  atrialFibrillation?: { fWaveUv?: number };
}

export interface PiecewiseEcg {
  recording: EcgRecording;
  /** Sample index of each beat's R peak. */
  rPeaks: number[];
  /** Sample index of each beat's QRS onset. */
  qrsOnsets: number[];
  /**
   * The true frontal QRS axis by the net-deflection definition (core/ecg/signal/axis.ts) on the
   * noise-free complex: `qrsAxisDeg` itself for a normal QRS, whose parts all point one way.
   */
  qrsAxisDeg: number;
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

  let state = (options.seed ?? 1) >>> 0 || 1;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  const gaussian = (): number => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const af = options.atrialFibrillation;

  // QRS onsets: first at 0.4 s, then by the RR sequence (irregularly irregular in AF).
  const defaultRr = 60000 / (options.heartRateBpm ?? 72);
  const rr = options.rrMs ?? (af ? Array.from({ length: Math.ceil((seconds * 1000) / (0.6 * defaultRr)) }, () => defaultRr * (0.65 + 0.7 * uniform())) : []);
  const onsetsS: number[] = [];
  for (let t = 0.4, k = 0; t + qt + 0.05 < seconds; t += (rr[k] ?? defaultRr) / 1000, k++) onsetsS.push(t);

  const limbGain = (lead: string, waveAxis: number): number =>
    Math.cos(waveAxis - ((hexaxialAngleDeg[lead] ?? 0) * Math.PI) / 180);
  const leadNames = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
  const components = qrsComponents(options.qrsShape ?? 'normal', axis);
  const fWaves = af ? fibrillatoryWaves(n, fs, uniform) : undefined;

  const leads = leadNames.map((lead) => {
    const chest = chestQrsGain[lead];
    const pGain = af ? 0 : chest === undefined ? limbGain(lead, Math.PI / 3) : 0.5;
    const concordantT = chest === undefined ? limbGain(lead, axis) : Math.abs(chest);
    // In LBBB the T wave points away from the QRS (secondary repolarisation change).
    const tGain = options.qrsShape === 'lbbb' ? -leadGain(components[0]!, lead, limbGain) : concordantT;
    const componentGains = components.map((c) => leadGain(c, lead, limbGain));
    const fGain = fWaves ? (fWaveGain[lead] ?? 0) * (af?.fWaveUv ?? 80) : 0;
    const st = options.stShiftUv?.[lead] ?? 0;
    const samples = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const t = i / fs;
      let v = fWaves ? fGain * (fWaves[i] as number) : 0;
      for (const on of onsetsS) {
        if (t < on - pr - 0.01 || t > on + qt + 0.01) continue;
        v += pAmp * pGain * hann(t, on - pr, 0.1);
        components.forEach((c, k) => (v += qrsAmp * c.amplitude * (componentGains[k] as number) * hann(t, on + c.start * qrs, c.duration * qrs)));
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
  const rPeaks = onsetsS.map((on) => Math.round((on + rPeakFraction[options.qrsShape ?? 'normal'] * qrs) * fs));
  const qrsOnsets = onsetsS.map((on) => Math.round(on * fs));
  const net = (lead: string): number => {
    // The noise-free complex of one lead on a fine grid, then its largest excursion above plus below zero.
    let high = 0;
    let low = 0;
    for (let k = 0; k <= 1000; k++) {
      const v = components.reduce((sum, c) => sum + c.amplitude * leadGain(c, lead, limbGain) * hann(k / 1000, c.start, c.duration), 0);
      high = Math.max(high, v);
      low = Math.min(low, v);
    }
    return high + low;
  };
  const qrsAxisDeg = (Math.atan2(net('aVF'), net('I')) * 180) / Math.PI;
  return { recording: { sampleRateHz: fs, resolutionUv: resolution, leads }, rPeaks, qrsOnsets, qrsAxisDeg };
}

/**
 * One Hann-shaped part of the QRS complex: when it starts and how long it lasts (fractions of the
 * QRS duration), its size (fraction of the QRS amplitude), and where it points — a frontal axis
 * for the limb leads and a gain per chest lead.
 */
interface QrsComponent {
  start: number;
  duration: number;
  amplitude: number;
  axis: number;
  chest: Record<string, number>;
}

const leadGain = (c: QrsComponent, lead: string, limbGain: (lead: string, axis: number) => number): number => c.chest[lead] ?? limbGain(lead, c.axis);

const degrees = (d: number): number => (d * Math.PI) / 180;

/** The QRS parts of each morphology; the first starts at 0 and the last ends at 1 (the true QRS limits). */
function qrsComponents(shape: 'normal' | 'rbbb' | 'lbbb', axis: number): QrsComponent[] {
  const normal = (start: number, duration: number, amplitude: number): QrsComponent => ({ start, duration, amplitude, axis, chest: chestQrsGain });
  switch (shape) {
    case 'normal':
      // q (20 %), R (50 %), S (30 %).
      return [normal(0, 0.2, -0.1), normal(0.2, 0.5, 1), normal(0.7, 0.3, -0.25)];
    case 'rbbb':
      // The normal complex compressed into the first 60 %, then the late right ventricular force:
      // rightward (toward +180°, an S in I and aVL) and anterior (R′ in V1–V2, S in V5–V6).
      return [
        normal(0, 0.12, -0.1),
        normal(0.12, 0.3, 1),
        normal(0.42, 0.18, -0.25),
        { start: 0.6, duration: 0.4, amplitude: 0.45, axis: degrees(180), chest: { V1: 1.6, V2: 1.2, V3: 0.3, V4: -0.4, V5: -0.6, V6: -0.7 } },
      ];
    case 'lbbb':
      // No septal q; two leftward forces half overlapping (the notch between them), both away from V1.
      return [
        { start: 0, duration: 0.55, amplitude: 0.8, axis, chest: { V1: -0.8, V2: -1.0, V3: -0.6, V4: 0.5, V5: 0.9, V6: 1.0 } },
        { start: 0.45, duration: 0.55, amplitude: 0.9, axis: axis - degrees(15), chest: { V1: -0.6, V2: -0.8, V3: -0.3, V4: 0.6, V5: 1.0, V6: 1.0 } },
      ];
  }
}

/** Where in the QRS the R peak (the largest part's middle) lies, as a fraction of its duration. */
const rPeakFraction: Record<'normal' | 'rbbb' | 'lbbb', number> = { normal: 0.45, rbbb: 0.27, lbbb: 0.5 };

/** How much of the f waves each lead shows (V1 and the inferior leads most, as in AF). */
const fWaveGain: Record<string, number> = { I: 0.3, II: 0.6, III: 0.6, aVR: -0.45, aVL: -0.15, aVF: 0.6, V1: 1, V2: 0.7, V3: 0.4, V4: 0.3, V5: 0.25, V6: 0.2 };

/**
 * Fibrillatory waves, peak ≈ 1: a wave whose rate wanders between 5 and 8 Hz (300–480/min) and
 * whose size wanders between 0.5 and 1, both slowly (random walks smoothed over ~0.5 s), so no two
 * cycles repeat and nothing is locked to the QRS.
 */
function fibrillatoryWaves(n: number, fs: number, uniform: () => number): Float64Array {
  const out = new Float64Array(n);
  let phase = 2 * Math.PI * uniform();
  let frequency = 5 + 3 * uniform();
  let size = 0.5 + 0.5 * uniform();
  const pull = 1 / (0.5 * fs);
  let frequencyTarget = frequency;
  let sizeTarget = size;
  for (let i = 0; i < n; i++) {
    if (i % Math.round(0.25 * fs) === 0) {
      frequencyTarget = 5 + 3 * uniform();
      sizeTarget = 0.5 + 0.5 * uniform();
    }
    frequency += (frequencyTarget - frequency) * pull;
    size += (sizeTarget - size) * pull;
    phase += (2 * Math.PI * frequency) / fs;
    out[i] = size * Math.sin(phase);
  }
  return out;
}
