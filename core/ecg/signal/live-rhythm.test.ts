import { describe, expect, it } from 'vitest';
import { addNstdbNoise, synthesizeEcg } from '../synthesis/index.ts';
import { assessLiveRhythm } from './live-rhythm.ts';

const fs = 360;
const twoLeads = (recording: ReturnType<typeof synthesizeEcg>['recording'], fromSeconds: number, seconds = 10) =>
  recording.leads
    .filter((l) => l.lead === 'II' || l.lead === 'V1')
    .map((l) => Float64Array.from(l.samples.subarray(fromSeconds * fs, (fromSeconds + seconds) * fs), (v) => v * recording.resolutionUv));

describe('live rhythm under the trace', () => {
  it('shows the heart rate of a clean strip', () => {
    const { recording } = synthesizeEcg({ rhythm: 'normal-sinus', heartRateBpm: 72, durationSeconds: 10, sampleRateHz: fs, seed: 2 });
    const live = assessLiveRhythm(twoLeads(recording, 0), fs);
    expect(live.kind).toBe('rate');
    expect(live.kind === 'rate' && live.heartRateBpm).toBeGreaterThanOrEqual(70);
    expect(live.kind === 'rate' && live.heartRateBpm).toBeLessThanOrEqual(74);
  });

  it('reports ventricular fibrillation, not a rate, while the trace is a flutter wave', () => {
    const flutter = Float64Array.from({ length: 10 * fs }, (_, i) => 900 * Math.sin((2 * Math.PI * 4 * i) / fs) * (1 + 0.2 * Math.sin((2 * Math.PI * 0.3 * i) / fs)));
    expect(assessLiveRhythm([flutter, Float64Array.from(flutter, (v) => -0.6 * v)], fs)).toEqual({ kind: 'ventricular-fibrillation' });
  });

  it('warns that the signal is too noisy to read under electrode-motion noise at 6 dB', () => {
    const { recording, beats } = synthesizeEcg({ rhythm: 'normal-sinus', durationSeconds: 7 * 60 + 10, sampleRateHz: fs, seed: 21 });
    const two = { ...recording, leads: recording.leads.filter((l) => l.lead === 'II' || l.lead === 'V1') };
    const noisy = addNstdbNoise(two, beats.map((b) => b.sample), { kind: 'em', snrDb: 6, seed: 3 });
    expect(assessLiveRhythm(twoLeads(noisy, 330), fs).kind).toBe('noisy');
    expect(assessLiveRhythm(twoLeads(noisy, 200), fs).kind).toBe('rate');
  });
});
