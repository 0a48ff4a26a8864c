import { describe, expect, it } from 'vitest';
import { synthesizeEcg, type Rhythm } from '../synthesis/index.ts';
import type { EcgRecording } from '../recording.ts';
import { axisCategory, frontalAxisDeg } from './axis.ts';
import { chooseRhythmLead, measureEcg } from './measure.ts';
import { analyseRr, rhythmHints, type HintInputs } from './rhythm-hints.ts';
import { makePiecewiseEcg } from './testing/piecewise-ecg.ts';

const hintCodes = (recording: EcgRecording): string[] => measureEcg(recording).hints.map((h) => h.code);
const synthetic = (rhythm: Rhythm, seed = 1, extra: { heartRateBpm?: number } = {}): EcgRecording =>
  synthesizeEcg({ rhythm, durationSeconds: 10, sampleRateHz: 500, seed, noise: { baselineWander: 300, mains50Hz: 50, muscle: 30 }, ...extra }).recording;

describe('intervals on a tracing with known wave limits', () => {
  // The tangent method lands inside a smooth T wave (its end ≈ 10–15 ms early), and the QRS limits
  // carry the filter's smear: the tolerances below are those, not slack. The P onset (trapezium
  // area) is found within a few ms.
  for (const sampleRateHz of [250, 500, 1000]) {
    it(`measures PR, QRS, QT and QTc within a few ms at ${sampleRateHz} Hz`, () => {
      const { recording } = makePiecewiseEcg({ sampleRateHz, heartRateBpm: 60, prMs: 180, qrsMs: 100, qtMs: 420 });
      const m = measureEcg(recording);
      expect(m.heartRateBpm).toBeCloseTo(60, 0);
      expect(m.prIntervalMs).toBeGreaterThanOrEqual(180 - 4);
      expect(m.prIntervalMs).toBeLessThanOrEqual(180 + 5);
      expect(m.qrsDurationMs).toBeGreaterThanOrEqual(100 - 4);
      expect(m.qrsDurationMs).toBeLessThanOrEqual(100 + 12);
      expect(m.qtIntervalMs).toBeGreaterThanOrEqual(420 - 18);
      expect(m.qtIntervalMs).toBeLessThanOrEqual(420 + 4);
      // At 60 bpm RR = 1 s, so both corrections leave QT unchanged.
      expect(m.qtcBazettMs).toBeCloseTo(m.qtIntervalMs!, -1);
      expect(m.qtcFridericiaMs).toBeCloseTo(m.qtIntervalMs!, -1);
    });
  }

  it('tells a wide QRS from a narrow one and a long PR from a normal one', () => {
    const narrow = measureEcg(makePiecewiseEcg({ qrsMs: 80, prMs: 140 }).recording);
    const wide = measureEcg(makePiecewiseEcg({ qrsMs: 140, prMs: 260 }).recording);
    expect(wide.qrsDurationMs! - narrow.qrsDurationMs!).toBeGreaterThan(50);
    expect(wide.prIntervalMs! - narrow.prIntervalMs!).toBeGreaterThan(100);
    expect(hintCodes(makePiecewiseEcg({ qrsMs: 140 }).recording)).toContain('wide-qrs');
  });

  it('corrects QT for rate: Bazett QT/√RR and Fridericia QT/∛RR at 100 bpm', () => {
    const m = measureEcg(makePiecewiseEcg({ heartRateBpm: 100, qtMs: 340 }).recording);
    const rrS = 0.6;
    expect(m.qtcBazettMs).toBeCloseTo(m.qtIntervalMs! / Math.sqrt(rrS), -1);
    expect(m.qtcFridericiaMs).toBeCloseTo(m.qtIntervalMs! / Math.cbrt(rrS), -1);
    expect(m.qtcBazettMs!).toBeGreaterThan(m.qtcFridericiaMs!);
  });

  it('measures QT in a left-axis (−60°) wide-QRS tracing, where lead II has a negative T before the next positive P', () => {
    // The T-end search once reached into the next beat's P wave and gave QT 680 ms here.
    const m = measureEcg(makePiecewiseEcg({ sampleRateHz: 500, seconds: 10, qrsMs: 120, qrsAxisDeg: -60, qtMs: 440, noiseUv: 20 }).recording);
    expect(m.qtIntervalMs).toBeGreaterThan(440 - 25);
    expect(m.qtIntervalMs).toBeLessThan(440 + 25);
    expect(m.qrsDurationMs).toBeGreaterThan(110);
    expect(m.qrsDurationMs).toBeLessThan(130);
  });

  it('measures the QRS of right and left bundle branch block (RSR′ in V1, a broad notched R in V6) to its true limits', () => {
    for (const [qrsShape, qrsMs] of [['rbbb', 140], ['lbbb', 150]] as const) {
      const ecg = makePiecewiseEcg({ qrsShape, qrsMs, qtMs: 450, noiseUv: 20 });
      const m = measureEcg(ecg.recording);
      expect(Math.abs(m.qrsDurationMs! - qrsMs)).toBeLessThanOrEqual(10);
      expect(Math.abs(m.qtIntervalMs! - 450)).toBeLessThanOrEqual(25);
      expect(Math.abs(m.qrsAxisDeg! - ecg.qrsAxisDeg)).toBeLessThanOrEqual(15);
      expect(m.hints.map((h) => h.code)).toContain('wide-qrs');
    }
  });

  it('reports no PR in atrial fibrillation: the residue of the f waves in the median beat is not a P wave', () => {
    for (const fWaveUv of [80, 150]) {
      const m = measureEcg(makePiecewiseEcg({ atrialFibrillation: { fWaveUv }, heartRateBpm: 90, qtMs: 360, noiseUv: 20, seed: 2 }).recording);
      expect(m.pWavePresent).toBe(false);
      expect(m.prIntervalMs).toBeNull();
      expect(Math.abs(m.qrsDurationMs! - 90)).toBeLessThanOrEqual(10);
    }
  });

  it('keeps measuring through 20 µV of noise', () => {
    const m = measureEcg(makePiecewiseEcg({ noiseUv: 20, qtMs: 400, qrsMs: 90 }).recording);
    expect(Math.abs(m.qtIntervalMs! - 400)).toBeLessThan(25);
    expect(Math.abs(m.qrsDurationMs! - 90)).toBeLessThan(15);
  });
});

