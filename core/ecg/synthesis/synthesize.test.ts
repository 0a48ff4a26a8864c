import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { BeatAnnotation, EcgRecording } from '../recording.ts';
import { synthesizeEcg, type SynthesizeEcgOptions } from './index.ts';

const makeEcg = (overrides: Partial<SynthesizeEcgOptions> = {}) =>
  synthesizeEcg({ rhythm: 'normal-sinus', durationSeconds: 10, sampleRateHz: 500, seed: 7, ...overrides });

const lead = (r: EcgRecording, name: string): Int32Array => {
  const found = r.leads.find((l) => l.lead === name);
  if (!found) throw new Error(`no lead ${name}`);
  return found.samples;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const rrSeconds = (beats: BeatAnnotation[], fs: number) => beats.slice(1).map((b, i) => (b.sample - beats[i]!.sample) / fs);
const coefficientOfVariation = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2))) / m;
};
/** Mean µV over [from, to] seconds relative to sample `at`. */
const level = (r: EcgRecording, name: string, at: number, from: number, to: number) => {
  const s = lead(r, name);
  const a = at + Math.round(from * r.sampleRateHz);
  const b = at + Math.round(to * r.sampleRateHz);
  let sum = 0;
  for (let k = a; k <= b; k++) sum += s[k]!;
  return (sum / (b - a + 1)) * r.resolutionUv;
};
/** ST deviation at J + 60 ms (J ≈ R + 60 ms) against the PR segment, the way it is read off paper. */
const stDeviationUv = (r: EcgRecording, name: string, rSample: number) =>
  level(r, name, rSample, 0.116, 0.124) - level(r, name, rSample, -0.07, -0.05);
/** Beats whose whole P–QRS–T complex lies inside the recording. */
const innerBeats = (r: EcgRecording, beats: BeatAnnotation[]) =>
  beats.filter((b) => b.sample > 0.3 * r.sampleRateHz && b.sample < lead(r, 'I').length - 0.5 * r.sampleRateHz);
/** Signal-averaged µV of a lead at `offsetS` from each beat's R peak. */
const averagedAt = (r: EcgRecording, name: string, beats: BeatAnnotation[], offsetS: number) =>
  mean(beats.map((b) => level(r, name, b.sample, offsetS, offsetS)));
/** QRS duration from the spatial envelope of the eight measured leads (≥ 15 % of its peak). */
const qrsWidthMs = (r: EcgRecording, rSample: number) => {
  const fs = r.sampleRateHz;
  const names = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
  const baseline = names.map((n) => level(r, n, rSample, -0.07, -0.05) / r.resolutionUv);
  const from = rSample - Math.round(0.15 * fs);
  const envelope = Array.from({ length: Math.round(0.3 * fs) }, (_, j) =>
    names.reduce((sum, n, i) => sum + Math.abs(lead(r, n)[from + j]! - baseline[i]!), 0),
  );
  const peak = Math.max(...envelope);
  const above = envelope.map((e, j) => (e >= 0.15 * peak ? j : -1)).filter((j) => j >= 0);
  return ((above[above.length - 1]! - above[0]!) / fs) * 1000;
};

