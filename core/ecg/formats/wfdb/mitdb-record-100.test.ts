/**
 * A real record: the first 2.8 s of MIT-BIH Arrhythmia Database record 100 (see
 * tests/fixtures/wfdb/README.md for where each byte comes from).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreBeatDetection } from '../../signal/beat-matching.ts';
import { detectQrs } from '../../signal/qrs-detection.ts';
import { parseWfdbHeader, readWfdbRecord } from './index.ts';

const dir = join(import.meta.dirname, '../../../../tests/fixtures/wfdb/mitdb-100-excerpt');
const file = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
const record = readWfdbRecord({ header: file('100.hea'), signalFiles: { '100.dat': file('100.dat') }, annotations: file('100.atr') });
const csv = readFileSync(join(dir, '100-first-1000-samples.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',').map(Number));

describe('MIT-BIH record 100 (real data)', () => {
  it('parses the header as PhysioNet distributes it, comment line first and a blank line between signals', () => {
    const header = parseWfdbHeader(
      '# unnecessary comment\n100 2 360 650000\n100.dat 212 200 11 1024 995 -22131 0 MLII\n\n100.dat 212 200 11 1024 1011 20052 0 V5\n# 69 M 1085 1629 x1\n# Aldomet, Inderal',
    );
    expect(header.signals.map((s) => [s.description, s.baseline, s.adcGain, s.checksum])).toEqual([
      ['MLII', 1024, 200, -22131],
      ['V5', 1024, 200, 20052],
    ]);
    expect(header.comments).toContain('69 M 1085 1629 x1');
  });

  it('decodes every sample to (ADC − 1024) × 5 µV, matching rdsamp’s listing', () => {
    expect(record.recording.resolutionUv).toBe(5);
    const [mlii, v5] = record.recording.leads;
    expect([mlii!.lead, v5!.lead]).toEqual(['MLII', 'V5']);
    expect(Array.from(mlii!.samples)).toEqual(csv.map((row) => row[1]! - 1024));
    expect(Array.from(v5!.samples)).toEqual(csv.map((row) => row[2]! - 1024));
  });

  it('reads the cardiologists’ annotations, rhythm label included', () => {
    expect(record.annotations[0]).toMatchObject({ sample: 18, code: '+', aux: '(N' });
    expect(record.beats.slice(1)).toEqual([77, 370, 662, 946].map((sample) => ({ sample, code: 'N' })));
  });

  it('finds each annotated beat within a few milliseconds', () => {
    const beats = record.beats.filter((b) => b.code === 'N').map((b) => b.sample);
    const { peaks } = detectQrs(record.recording.leads[0]!.samples, 360);
    const score = scoreBeatDetection(beats, peaks, 360);
    expect([score.sensitivity, score.positivePredictivity]).toEqual([1, 1]);
    expect(score.meanTimingErrorMs).toBeLessThan(10);
  });
});