describe('frontal QRS axis', () => {
  for (const axis of [-60, -30, 0, 45, 60, 90, 120, 150]) {
    it(`reads an axis of ${axis}° from leads I and aVF`, () => {
      const m = measureEcg(makePiecewiseEcg({ qrsAxisDeg: axis }).recording);
      expect(Math.abs(m.qrsAxisDeg! - axis)).toBeLessThanOrEqual(5);
    });
  }

  it('derives aVF from I and II when only those two leads were recorded', () => {
    const { recording } = makePiecewiseEcg({ qrsAxisDeg: -45 });
    const twoLeads = { ...recording, leads: recording.leads.filter((l) => l.lead === 'I' || l.lead === 'II') };
    expect(Math.abs(measureEcg(twoLeads).qrsAxisDeg! + 45)).toBeLessThanOrEqual(5);
  });

  it('names left and right axis deviation', () => {
    expect(frontalAxisDeg(1, 0)).toBe(0);
    expect(axisCategory(frontalAxisDeg(1, -1.5)!)).toBe('left');
    expect(axisCategory(frontalAxisDeg(-0.3, 1)!)).toBe('right');
    expect(axisCategory(60)).toBe('normal');
    expect(frontalAxisDeg(0, 0)).toBeNull();
  });
});

describe('rhythm hints on synthetic rhythms (machine hints for a physician to confirm)', () => {
  it('finds no hint in a normal sinus rhythm', () => {
    for (const seed of [1, 2, 3]) expect(hintCodes(synthetic('normal-sinus', seed))).toEqual([]);
  });

  it('calls sinus bradycardia below 60 bpm and sinus tachycardia above 100', () => {
    expect(hintCodes(synthetic('sinus-bradycardia'))).toEqual(['sinus-bradycardia']);
    expect(hintCodes(synthetic('sinus-tachycardia'))).toEqual(['sinus-tachycardia']);
  });

  it('flags an irregular rhythm without P waves as possible atrial fibrillation, never as sinus', () => {
    for (const seed of [1, 2, 3]) {
      const m = measureEcg(synthetic('atrial-fibrillation', seed, { heartRateBpm: 90 }));
      expect(m.hints.map((h) => h.code)).toContain('irregular-rhythm-possible-af');
      expect(m.hints.map((h) => h.code).filter((c) => c.startsWith('sinus'))).toEqual([]);
    }
  });

  it('reports premature ventricular beats without calling the rhythm atrial fibrillation', () => {
    const codes = hintCodes(synthetic('pvc'));
    expect(codes).toContain('premature-beats');
    expect(codes).not.toContain('irregular-rhythm-possible-af');
  });

  it('flags ST elevation in the anterior leads and in the inferior leads, with those leads named', () => {
    const anterior = measureEcg(synthetic('st-elevation-anterior')).hints.find((h) => h.code === 'possible-st-elevation');
    expect(anterior?.severity).toBe('urgent');
    expect(anterior?.leads).toEqual(expect.arrayContaining(['V2', 'V3']));
    const inferior = measureEcg(synthetic('st-elevation-inferior')).hints.find((h) => h.code === 'possible-st-elevation');
    expect(inferior?.leads).toEqual(expect.arrayContaining(['II', 'III', 'aVF']));
  });

  it('labels every hint, in Chinese and English, as a machine hint to be confirmed by a physician', () => {
    const hints = measureEcg(synthetic('st-elevation-inferior')).hints;
    expect(hints.length).toBeGreaterThan(0);
    for (const h of hints) {
      expect(h.machineGenerated).toBe(true);
      expect(h.en).toMatch(/^Machine hint, to be confirmed by a physician: /);
      expect(h.zh).toMatch(/^机器提示，需医生确认：/);
    }
  });
});

