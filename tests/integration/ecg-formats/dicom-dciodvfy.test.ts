/**
 * Every DICOM ECG this workstation writes must pass dciodvfy (David Clunie's DICOM validator, Debian
 * dicom3tools) with zero errors, and parse in dcmtk's dcmdump: the bar for sending it to a PACS or
 * the county remote-ECG center.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDicomEcg, writeDicomEcg } from '../../../core/ecg/formats/index.ts';
import { makeEcgRecording, makePatient, type MakeRecordingOptions } from '../../fixtures/ecg/make-recording.ts';
import { requireSystemDependency } from '../../support/system-deps.ts';

const dir = mkdtempSync(join(tmpdir(), 'ecg-dicom-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validate(name: string, options: MakeRecordingOptions, meta?: Parameters<typeof writeDicomEcg>[1]) {
  const recording = makeEcgRecording(options);
  const path = join(dir, `${name}.dcm`);
  writeFileSync(path, writeDicomEcg(recording, meta));
  // dciodvfy writes its findings to stderr and exits 0 even with errors; read the lines.
  const run = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
  const lines = `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => l.trim() !== '');
  return {
    recording,
    path,
    errors: lines.filter((l) => /^Error/.test(l)),
    warnings: lines.filter((l) => /^Warning/.test(l)),
    iod: lines.find((l) => !/^(Error|Warning)/.test(l)),
  };
}

const cases: Array<[string, MakeRecordingOptions, Parameters<typeof writeDicomEcg>[1]?]> = [
  ['250 Hz, Chinese patient name', { sampleRateHz: 250, seconds: 10, patient: makePatient({ name: '王小明' }) }],
  ['250 Hz atrial fibrillation, 16 s', { sampleRateHz: 250, seconds: 16, rhythm: 'atrial-fibrillation' }],
  ['500 Hz, full patient and study data', { sampleRateHz: 500, seconds: 10, patient: makePatient({ name: '欧阳娜娜', sex: 'F' }) }, { accessionNumber: 'ECG20261123001', studyId: '1', studyDescription: '常规十二导联心电图', referringPhysicianName: '李医生', institutionName: '青山镇卫生院' }],
  ['1000 Hz, 4.88 µV resolution, anterior ST elevation', { sampleRateHz: 1000, seconds: 10, resolutionUv: 4.88, rhythm: 'st-elevation-anterior' }],
  ['500 Hz, no patient, device, filters or start time', { sampleRateHz: 500, seconds: 10, patient: null, device: null, filters: null, startTime: null }],
  ['500 Hz, start time with milliseconds west of UTC', { sampleRateHz: 500, seconds: 5, startTime: '2026-03-08T23:59:59.250-05:00' }],
  ['500 Hz, Latin patient name in DICOM components', { sampleRateHz: 500, seconds: 5, patient: makePatient({ name: 'Zhang^San' }) }],
];

describe.runIf(requireSystemDependency('dciodvfy'))('DICOM 12-lead ECG files pass dciodvfy', () => {
  it.each(cases)('%s: zero dciodvfy errors, and the file reads back intact', (name, options, meta) => {
    const result = validate(name.replace(/[^a-z0-9]+/gi, '-'), options, meta);
    if (result.warnings.length > 0) console.log(`dciodvfy warnings (${name}):\n  ${result.warnings.join('\n  ')}`);
    expect(result.errors).toEqual([]);
    expect(result.iod).toBe('TwelveLeadECG');
    const back = readDicomEcg(new Uint8Array(readFileSync(result.path)));
    expect(back.leads.map((l) => Array.from(l.samples))).toEqual(result.recording.leads.map((l) => Array.from(l.samples)));
  });

  it('dcmtk parses the file and shows the Chinese name in UTF-8', () => {
    const result = validate('dcmdump', { sampleRateHz: 500, seconds: 2, patient: makePatient({ name: '张三' }) });
    const dump = execFileSync('dcmdump', ['+U8', result.path], { encoding: 'utf8' });
    expect(dump).toContain('TwelveLeadECGWaveformStorage');
    expect(dump).toMatch(/\(0010,0010\) PN \[张三\^\]/);
    expect(dump).toMatch(/\(5400,1010\) OW/);
    expect(dump).not.toMatch(/MultiplexGroupTimeOffset/);
  });

  it('dciodvfy reports errors on a broken file (the check can fail)', () => {
    const result = validate('control', { sampleRateHz: 500, seconds: 1 });
    const bytes = readFileSync(result.path);
    // Drop the Modality value: a type 1 attribute of General Series left empty must be an error.
    const broken = Buffer.from(bytes.toString('latin1').replace('\x60\x00\x43\x53\x04\x00ECG ', '\x60\x00\x43\x53\x04\x00    '), 'latin1');
    const path = join(dir, 'broken.dcm');
    writeFileSync(path, broken);
    const run = spawnSync('dciodvfy', [path], { encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`).toMatch(/^Error/m);
  });
});
