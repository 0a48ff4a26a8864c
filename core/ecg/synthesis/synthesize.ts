/**
 * synthesizeEcg: a deterministic synthetic 12-lead ECG with the true beat positions, for simulators,
 * demo mode and the evaluation of QRS detectors and measurements (the beats are ground truth).
 *
 * Pipeline: beat schedule (rhythm.ts) → heart vector d(t) as a Gaussian-event sum (heart-vector.ts,
 * McSharry 2003 / Sameni 2007) → AF fibrillatory waves added to d(t) → electrode potentials (limb
 * electrodes from Einthoven's triangle with Wilson's terminal as zero, chest electrodes by their lead
 * vectors) → electrode noise and lead-off (noise.ts) → leads as electrode differences → integer samples,
 * III/aVR/aVL/aVF derived from I and II exactly as an acquisition front end's host does.
 */
import { z } from 'zod';
import type { BeatAnnotation, EcgLeadSignal, EcgRecording, StandardLead } from '../recording.ts';
import { beatEvents, dot, limbLeadVectors, precordialLeadVectors, type Injury, type Vector3 } from './heart-vector.ts';
import { deriveLimbLeads } from './limb-leads.ts';
import { addElectrodeNoise, electrodes, type NoiseOptions, type SignalElectrode } from './noise.ts';
import { createRandom, type Random } from './random.ts';
import { defaultHeartRateBpm, heartRateRangeBpm, rhythms, scheduleBeats, type Rhythm } from './rhythm.ts';

export interface SynthesizeEcgOptions {
  rhythm: Rhythm;
  /** Mean ventricular rate; defaults per rhythm (72 normal, 48 brady, 125 tachy, 105 AF…). */
  heartRateBpm?: number | undefined;
  durationSeconds: number;
  sampleRateHz: number;
  /** Same seed, same recording. Default 1. */
  seed?: number | undefined;
  noise?: NoiseOptions | undefined;
  /** Microvolts per sample unit of the result. Default 1 µV. */
  resolutionUv?: number | undefined;
}

export interface SynthesizedEcg {
  recording: EcgRecording;
  /** True R-peak sample indices, MIT codes ('N' sinus or conducted AF beat, 'V' PVC). */
  beats: BeatAnnotation[];
}

const optionsSchema = z
  .object({
    rhythm: z.enum(rhythms),
    heartRateBpm: z.number().finite().positive().optional(),
    durationSeconds: z.number().finite().positive().max(3600), // an hour of 12 leads is ~0.5 GB of working arrays
    sampleRateHz: z.number().finite().min(100).max(10_000),
    seed: z.number().int().optional(),
    noise: z
      .object({
        baselineWander: z.number().finite().min(0).optional(),
        mains50Hz: z.number().finite().min(0).optional(),
        muscle: z.number().finite().min(0).optional(),
        leadOff: z.array(z.enum(electrodes)).optional(),
      })
      .optional(),
    resolutionUv: z.number().finite().positive().optional(),
  })
  .superRefine((o, ctx) => {
    if (o.heartRateBpm === undefined) return;
    const [min, max] = heartRateRangeBpm[o.rhythm];
    if (o.heartRateBpm < min || o.heartRateBpm > max) {
      ctx.addIssue({ code: 'custom', path: ['heartRateBpm'], message: `${o.rhythm} needs a rate in ${min}–${max} bpm` });
    }
  });

const injuryOf = (rhythm: Rhythm): Injury =>
  rhythm === 'st-elevation-anterior' ? 'anterior' : rhythm === 'st-elevation-inferior' ? 'inferior' : 'none';

