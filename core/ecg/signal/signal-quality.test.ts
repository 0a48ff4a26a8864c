import { describe, expect, it } from 'vitest';
import { addNstdbNoise, synthesizeEcg, type NoiseOptions } from '../synthesis/index.ts';
import { measureEcg } from './measure.ts';
import { assessLeadQuality, assessSegmentNoise } from './signal-quality.ts';

const recordingWith = (noise: NoiseOptions, rhythm: 'normal-sinus' | 'st-elevation-inferior' = 'normal-sinus') =>
  synthesizeEcg({ rhythm, durationSeconds: 10, sampleRateHz: 500, seed: 4, noise });
const qualityOf = (noise: NoiseOptions, lead: string) => {
  const { recording } = recordingWith(noise);
  const samples = recording.leads.find((l) => l.lead === lead)!.samples;
  return assessLeadQuality(Float64Array.from(samples, (v) => v * recording.resolutionUv), 500);
};

describe('lead quality', () => {
  it('accepts a clean lead and a noisy but readable one', () => {
    expect(qualityOf({}, 'II').usable).toBe(true);
    expect(qualityOf({ baselineWander: 800, mains50Hz: 200, muscle: 80 }, 'II')).toMatchObject({ usable: true, problems: [] });
  });

  it('recognises a detached electrode by its mains hum and drift', () => {
    const q = qualityOf({ leadOff: ['V2'] }, 'V2');
    expect(q.usable).toBe(false);
    expect(q.problems).toContain('mains-hum');
    expect(qualityOf({ leadOff: ['V2'] }, 'V3').usable).toBe(true);
  });

  it('recognises a flat lead', () => {
    expect(assessLeadQuality(new Float64Array(5000).fill(120), 500).problems).toEqual(['flat']);
  });

  it('recognises muscle noise beyond what can be measured', () => {
    const noisy = Float64Array.from({ length: 5000 }, (_, i) => 900 * Math.sin(i * 2.1) + 700 * Math.sin(i * 2.9));
    expect(assessLeadQuality(noisy, 500).problems).toContain('muscle-noise');
  });
});

describe('measurements with a detached electrode', () => {
  it('leaves out I, II and aVR when RA is off, still counts every beat, and raises no false alarm', () => {
    const { recording, beats } = recordingWith({ leadOff: ['RA'] });
    const m = measureEcg(recording);
    expect(m.excludedLeads.map((e) => e.lead)).toEqual(expect.arrayContaining(['I', 'II', 'aVR']));
    expect(m.beatCount).toBe(beats.length);
    expect(m.hints.map((h) => h.code)).toEqual(['poor-signal-quality']);
    expect(m.hints[0]!.zh).toMatch(/电极脱落/);
    expect(m.qrsAxisDeg).toBeNull(); // I and aVF are not trustworthy
  });

  it('still flags inferior ST elevation when only a chest electrode is off', () => {
    const m = measureEcg(recordingWith({ leadOff: ['V4'] }, 'st-elevation-inferior').recording);
    expect(m.excludedLeads.map((e) => e.lead)).toEqual(['V4']);
    expect(m.hints.map((h) => h.code)).toEqual(['poor-signal-quality', 'possible-st-elevation']);
  });
});

describe('segment noise (the NSTDB signal-to-noise ratio, estimated from the trace alone)', () => {
  const fs = 360;
  const { recording, beats } = synthesizeEcg({ rhythm: 'normal-sinus', durationSeconds: 7 * 60 + 10, sampleRateHz: fs, seed: 21 });
  const two = { ...recording, leads: recording.leads.filter((l) => l.lead === 'II' || l.lead === 'V1') };
  const tenSeconds = (r: typeof two, fromSeconds: number) => r.leads.map((l) => Float64Array.from(l.samples.subarray(fromSeconds * fs, (fromSeconds + 10) * fs), (v) => v * r.resolutionUv));

  it('calls a clean strip clean', () => {
    const clean = assessSegmentNoise(tenSeconds(two, 60), fs);
    expect(clean.noisy).toBe(false);
    expect(clean.snrDb).toBeGreaterThan(25);
  });

  it('does not take frequent ventricular premature beats of another shape for noise', () => {
    const ectopic = synthesizeEcg({ rhythm: 'pvc', durationSeconds: 10, sampleRateHz: fs, seed: 5 }).recording;
    const leads = ectopic.leads.filter((l) => l.lead === 'II' || l.lead === 'V1').map((l) => Float64Array.from(l.samples, (v) => v * ectopic.resolutionUv));
    expect(assessSegmentNoise(leads, fs).noisy).toBe(false);
  });

  for (const kind of ['em', 'ma'] as const) {
    it(`warns on a strip with ${kind === 'em' ? 'electrode-motion' : 'muscle'} noise at 6 dB, and not on the clean minutes before it`, () => {
      const noisy = addNstdbNoise(two, beats.map((b) => b.sample), { kind, snrDb: 6, seed: 3 });
      expect(assessSegmentNoise(tenSeconds(noisy, 330), fs).noisy).toBe(true);
      expect(assessSegmentNoise(tenSeconds(noisy, 200), fs).noisy).toBe(false);
    });
  }
});
