/**
 * Noise as it enters a real recording: at the electrodes, not in the leads. Each lead is then the
 * difference of electrode potentials, so hum and wander appear in the leads the way they do on a cart
 * (partly cancelled, different in every lead), and a loose electrode spoils exactly the leads that use
 * it (RA spoils I, II, aVR… and, through Wilson's terminal, every chest lead a little).
 */
import type { Random } from './random.ts';

/** 电极 — the ten electrodes of a 12-lead ECG; RL is the right-leg drive (reference). */
export const electrodes = ['RA', 'LA', 'LL', 'RL', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;
export type Electrode = (typeof electrodes)[number];
export const signalElectrodes = ['RA', 'LA', 'LL', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;
export type SignalElectrode = (typeof signalElectrodes)[number];

export interface NoiseOptions {
  /** Peak µV of respiratory baseline wander (≈0.15–0.35 Hz) plus slower drift, per electrode. */
  baselineWander?: number | undefined;
  /** Peak µV of 50 Hz mains hum at each electrode that the right-leg drive did not cancel. */
  mains50Hz?: number | undefined;
  /** RMS µV of muscle (EMG) noise, broadband, strongest on the limb electrodes. */
  muscle?: number | undefined;
  /** Electrodes that have come off the skin: they float, pick up hum and drift, and carry no ECG. */
  leadOff?: readonly Electrode[] | undefined;
}

/** Peak µV a floating electrode picks up: enough to swamp the ECG, as on a real cart. */
const floatingHumUv = 1500;
const floatingDriftUv = 4000;

export function addElectrodeNoise(
  potentials: Record<SignalElectrode, Float64Array>,
  noise: NoiseOptions,
  sampleRateHz: number,
  random: Random,
): void {
  const n = potentials.RA.length;
  const dt = 1 / sampleRateHz;
  const off = new Set(noise.leadOff ?? []);
  const hum = (peak: number, phase: number, out: Float64Array) => {
    const w = 2 * Math.PI * 50;
    // A little third harmonic (150 Hz) where the sample rate can carry it, as rectified loads make.
    const third = sampleRateHz > 300 ? 0.1 : 0;
    for (let k = 0; k < n; k++) out[k]! += peak * (Math.sin(w * k * dt + phase) + third * Math.sin(3 * (w * k * dt + phase)));
  };

  for (const electrode of signalElectrodes) {
    const source = random.fork();
    const out = potentials[electrode];
    const isLimb = electrode === 'RA' || electrode === 'LA' || electrode === 'LL';
    if (noise.baselineWander) {
      const a = noise.baselineWander * source.uniform(0.3, 1);
      const f = source.uniform(0.15, 0.35);
      const phase = source.uniform(0, 2 * Math.PI);
      const slowF = source.uniform(0.03, 0.08);
      const slowPhase = source.uniform(0, 2 * Math.PI);
      for (let k = 0; k < n; k++) {
        const t = k * dt;
        out[k]! += a * (0.7 * Math.sin(2 * Math.PI * f * t + phase) + 0.3 * Math.sin(2 * Math.PI * slowF * t + slowPhase));
      }
    }
    if (noise.mains50Hz) hum(noise.mains50Hz * source.uniform(0.5, 1), source.uniform(-0.5, 0.5), out);
    if (noise.muscle) {
      // White noise through a first difference: EMG energy sits above ~20 Hz, not in the ECG band.
      const rms = noise.muscle * (isLimb ? 1 : 0.3);
      let previous = source.normal();
      for (let k = 0; k < n; k++) {
        const current = source.normal();
        out[k]! += (rms * (current - previous)) / Math.SQRT2;
        previous = current;
      }
    }
    if (off.has(electrode)) {
      // Floating: the skin potential is gone; what remains is hum and a wandering offset.
      out.fill(0);
      hum(floatingHumUv, source.uniform(0, 2 * Math.PI), out);
      let drift = 0;
      for (let k = 0; k < n; k++) {
        drift += source.normal() * floatingDriftUv * Math.sqrt(dt) * 0.5;
        out[k]! += drift;
      }
    }
  }
  if (off.has('RL')) {
    // Without the right-leg drive the common-mode hum is no longer cancelled; electrode impedances
    // differ, so part of it turns differential in every lead.
    const source = random.fork();
    for (const electrode of signalElectrodes) hum(0.15 * floatingHumUv * source.uniform(0.5, 1), source.uniform(-0.3, 0.3), potentials[electrode]);
  }
}