describe('synthesizeEcg: rate and rhythm', () => {
  it.each([
    ['normal-sinus', 72],
    ['normal-sinus', 95],
    ['sinus-bradycardia', 45],
    ['sinus-tachycardia', 140],
    ['st-elevation-anterior', 80],
  ] as const)('paces %s at the requested %i bpm', (rhythm, bpm) => {
    const { recording, beats } = makeEcg({ rhythm, heartRateBpm: bpm, durationSeconds: 20 });
    const rr = rrSeconds(beats, recording.sampleRateHz);
    expect(60 / mean(rr)).toBeGreaterThan(bpm * 0.98);
    expect(60 / mean(rr)).toBeLessThan(bpm * 1.02);
    expect(coefficientOfVariation(rr)).toBeLessThan(0.05); // sinus: regular, only respiratory variation
  });

  it('keeps bradycardia below 60 and tachycardia above 100 bpm by default', () => {
    const brady = makeEcg({ rhythm: 'sinus-bradycardia' });
    const tachy = makeEcg({ rhythm: 'sinus-tachycardia' });
    expect(60 / mean(rrSeconds(brady.beats, 500))).toBeLessThan(60);
    expect(60 / mean(rrSeconds(tachy.beats, 500))).toBeGreaterThan(100);
  });

  it('refuses a rate that contradicts the rhythm name', () => {
    expect(() => makeEcg({ rhythm: 'sinus-bradycardia', heartRateBpm: 90 })).toThrow(RangeError);
    expect(() => makeEcg({ sampleRateHz: 0 })).toThrow(RangeError);
  });

  it('annotates each beat at the true R peak: the tallest sample of lead II near it', () => {
    const { recording, beats } = makeEcg();
    const ii = lead(recording, 'II');
    for (const b of innerBeats(recording, beats)) {
      const window = Array.from(ii.subarray(b.sample - 20, b.sample + 21));
      expect(window.indexOf(Math.max(...window)) - 20).toBe(0);
      expect(b.code).toBe('N');
    }
  });

  it('gives the same recording for the same seed and a different one for another seed', () => {
    const a = makeEcg({ seed: 11, noise: { muscle: 20 } });
    const b = makeEcg({ seed: 11, noise: { muscle: 20 } });
    const c = makeEcg({ seed: 12, noise: { muscle: 20 } });
    expect(a.beats).toEqual(b.beats);
    expect(lead(a.recording, 'V2')).toEqual(lead(b.recording, 'V2'));
    expect(lead(a.recording, 'V2')).not.toEqual(lead(c.recording, 'V2'));
  });
});

describe('synthesizeEcg: leads', () => {
  it('holds Einthoven and Goldberger identities in every sample, for any rhythm and noise', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('normal-sinus', 'atrial-fibrillation', 'pvc', 'st-elevation-inferior' as const),
        fc.integer(),
        fc.boolean(),
        (rhythm, seed, noisy) => {
          const { recording } = synthesizeEcg({
            rhythm,
            seed,
            durationSeconds: 2,
            sampleRateHz: 250,
            noise: noisy ? { baselineWander: 300, mains50Hz: 80, muscle: 30, leadOff: ['LA'] } : undefined,
          });
          const [I, II, III, aVR, aVL, aVF] = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF'].map((n) => lead(recording, n));
          for (let k = 0; k < I!.length; k++) {
            const i = I![k]!;
            const ii = II![k]!;
            if (III![k] !== ii - i) return false;
            if (Math.abs(2 * aVR![k]! + i + ii) > 1) return false; // aVR = −(I+II)/2, to the sample unit
            if (Math.abs(2 * aVL![k]! - 2 * i + ii) > 1) return false; // aVL = I − II/2
            if (Math.abs(2 * aVF![k]! - 2 * ii + i) > 1) return false; // aVF = II − I/2
          }
          return true;
        },
      ),
      { numRuns: 15 },
    );
  });

  it('draws a normal sinus beat: upright P in II before a narrow QRS, normal axis, R progression', () => {
    const { recording, beats } = makeEcg();
    const inner = innerBeats(recording, beats);
    // P wave: upright in II and inverted in aVR, about 160 ms before the R peak (PR 120–200 ms).
    expect(averagedAt(recording, 'II', inner, -0.16)).toBeGreaterThan(80);
    expect(averagedAt(recording, 'aVR', inner, -0.16)).toBeLessThan(-40);
    // QRS axis between −30° and +90°: net QRS positive in I and aVF.
    expect(averagedAt(recording, 'I', inner, 0)).toBeGreaterThan(300);
    expect(averagedAt(recording, 'aVF', inner, 0)).toBeGreaterThan(300);
    // R wave grows from V1 to V5; V1 is dominated by its S wave.
    const rPeak = (n: string) => Math.max(...inner.map((b) => Math.max(...lead(recording, n).subarray(b.sample - 30, b.sample + 30))));
    expect(rPeak('V1')).toBeLessThan(rPeak('V3'));
    expect(rPeak('V3')).toBeLessThan(rPeak('V5'));
    for (const b of inner) expect(qrsWidthMs(recording, b.sample)).toBeLessThan(110);
  });

  it('keeps the ST segment on the baseline in a normal tracing', () => {
    const { recording, beats } = makeEcg();
    for (const b of innerBeats(recording, beats)) {
      for (const l of recording.leads) expect(Math.abs(stDeviationUv(recording, l.lead, b.sample))).toBeLessThan(40);
    }
  });

  it('raises ST in V1–V4 with reciprocal depression in II, III, aVF for an anterior STEMI', () => {
    const { recording, beats } = makeEcg({ rhythm: 'st-elevation-anterior' });
    for (const b of innerBeats(recording, beats)) {
      for (const n of ['V1', 'V2', 'V3', 'V4']) expect(stDeviationUv(recording, n, b.sample)).toBeGreaterThan(100);
      expect(stDeviationUv(recording, 'V2', b.sample)).toBeGreaterThan(200); // ≥ 2 mm in V2–V3
      for (const n of ['II', 'III', 'aVF']) expect(stDeviationUv(recording, n, b.sample)).toBeLessThan(-50);
    }
  });

  it('raises ST in II, III, aVF with reciprocal depression in I and aVL for an inferior STEMI', () => {
    const { recording, beats } = makeEcg({ rhythm: 'st-elevation-inferior' });
    for (const b of innerBeats(recording, beats)) {
      for (const n of ['II', 'III', 'aVF']) expect(stDeviationUv(recording, n, b.sample)).toBeGreaterThan(100);
      expect(stDeviationUv(recording, 'III', b.sample)).toBeGreaterThan(stDeviationUv(recording, 'II', b.sample));
      expect(stDeviationUv(recording, 'aVL', b.sample)).toBeLessThan(-50);
      expect(stDeviationUv(recording, 'I', b.sample)).toBeLessThan(-20);
      for (const n of ['V1', 'V2', 'V3', 'V4']) expect(stDeviationUv(recording, n, b.sample)).toBeLessThan(50);
    }
  });
});

