/**
 * The `ecg` command as a user runs it: a separate Node process on records written to a temp dir.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreBeatDetection } from '../../../core/ecg/signal/beat-matching.ts';
import type { EcgMeasurements } from '../../../core/ecg/signal/measure.ts';
import { requireSystemDependency } from '../../support/system-deps.ts';
import { makeWfdbRecordOnDisk, type WfdbRecordOnDisk } from './make-wfdb-record.ts';

const root = join(import.meta.dirname, '../../..');
/** `node --import tsx cli/ecg.ts …` is what `npm run --silent ecg -- …` runs, without npm's start-up. */
const ecg = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli/ecg.ts'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

const dir = mkdtempSync(join(tmpdir(), 'ecg-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let mitLike: WfdbRecordOnDisk;
let twelveLead: WfdbRecordOnDisk;
beforeAll(async () => {
  mitLike = await makeWfdbRecordOnDisk(dir, { name: '100s', rhythm: 'pvc', seconds: 120 });
  twelveLead = await makeWfdbRecordOnDisk(dir, { name: 'stemi', rhythm: 'st-elevation-inferior', layout: '12-lead', seconds: 10, sampleRateHz: 500 });
});

describe('ecg detect / measure / score on WFDB records', () => {
  it('detect finds every beat of a two-minute MIT-BIH style record (212, MLII + V5, PVCs)', () => {
    const { code, stdout, stderr } = ecg('detect', mitLike.path);
    expect([code, stderr]).toEqual([0, '']);
    const out = JSON.parse(stdout) as { record: string; fs: number; leads: string[]; peaks: number[] };
    expect([out.record, out.fs, out.leads]).toEqual(['100s', 360, ['MLII', 'V5']]);
    const score = scoreBeatDetection(mitLike.beats.map((b) => b.sample), out.peaks, 360);
    expect(score.sensitivity).toBeGreaterThanOrEqual(0.995);
    expect(score.positivePredictivity).toBeGreaterThanOrEqual(0.995);
  });

  it('score finds every annotated beat of the real MIT-BIH record 100 excerpt', () => {
    const out = JSON.parse(ecg('score', join(root, 'tests/fixtures/wfdb/mitdb-100-excerpt/100')).stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ record: '100', leads: ['MLII', 'V5'], referenceBeats: 4, truePositives: 4, falsePositives: 0 });
  });

  it('score agrees with the annotation file', () => {
    const out = JSON.parse(ecg('score', mitLike.path).stdout) as { referenceBeats: number; sensitivity: number; positivePredictivity: number };
    expect(out.referenceBeats).toBe(mitLike.beats.length);
    expect(out.sensitivity).toBeGreaterThanOrEqual(0.995);
    expect(out.positivePredictivity).toBeGreaterThanOrEqual(0.995);
  });

  it('measure reports the intervals and an urgent ST-elevation hint naming the inferior leads', () => {
    const { code, stdout } = ecg('measure', twelveLead.path);
    expect(code).toBe(0);
    const m = JSON.parse(stdout) as EcgMeasurements;
    expect(m.heartRateBpm).toBeGreaterThan(60);
    expect(m.qrsDurationMs).toBeGreaterThan(60);
    expect(m.qtIntervalMs).toBeGreaterThan(250);
    const st = m.hints.find((h) => h.code === 'possible-st-elevation');
    expect(st?.severity).toBe('urgent');
    expect(st?.leads).toEqual(expect.arrayContaining(['II', 'III', 'aVF']));
    expect(st?.zh).toMatch(/^机器提示，需医生确认/);
  });
});

describe('ecg convert', () => {
  it('writes SCP-ECG and HL7 aECG files that detect reads back with the same beats', () => {
    const original = JSON.parse(ecg('detect', twelveLead.path).stdout) as { peaks: number[] };
    const scp = join(dir, 'stemi.scp');
    expect(ecg('convert', twelveLead.path, scp).code).toBe(0);
    expect((JSON.parse(ecg('detect', scp).stdout) as { peaks: number[] }).peaks).toEqual(original.peaks);
    const xml = join(dir, 'stemi.xml');
    expect(ecg('convert', twelveLead.path, xml).code).toBe(0);
    expect(readdirSync(dir)).toContain('stemi.xml');
  });

  it('refuses to put the non-standard MLII lead into a DICOM 12-lead object and leaves no file behind', () => {
    const out = join(dir, 'mit.dcm');
    const { code, stdout, stderr } = ecg('convert', join(dir, '100s'), out);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^错误：.+ \| Error: .+\n$/);
    expect(readdirSync(dir).filter((f) => f.startsWith('mit.dcm'))).toEqual([]);
  });
});

describe.runIf(requireSystemDependency('dciodvfy'))('ecg convert to DICOM', () => {
  it('writes a DICOM 12-lead ECG that dciodvfy accepts with zero errors and detect reads back', () => {
    const out = join(dir, 'stemi.dcm');
    expect(ecg('convert', twelveLead.path, out).code).toBe(0);
    const check = spawnSync('dciodvfy', [out], { encoding: 'utf8' });
    const errors = `${check.stdout}\n${check.stderr}`.split('\n').filter((l) => /^Error/.test(l));
    expect(errors).toEqual([]);
    const original = JSON.parse(ecg('detect', twelveLead.path).stdout) as { peaks: number[] };
    expect((JSON.parse(ecg('detect', out).stdout) as { peaks: number[] }).peaks).toEqual(original.peaks);
  });
});

describe('ecg errors', () => {
  it('a corrupt DICOM file: exit 1, one bilingual line on stderr, nothing on stdout', () => {
    const bad = join(dir, 'bad.dcm');
    writeFileSync(bad, 'not a dicom file at all');
    const { code, stdout, stderr } = ecg('measure', bad);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(stderr).toMatch(/DICOM.*\| Error: .*DICOM/);
  });

  it('an unknown command exits 2 with a usage hint', () => {
    const { code, stdout, stderr } = ecg('plot', mitLike.path);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/未知命令：plot.*Unknown command: plot/);
  });

  it('runs through the npm script as documented', () => {
    const run = spawnSync('npm', ['run', '--silent', 'ecg', '--', 'detect', twelveLead.path], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout) as object)).toEqual(['record', 'fs', 'leads', 'peaks']);
  });
});
