import { describe, expect, it } from 'vitest';
import { createRandom, rhythms, synthesizeEcg, type Rhythm } from '../synthesis/index.ts';
import type { NoiseOptions } from '../synthesis/index.ts';
import { scoreBeatDetection } from './beat-matching.ts';
import { detectBeatsMultiLead, detectQrs, detectQrsMultiLead, heartRateBpm, rrIntervalsMs, ventricularFlutterMask } from './qrs-detection.ts';
import { makePiecewiseEcg } from './testing/piecewise-ecg.ts';

const leadOf = (recording: { leads: { lead: string; samples: Int32Array }[] }, name: string): Int32Array => {
  const lead = recording.leads.find((l) => l.lead === name);
  if (!lead) throw new Error(`no lead ${name}`);
  return lead.samples;
};

/** Noise levels of the evaluation: electrode-level µV as core/ecg/synthesis models them. */
const noiseLevels: Record<string, NoiseOptions> = {
  clean: {},
  'moderate (wander 0.3 mV, hum 50 µV, EMG 30 µV)': { baselineWander: 300, mains50Hz: 50, muscle: 30 },
  'heavy (wander 0.8 mV, hum 200 µV, EMG 80 µV)': { baselineWander: 800, mains50Hz: 200, muscle: 80 },
};

describe('QRS detection against known beats (Se and +P ≥ 99.5 %, EC57 150 ms rule)', () => {
  for (const sampleRateHz of [250, 360, 500, 1000]) {
    for (const [noiseName, noise] of Object.entries(noiseLevels)) {
      it(`finds every beat of each rhythm at ${sampleRateHz} Hz with ${noiseName} noise`, () => {
        const failures: string[] = [];
        for (const rhythm of rhythms) {
          const { recording, beats } = synthesizeEcg({ rhythm: rhythm as Rhythm, durationSeconds: 60, sampleRateHz, seed: 7, noise });
          const { peaks } = detectQrs(leadOf(recording, 'II'), sampleRateHz);
          const score = scoreBeatDetection(
            beats.map((b) => b.sample),
            peaks,
            sampleRateHz,
          );
          if (score.sensitivity < 0.995 || score.positivePredictivity < 0.995) {
            failures.push(`${rhythm}: Se ${score.sensitivity.toFixed(4)} +P ${score.positivePredictivity.toFixed(4)}`);
          }
          // The R peak is placed, not just found: within 20 ms of the true one on average.
          if (score.meanTimingErrorMs > 20) failures.push(`${rhythm}: timing ${score.meanTimingErrorMs.toFixed(1)} ms`);
        }
        expect(failures).toEqual([]);
      });
    }
  }
});

describe('QRS detection on simple cases', () => {
  it('finds negative QRS complexes (lead aVR) and reports the lead as negative', () => {
    const { recording, rPeaks } = makePiecewiseEcg({ sampleRateHz: 500, heartRateBpm: 75, seconds: 20 });
    const result = detectQrs(leadOf(recording, 'aVR'), 500);
    expect(result.polarity).toBe(-1);
    const score = scoreBeatDetection(rPeaks, result.peaks, 500);
    expect(score.sensitivity).toBe(1);
    expect(score.positivePredictivity).toBe(1);
  });

  it('does not count tall T waves as beats at 40 bpm', () => {
    const { recording, rPeaks } = makePiecewiseEcg({ sampleRateHz: 360, heartRateBpm: 40, tAmplitudeUv: 900, seconds: 30 });
    const result = detectQrs(leadOf(recording, 'II'), 360);
    expect(scoreBeatDetection(rPeaks, result.peaks, 360).falsePositives).toBe(0);
    expect(result.peaks.length).toBe(rPeaks.length);
  });

  it('finds nothing in a flat line or in a strip shorter than half a second', () => {
    expect(detectQrs(new Int32Array(5000), 500).peaks.length).toBe(0);
    expect(detectQrs(new Int32Array(100), 500).peaks.length).toBe(0);
  });
});