describe('synthesizeEcg: arrhythmias', () => {
  it('makes atrial fibrillation irregularly irregular at the requested mean rate', () => {
    const af = makeEcg({ rhythm: 'atrial-fibrillation', heartRateBpm: 100, durationSeconds: 30 });
    const rr = rrSeconds(af.beats, 500);
    expect(coefficientOfVariation(rr)).toBeGreaterThan(0.12);
    expect(60 / mean(rr)).toBeGreaterThan(90);
    expect(60 / mean(rr)).toBeLessThan(110);
    const successive = rr.slice(1).map((x, i) => Math.abs(x - rr[i]!));
    expect(mean(successive)).toBeGreaterThan(0.08); // no two neighbouring intervals alike
  });

  it('has no P wave in atrial fibrillation, only fibrillatory waves between beats', () => {
    const af = makeEcg({ rhythm: 'atrial-fibrillation', durationSeconds: 30 });
    const sinus = makeEcg({ durationSeconds: 30 });
    const pWave = (e: typeof af) => {
      const inner = innerBeats(e.recording, e.beats);
      return averagedAt(e.recording, 'II', inner, -0.16) - averagedAt(e.recording, 'II', inner, -0.06);
    };
    expect(pWave(sinus)).toBeGreaterThan(80);
    expect(Math.abs(pWave(af))).toBeLessThan(25); // f waves are not locked to the QRS: they average out
    // Between beats V1 wanders with f waves in AF but lies flat in sinus rhythm (TQ segment).
    const tqRange = (e: typeof af) => {
      const v1 = lead(e.recording, 'V1');
      const b = innerBeats(e.recording, e.beats).find((x, i, all) => (all[i + 1]?.sample ?? 0) - x.sample > 0.5 * 500)!;
      const tq = Array.from(v1.subarray(b.sample + 0.42 * 500, b.sample + 0.5 * 500));
      return Math.max(...tq) - Math.min(...tq);
    };
    expect(tqRange(af)).toBeGreaterThan(30);
    expect(tqRange(sinus)).toBeLessThan(15);
  });

  it('marks premature ventricular beats V: early, wide, no P wave, full compensatory pause', () => {
    const { recording, beats } = makeEcg({ rhythm: 'pvc', heartRateBpm: 70, durationSeconds: 20 });
    const pvcs = beats.map((b, i) => ({ b, i })).filter(({ b, i }) => b.code === 'V' && i > 0 && i < beats.length - 1);
    expect(pvcs.length).toBeGreaterThanOrEqual(2);
    const sinusRr = 60 / 70;
    for (const { b, i } of pvcs) {
      const before = (b.sample - beats[i - 1]!.sample) / 500;
      const after = (beats[i + 1]!.sample - b.sample) / 500;
      expect(before).toBeLessThan(0.75 * sinusRr);
      expect(Math.abs(before + after - 2 * sinusRr)).toBeLessThan(0.08 * sinusRr);
      if (b.sample > 80 && b.sample < lead(recording, 'I').length - 80) {
        expect(qrsWidthMs(recording, b.sample)).toBeGreaterThan(120);
      }
    }
    for (const b of innerBeats(recording, beats).filter((x) => x.code === 'N')) {
      expect(qrsWidthMs(recording, b.sample)).toBeLessThan(110);
    }
  });
});