/** @throws RangeError when the options contradict themselves (e.g. bradycardia at 90 bpm). */
export function synthesizeEcg(options: SynthesizeEcgOptions): SynthesizedEcg {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new RangeError(`synthesizeEcg: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const o = parsed.data;
  const fs = o.sampleRateHz;
  const n = Math.round(o.durationSeconds * fs);
  const heartRate = o.heartRateBpm ?? defaultHeartRateBpm[o.rhythm];
  const resolution = o.resolutionUv ?? 1;
  const random = createRandom(o.seed ?? 1);
  const rhythmRandom = random.fork();
  const fibrillationRandom = random.fork();
  const noiseRandom = random.fork();

  const beats = scheduleBeats(o.rhythm, heartRate, o.durationSeconds, fs, rhythmRandom);
  const dipole = { x: new Float64Array(n), y: new Float64Array(n), z: new Float64Array(n) };
  const injury = injuryOf(o.rhythm);
  for (const beat of beats) {
    for (const event of beatEvents(beat.kind, beat.precedingRrS, injury)) {
      addGaussian(dipole, fs, beat.timeS + event.offsetS, event.widthS, event.amplitude);
    }
  }
  if (o.rhythm === 'atrial-fibrillation') addFibrillatoryWaves(dipole, fs, fibrillationRandom);

  const potentials = electrodePotentials(dipole);
  if (o.noise) addElectrodeNoise(potentials, o.noise, fs, noiseRandom);

  const toUnits = (uv: number) => Math.round(uv / resolution);
  const leadI = new Int32Array(n);
  const leadII = new Int32Array(n);
  const chest = Object.fromEntries(
    (['V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const).map((lead) => [lead, new Int32Array(n)]),
  ) as Record<'V1' | 'V2' | 'V3' | 'V4' | 'V5' | 'V6', Int32Array>;
  for (let k = 0; k < n; k++) {
    const ra = potentials.RA[k]!;
    const la = potentials.LA[k]!;
    const ll = potentials.LL[k]!;
    const wilson = (ra + la + ll) / 3;
    leadI[k] = toUnits(la - ra);
    leadII[k] = toUnits(ll - ra);
    for (const lead of ['V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const) chest[lead][k] = toUnits(potentials[lead][k]! - wilson);
  }
  const derived = deriveLimbLeads(leadI, leadII);
  const byLead: Record<StandardLead, Int32Array> = { I: leadI, II: leadII, ...derived, ...chest };
  const leads: EcgLeadSignal[] = (['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const).map(
    (lead) => ({ lead, samples: byLead[lead] }),
  );

  return {
    recording: {
      sampleRateHz: fs,
      resolutionUv: resolution,
      leads,
      device: { manufacturer: 'Clinic Workstation', model: 'Synthetic 12-lead (ECGSYN 3-D heart vector)' },
    },
    beats: beats
      .map((b) => ({ sample: Math.round(b.timeS * fs), code: b.code }))
      .filter((b) => b.sample >= 0 && b.sample < n),
  };
}

type Dipole = { x: Float64Array; y: Float64Array; z: Float64Array };

/** Adds one Gaussian event, evaluated only within ±5 widths of its centre (beyond that it is < 4e-6). */
function addGaussian(d: Dipole, fs: number, centreS: number, widthS: number, amplitudeMv: Vector3): void {
  const n = d.x.length;
  const from = Math.max(0, Math.floor((centreS - 5 * widthS) * fs));
  const to = Math.min(n - 1, Math.ceil((centreS + 5 * widthS) * fs));
  const inv = 1 / (2 * widthS * widthS);
  const ax = amplitudeMv.x * 1000;
  const ay = amplitudeMv.y * 1000;
  const az = amplitudeMv.z * 1000;
  for (let k = from; k <= to; k++) {
    const dt = k / fs - centreS;
    const g = Math.exp(-dt * dt * inv);
    d.x[k]! += ax * g;
    d.y[k]! += ay * g;
    d.z[k]! += az * g;
  }
}

/**
 * Fibrillatory (f) waves: disorganised atrial activity at 4–8 Hz (240–480 /min) with wandering
 * amplitude and frequency, largest in V1 and the inferior leads.
 */
function addFibrillatoryWaves(d: Dipole, fs: number, random: Random): void {
  const direction: Vector3 = { x: -0.2, y: 0.45, z: 0.87 };
  const peakUv = 70;
  const components = Array.from({ length: 3 }, () => ({
    f: random.uniform(4.5, 7.5),
    phase: random.uniform(0, 2 * Math.PI),
    modF: random.uniform(0.1, 0.4),
    modPhase: random.uniform(0, 2 * Math.PI),
    fmDepth: random.uniform(0.2, 0.6),
  }));
  for (let k = 0; k < d.x.length; k++) {
    const t = k / fs;
    let f = 0;
    for (const c of components) {
      const envelope = 0.6 + 0.4 * Math.sin(2 * Math.PI * c.modF * t + c.modPhase);
      f += envelope * Math.sin(2 * Math.PI * c.f * t + c.phase + (c.fmDepth * Math.sin(2 * Math.PI * c.modF * t)) / c.modF);
    }
    f *= peakUv / components.length;
    d.x[k]! += direction.x * f;
    d.y[k]! += direction.y * f;
    d.z[k]! += direction.z * f;
  }
}

/**
 * Electrode potentials (µV) with Wilson's central terminal as zero: RA + LA + LL = 0, LA − RA = I,
 * LL − RA = II, and each chest electrode at its lead vector's projection.
 */
function electrodePotentials(d: Dipole): Record<SignalElectrode, Float64Array> {
  const n = d.x.length;
  const make = () => new Float64Array(n);
  const p: Record<SignalElectrode, Float64Array> = {
    RA: make(), LA: make(), LL: make(), V1: make(), V2: make(), V3: make(), V4: make(), V5: make(), V6: make(),
  };
  for (let k = 0; k < n; k++) {
    const v = { x: d.x[k]!, y: d.y[k]!, z: d.z[k]! };
    const i = dot(v, limbLeadVectors.I);
    const ii = dot(v, limbLeadVectors.II);
    p.RA[k] = -(i + ii) / 3;
    p.LA[k] = (2 * i - ii) / 3;
    p.LL[k] = (2 * ii - i) / 3;
    for (const lead of ['V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const) p[lead][k] = dot(v, precordialLeadVectors[lead]);
  }
  return p;
}
