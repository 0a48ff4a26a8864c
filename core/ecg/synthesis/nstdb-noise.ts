/**
 * Noise added to a recording the way the MIT-BIH Noise Stress Test Database was made (Moody GB,
 * Muldrow WE, Mark RG. A noise stress test for arrhythmia detectors. Computers in Cardiology
 * 1984;11:381–384; PhysioNet `nst`): noise only in alternate two-minute segments from minute 5,
 * each lead scaled to a signal-to-noise ratio where the signal power is S = A²/8 for the QRS
 * peak-to-peak amplitude A (the power of a sine of that amplitude; the median over the beats, so
 * the largest and smallest complexes do not set it) and the noise power N is its mean square.
 *
 * The NSTDB noise itself was recorded from electrodes on active volunteers, with no ECG in them;
 * here it is generated with the same character:
 *   - 'em', electrode motion: a moving electrode — slow, bursty 0.5–8 Hz movement plus skin-stretch
 *     steps that the recorder's high-pass lets decay over a fraction of a second. It overlaps the QRS
 *     band, which is why it is the hardest noise for a QRS detector;
 *   - 'ma', muscle artifact: broadband EMG, 10–100 Hz, in bursts.
 */
import type { EcgRecording } from '../recording.ts';
import { highPassBiquad, lowPassBiquad, zeroPhaseFilter } from '../signal/filters.ts';
import { createRandom, type Random } from './random.ts';

export type NstdbNoiseKind = 'em' | 'ma';

export interface NstdbNoiseOptions {
  kind: NstdbNoiseKind;
  /** 10·log10(S/N) in the noisy segments (NSTDB: 24, 18, 12, 6, 0, −6 dB). */
  snrDb: number;
  seed: number;
  /** Noise-free start, in minutes (NSTDB: 5). */
  cleanStartMinutes?: number;
  /** Length of each noisy and each clean segment after that, in minutes (NSTDB: 2). */
  segmentMinutes?: number;
}

/** Whether sample `i` lies in a noisy segment of the NSTDB protocol. */
export function inNoisySegment(i: number, sampleRateHz: number, options: Pick<NstdbNoiseOptions, 'cleanStartMinutes' | 'segmentMinutes'> = {}): boolean {
  const start = (options.cleanStartMinutes ?? 5) * 60 * sampleRateHz;
  const segment = (options.segmentMinutes ?? 2) * 60 * sampleRateHz;
  return i >= start && Math.floor((i - start) / segment) % 2 === 0;
}

/** Band-limited Gaussian noise with a slowly varying (bursty) envelope, unit RMS before scaling. */
function burstyBandNoise(n: number, fs: number, lowHz: number, highHz: number, random: Random): Float64Array {
  const white = Float64Array.from({ length: n }, () => random.normal());
  const band = zeroPhaseFilter(white, [highPassBiquad(lowHz, fs), lowPassBiquad(Math.min(highHz, 0.45 * fs), fs)], fs, 'even');
  const envelopeSource = Float64Array.from({ length: n }, () => random.normal());
  const envelope = zeroPhaseFilter(envelopeSource, [lowPassBiquad(0.3, fs)], fs, 'even');
  let envelopeRms = 0;
  for (const v of envelope) envelopeRms += v * v;
  envelopeRms = Math.sqrt(envelopeRms / n) || 1;
  for (let i = 0; i < n; i++) band[i] = (band[i] as number) * (0.3 + Math.abs(envelope[i] as number) / envelopeRms);
  return band;
}

function electrodeMotion(n: number, fs: number, random: Random): Float64Array {
  const movement = burstyBandNoise(n, fs, 0.5, 8, random);
  // Skin-stretch steps, about one every 0.7 s, decaying with the recorder's ~0.3 s high-pass.
  const steps = new Float64Array(n);
  const decay = Math.exp(-1 / (0.3 * fs));
  let level = 0;
  for (let i = 0; i < n; i++) {
    if (random.next() < 1 / (0.7 * fs)) level += 3 * random.normal();
    level *= decay;
    steps[i] = level;
  }
  const sharpened = zeroPhaseFilter(steps, [lowPassBiquad(Math.min(25, 0.45 * fs), fs)], fs, 'even');
  for (let i = 0; i < n; i++) movement[i] = (movement[i] as number) + (sharpened[i] as number);
  return movement;
}

/** Median QRS peak-to-peak amplitude of one lead, in sample units, within ±50 ms of each beat. */
function medianQrsAmplitude(samples: Int32Array, beats: readonly number[], fs: number): number {
  const reach = Math.round(0.05 * fs);
  const baselineFree = zeroPhaseFilter(samples, [highPassBiquad(0.5, fs)], fs, 'even');
  const amplitudes = beats.map((b) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = Math.max(0, b - reach); i <= Math.min(samples.length - 1, b + reach); i++) {
      lo = Math.min(lo, baselineFree[i] as number);
      hi = Math.max(hi, baselineFree[i] as number);
    }
    return hi - lo;
  });
  amplitudes.sort((a, b) => a - b);
  return amplitudes[Math.floor(amplitudes.length / 2)] ?? 0;
}

/**
 * A copy of `recording` with NSTDB-style noise added to every lead; `beats` are the reference beat
 * positions that define the signal power.
 */
export function addNstdbNoise(recording: EcgRecording, beats: readonly number[], options: NstdbNoiseOptions): EcgRecording {
  const fs = recording.sampleRateHz;
  const random = createRandom(options.seed);
  const leads = recording.leads.map((lead) => {
    const n = lead.samples.length;
    const noise = options.kind === 'em' ? electrodeMotion(n, fs, random.fork()) : burstyBandNoise(n, fs, 10, 100, random.fork());
    let power = 0;
    let mean = 0;
    for (const v of noise) mean += v;
    mean /= n || 1;
    for (const v of noise) power += (v - mean) ** 2;
    power /= n || 1;
    const amplitude = medianQrsAmplitude(lead.samples, beats, fs);
    const signalPower = (amplitude * amplitude) / 8;
    const gain = power > 0 ? Math.sqrt(signalPower / 10 ** (options.snrDb / 10) / power) : 0;
    const samples = Int32Array.from(lead.samples, (v, i) => (inNoisySegment(i, fs, options) ? Math.round(v + gain * ((noise[i] as number) - mean)) : v));
    return { lead: lead.lead, samples };
  });
  return { ...recording, leads };
}