describe('synthesizeEcg: noise and electrodes', () => {
  /** Amplitude (µV) of one frequency in a lead, by correlation with a sine and cosine. */
  const amplitudeAt = (r: EcgRecording, name: string, hz: number) => {
    const s = lead(r, name);
    let re = 0;
    let im = 0;
    for (let k = 0; k < s.length; k++) {
      re += s[k]! * Math.cos((2 * Math.PI * hz * k) / r.sampleRateHz);
      im += s[k]! * Math.sin((2 * Math.PI * hz * k) / r.sampleRateHz);
    }
    return ((2 * Math.hypot(re, im)) / s.length) * r.resolutionUv;
  };

  it('adds mains hum at 50 Hz only when asked', () => {
    const clean = makeEcg();
    const hum = makeEcg({ noise: { mains50Hz: 100 } });
    expect(amplitudeAt(clean.recording, 'I', 50)).toBeLessThan(5);
    expect(amplitudeAt(hum.recording, 'I', 50)).toBeGreaterThan(15);
    expect(hum.beats).toEqual(clean.beats);
  });

  it('wanders the baseline slowly when asked', () => {
    const wander = makeEcg({ noise: { baselineWander: 400 } });
    const clean = makeEcg();
    const drift = (e: typeof clean) => Math.max(...innerBeats(e.recording, e.beats).map((b) => Math.abs(level(e.recording, 'V3', b.sample, -0.07, -0.05))));
    expect(drift(clean)).toBeLessThan(20);
    expect(drift(wander)).toBeGreaterThan(60);
  });

  /** RMS (µV) of the sample-to-sample difference: muscle noise lives there, the ECG hardly does. */
  const differenceRms = (r: EcgRecording, name: string) => {
    const s = lead(r, name);
    let sum = 0;
    for (let k = 1; k < s.length; k++) sum += (s[k]! - s[k - 1]!) ** 2;
    return Math.sqrt(sum / (s.length - 1)) * r.resolutionUv;
  };

  it('adds muscle tremor mostly to the limb leads when asked', () => {
    const clean = makeEcg();
    const tense = makeEcg({ noise: { muscle: 40 } });
    expect(differenceRms(tense.recording, 'I')).toBeGreaterThan(3 * differenceRms(clean.recording, 'I'));
    expect(differenceRms(tense.recording, 'I')).toBeGreaterThan(40);
    expect(differenceRms(tense.recording, 'I')).toBeGreaterThan(differenceRms(tense.recording, 'V4') - differenceRms(clean.recording, 'V4'));
  });

  it('lets mains hum into every lead when the right-leg drive electrode (RL) is off', () => {
    const clean = makeEcg();
    const noDrive = makeEcg({ noise: { leadOff: ['RL'] } });
    for (const name of ['I', 'II', 'V1', 'V6']) {
      expect(amplitudeAt(noDrive.recording, name, 50)).toBeGreaterThan(20);
      expect(amplitudeAt(clean.recording, name, 50)).toBeLessThan(5);
    }
  });

  it('spoils exactly the leads that use a loose LA electrode (I, III) and leaves lead II clean', () => {
    const clean = makeEcg();
    const loose = makeEcg({ noise: { leadOff: ['LA'] } });
    const difference = (n: string) => {
      const a = lead(clean.recording, n);
      const b = lead(loose.recording, n);
      let max = 0;
      for (let k = 0; k < a.length; k++) max = Math.max(max, Math.abs(a[k]! - b[k]!));
      return max;
    };
    expect(difference('II')).toBe(0);
    expect(difference('I')).toBeGreaterThan(1000);
    expect(difference('III')).toBeGreaterThan(1000);
    expect(difference('V1')).toBeGreaterThan(100); // through Wilson's central terminal
  });
});
