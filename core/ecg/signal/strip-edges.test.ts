import { describe, expect, it } from 'vitest';
import type { EcgRecording } from '../recording.ts';
import { stripBeats } from './measure.ts';
import { heartRateBpm, rrIntervalsMs } from './qrs-detection.ts';
import { makePiecewiseEcg } from './testing/piecewise-ecg.ts';

const fs = 360;
// Bigeminy-like timing (short, long, short, long…) of wide complexes: one RR interval more or less
// moves a 10 s rate by several bpm, so a strip must count exactly the beats whose peak lies inside
// it. The wide QRS (150 ms) leaves enough of a cut complex for the detector to find.
const { recording, rPeaks } = makePiecewiseEcg({ sampleRateHz: fs, seconds: 30, qrsMs: 150, qtMs: 440, rrMs: Array.from({ length: 40 }, (_, i) => (i % 2 ? 1100 : 500)), noiseUv: 10, seed: 3 });
const stripFrom = (from: number): EcgRecording => ({ ...recording, leads: recording.leads.map((l) => ({ lead: l.lead, samples: l.samples.subarray(from, from + 10 * fs) })) });
const referenceRate = (from: number): number => heartRateBpm(rrIntervalsMs(rPeaks.filter((r) => r >= from && r < from + 10 * fs), fs))!;

describe('a strip counts a QRS complex cut by its edge only when the complex peaks inside it', () => {
  const k = 6;
  for (const [label, offset] of [
    ['peak 10 ms before the start: left out', Math.round(0.01 * fs)],
    ['peak 20 ms before the start: left out', Math.round(0.02 * fs)],
    ['peak 10 ms after the start: counted', -Math.round(0.01 * fs)],
  ] as const) {
    it(label, () => {
      const from = rPeaks[k]! + offset;
      const beats = stripBeats(stripFrom(from)).rPeaks;
      expect(beats.length).toBe(rPeaks.filter((r) => r >= from && r < from + 10 * fs).length);
      expect(Math.abs(heartRateBpm(rrIntervalsMs(beats, fs))! - referenceRate(from))).toBeLessThan(0.5);
    });
  }

  it('at the end of the strip too', () => {
    const end = rPeaks[k + 14]!;
    for (const [from, expectedLast] of [
      [end - 10 * fs + Math.round(0.01 * fs), end], // the peak lies 10 ms before the end: counted
      [end - 10 * fs - Math.round(0.02 * fs), rPeaks[k + 13]!], // 20 ms after the end: left out
    ]) {
      const beats = stripBeats(stripFrom(from!)).rPeaks;
      expect(Math.abs(beats[beats.length - 1]! + from! - expectedLast!)).toBeLessThan(0.03 * fs);
      expect(Math.abs(heartRateBpm(rrIntervalsMs(beats, fs))! - referenceRate(from!))).toBeLessThan(0.5);
    }
  });
});