describe('QRS detection on two leads together', () => {
  const fs = 360;
  const { recording, beats } = synthesizeEcg({ rhythm: 'pvc', durationSeconds: 60, sampleRateHz: fs, seed: 5 });
  const reference = beats.map((b) => b.sample);

  it('still finds every beat, and no extra one, when one lead is buried in muscle noise', () => {
    const random = createRandom(9);
    // Broadband noise of 400 µV RMS (the synthetic leads are in 1 µV units): larger than the QRS slopes of V1.
    const noisy = Int32Array.from(leadOf(recording, 'V1'), (v) => v + Math.round(400 * random.normal()));
    const peaks = detectQrsMultiLead([leadOf(recording, 'II'), noisy], fs);
    const score = scoreBeatDetection(reference, peaks, fs);
    expect([score.sensitivity, score.positivePredictivity]).toEqual([1, 1]);
  });

  it('finds every beat when the other lead goes flat (electrode off)', () => {
    const peaks = detectQrsMultiLead([leadOf(recording, 'II'), new Int32Array(leadOf(recording, 'II').length)], fs);
    const score = scoreBeatDetection(reference, peaks, fs);
    expect([score.sensitivity, score.positivePredictivity]).toEqual([1, 1]);
  });

  it('reports no beats in a sinusoidal ventricular flutter of 4 Hz, and marks no part of a sinus rhythm as flutter', () => {
    const flutter = Int32Array.from({ length: 20 * fs }, (_, i) => Math.round(800 * Math.sin((2 * Math.PI * 4 * i) / fs)));
    expect(detectQrsMultiLead([flutter, flutter], fs).length).toBe(0);
    expect(ventricularFlutterMask([leadOf(recording, 'II'), leadOf(recording, 'V1')], fs).some((v) => v === 1)).toBe(false);
  });

  it('reports a flutter episode between two stretches of sinus rhythm, with the beats around it and none inside', () => {
    const sinusSeconds = 20;
    const flutterSeconds = 15;
    const sinus = (name: string) => leadOf(recording, name).subarray(0, sinusSeconds * fs);
    const wave = (amplitude: number, hz: number) => Int32Array.from({ length: flutterSeconds * fs }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / fs)));
    const join = (...parts: Int32Array[]) => Int32Array.from(parts.flatMap((p) => Array.from(p)));
    const leads = [join(sinus('II'), wave(900, 3.5), sinus('II')), join(sinus('V1'), wave(600, 3.5), sinus('V1'))];
    const { peaks, flutterEpisodes } = detectBeatsMultiLead(leads, fs);
    expect(flutterEpisodes).toHaveLength(1);
    const [from, to] = flutterEpisodes[0]!;
    expect(from / fs).toBeGreaterThan(sinusSeconds - 1.5);
    expect(from / fs).toBeLessThan(sinusSeconds + 2);
    expect(to / fs).toBeGreaterThan(sinusSeconds + flutterSeconds - 2);
    expect(to / fs).toBeLessThan(sinusSeconds + flutterSeconds + 1.5);
    expect(Array.from(peaks).filter((p) => p >= from && p < to)).toEqual([]);
    const sinusBeats = reference.filter((b) => b < sinusSeconds * fs - 0.2 * fs);
    expect(scoreBeatDetection(sinusBeats, peaks, fs, { toSample: sinusSeconds * fs - 0.2 * fs }).sensitivity).toBeGreaterThan(0.9);
  });

  it('marks no part of a sinus tachycardia of 150 bpm as flutter', () => {
    const fast = synthesizeEcg({ rhythm: 'sinus-tachycardia', heartRateBpm: 150, durationSeconds: 30, sampleRateHz: fs, seed: 8 }).recording;
    expect(detectBeatsMultiLead([leadOf(fast, 'II'), leadOf(fast, 'V1')], fs).flutterEpisodes).toEqual([]);
  });
});

describe('heart rate and RR intervals', () => {
  it('turns R peaks 0.8 s apart at 250 Hz into RR 800 ms and 75 bpm', () => {
    const rr = rrIntervalsMs([100, 300, 500, 700], 250);
    expect(rr).toEqual([800, 800, 800]);
    expect(heartRateBpm(rr)).toBeCloseTo(75);
  });

  it('has no heart rate with fewer than two beats', () => {
    expect(heartRateBpm(rrIntervalsMs([100], 250))).toBeNull();
  });
});
