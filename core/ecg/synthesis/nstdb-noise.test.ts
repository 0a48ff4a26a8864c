import { describe, expect, it } from 'vitest';
import { addNstdbNoise, inNoisySegment } from './nstdb-noise.ts';
import { synthesizeEcg } from './synthesize.ts';

describe('NSTDB-style noise', () => {
  const fs = 250;
  const { recording, beats } = synthesizeEcg({ rhythm: 'normal-sinus', durationSeconds: 8 * 60, sampleRateHz: fs, seed: 4 });
  const two = { ...recording, leads: recording.leads.filter((l) => l.lead === 'II' || l.lead === 'V1') };
  const reference = beats.map((b) => b.sample);

  for (const kind of ['em', 'ma'] as const) {
    it(`adds ${kind} noise only from minute 5, two minutes on, at the asked SNR (S = QRS p-p² / 8)`, () => {
      const noisy = addNstdbNoise(two, reference, { kind, snrDb: 6, seed: 1 });
      for (const [k, lead] of noisy.leads.entries()) {
        const clean = two.leads[k]!.samples;
        const added = Float64Array.from(lead.samples, (v, i) => v - (clean[i] as number));
        expect(added.subarray(0, 5 * 60 * fs).every((v) => v === 0)).toBe(true);
        expect(added.subarray(7 * 60 * fs).every((v) => v === 0)).toBe(true);
        const segment = added.subarray(5 * 60 * fs, 7 * 60 * fs);
        const power = segment.reduce((a, v) => a + v * v, 0) / segment.length;
        // Signal power from the median QRS peak-to-peak amplitude of this lead.
        const pp = reference.map((b) => {
          const w = clean.subarray(b - 12, b + 13);
          return Math.max(...w) - Math.min(...w);
        }).sort((a, b) => a - b)[reference.length >> 1]!;
        const snr = 10 * Math.log10(pp ** 2 / 8 / power);
        expect(snr).toBeGreaterThan(5);
        expect(snr).toBeLessThan(7);
      }
    });
  }

  it('follows the NSTDB timing: clean for 5 minutes, then noisy and clean in turn every 2 minutes', () => {
    expect([4.9, 5.1, 6.9, 7.1, 8.9, 9.1].map((m) => inNoisySegment(m * 60 * fs, fs))).toEqual([false, true, true, false, false, true]);
  });
});