describe('hint rules', () => {
  const base: HintInputs = { heartRateBpm: 75, rrMs: Array(10).fill(800), pWavePresent: true, qrsDurationMs: 90, qtcBazettMs: 420, stLevelUv: {} };

  it('does not count an isolated premature beat and its pause as an irregular rhythm', () => {
    const rr = [800, 810, 790, 480, 1120, 800, 805, 795, 800];
    const analysis = analyseRr(rr);
    expect(analysis.prematureBeats).toEqual([3]);
    expect(analysis.normalisedRmssd!).toBeLessThan(0.05);
  });

  it('needs two contiguous leads for ST elevation and a higher cut-point in V2–V3', () => {
    const codes = (stLevelUv: Record<string, number>, sex?: 'F' | 'M') => rhythmHints({ ...base, stLevelUv, sex }).map((h) => h.code);
    expect(codes({ II: 150 })).toEqual([]);
    expect(codes({ II: 150, V2: 150 })).toEqual([]); // different territories
    expect(codes({ V2: 160, V3: 170 })).toEqual([]); // below 2 mm in V2–V3 (man or unknown)
    expect(codes({ V2: 160, V3: 170 }, 'F')).toEqual(['possible-st-elevation']); // ≥ 1.5 mm for a woman
    expect(codes({ II: 120, aVF: 110 })).toEqual(['possible-st-elevation']);
  });

  it('warns about a long QTc', () => {
    expect(rhythmHints({ ...base, qtcBazettMs: 495 }).map((h) => h.code)).toEqual(['long-qtc']);
  });
});

describe('rhythm lead choice', () => {
  it('takes MLII, else II, else the first lead', () => {
    const lead = (name: string) => ({ lead: name, samples: new Int32Array(1) });
    const rec = (names: string[]): EcgRecording => ({ sampleRateHz: 360, resolutionUv: 5, leads: names.map(lead) });
    expect(chooseRhythmLead(rec(['V1', 'MLII']))).toBe(1);
    expect(chooseRhythmLead(rec(['I', 'II', 'V1']))).toBe(1);
    expect(chooseRhythmLead(rec(['V1', 'V5']))).toBe(0);
  });

  it('counts beats in another lead when lead II is perpendicular to the QRS axis (axis −30°)', () => {
    const { recording, rPeaks } = makePiecewiseEcg({ qrsAxisDeg: -30 });
    const m = measureEcg(recording);
    expect(m.rhythmLead).not.toBe('II');
    expect(m.beatCount).toBe(rPeaks.length);
  });

  it('measures a damaged recording whose leads differ in length over their common span', () => {
    const { recording, rPeaks } = makePiecewiseEcg({ seconds: 10 });
    const damaged = { ...recording, leads: recording.leads.map((l, i) => (i === 3 ? { ...l, samples: l.samples.subarray(0, 3000) } : l)) };
    const m = measureEcg(damaged);
    expect(m.durationSeconds).toBe(6);
    expect(m.beatCount).toBe(rPeaks.filter((p) => p < 3000).length);
    expect(m.qrsDurationMs).not.toBeNull();
  });

  it('returns no intervals, rather than made-up ones, for a flat line', () => {
    const flat: EcgRecording = { sampleRateHz: 500, resolutionUv: 1, leads: [{ lead: 'II', samples: new Int32Array(5000) }] };
    const m = measureEcg(flat);
    expect(m.beatCount).toBe(0);
    expect([m.heartRateBpm, m.qrsDurationMs, m.qtIntervalMs, m.prIntervalMs, m.qrsAxisDeg]).toEqual([null, null, null, null, null]);
  });
});

describe('a strip in ventricular flutter', () => {
  it('shows no heart rate and an urgent flutter/fibrillation hint instead of counting flutter waves', () => {
    const fs = 500;
    const wave = (amplitude: number) => Int32Array.from({ length: 10 * fs }, (_, i) => Math.round(amplitude * Math.sin((2 * Math.PI * 4 * i) / fs)));
    const recording: EcgRecording = { sampleRateHz: fs, resolutionUv: 1, leads: [{ lead: 'II', samples: wave(900) }, { lead: 'V1', samples: wave(-600) }] };
    const m = measureEcg(recording);
    expect(m.heartRateBpm).toBeNull();
    expect(m.beatCount).toBe(0);
    expect(m.hints[0]).toMatchObject({ code: 'possible-ventricular-fibrillation', severity: 'urgent' });
    expect(m.hints[0]!.zh).toContain('请立即查看患者');
  });
});
