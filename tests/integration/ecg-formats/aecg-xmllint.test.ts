/**
 * Every HL7 aECG file this workstation writes must validate against the HL7 aECG schema
 * (PORT_MT020001.xsd, 2003-12 ballot, as the FDA ECG warehouse uses it) with libxml2's xmllint, and
 * read back intact.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAecg, writeAecg } from '../../../core/ecg/formats/index.ts';
import { makeEcgRecording, makePatient, type MakeRecordingOptions } from '../../fixtures/ecg/make-recording.ts';
import { requireSystemDependency } from '../../support/system-deps.ts';

/** Unchanged copy of the HL7 schema set (BSD-style HL7 licence in each file). */
const schema = join(import.meta.dirname, '../../fixtures/ecg/hl7-aecg-2003-12/schema/PORT_MT020001.xsd');
const dir = mkdtempSync(join(tmpdir(), 'ecg-aecg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cases: Array<[string, MakeRecordingOptions]> = [
  ['500 Hz 12-lead with patient, device and filters', { sampleRateHz: 500, seconds: 10, patient: makePatient({ name: '欧阳娜娜', sex: 'F' }) }],
  ['250 Hz atrial fibrillation, 4.88 µV, start time west of UTC', { sampleRateHz: 250, seconds: 10, resolutionUv: 4.88, rhythm: 'atrial-fibrillation', startTime: '2026-03-08T23:59:59.250-05:00' }],
  ['no patient, device, filters or start time', { sampleRateHz: 500, seconds: 5, patient: null, device: null, filters: null, startTime: null }],
];

describe.runIf(requireSystemDependency('xmllint'))('HL7 aECG files validate against PORT_MT020001.xsd', () => {
  it.each(cases)('%s: xmllint says it validates, and it reads back sample for sample', (name, options) => {
    const recording = makeEcgRecording(options);
    const path = join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.xml`);
    writeFileSync(path, writeAecg(recording, { now: new Date('2026-12-06T00:00:00Z') }));
    const run = spawnSync('xmllint', ['--noout', '--schema', schema, path], { encoding: 'utf8' });
    // Schema-parser warnings about the HL7 datatypes are harmless; validity errors are not.
    const errors = run.stderr.split('\n').filter((l) => /validity error|parser error/.test(l));
    expect(errors).toEqual([]);
    expect(run.stderr).toContain(`${path} validates`);
    expect(run.status).toBe(0);
    const back = readAecg(new Uint8Array(readFileSync(path)));
    expect(back.leads.map((l) => Array.from(l.samples))).toEqual(recording.leads.map((l) => Array.from(l.samples)));
  });

  it('xmllint rejects a file with the filters after the waveforms (the order the old writer used)', () => {
    const xml = writeAecg(makeEcgRecording({ sampleRateHz: 500, seconds: 2 }));
    const [before, after] = xml.split('<component><sequenceSet>');
    const filters = before!.slice(before!.indexOf('<controlVariable>'));
    const misordered = `${before!.slice(0, before!.indexOf('<controlVariable>'))}<component><sequenceSet>${after!.replace('</series>', `${filters}</series>`)}`;
    const path = join(dir, 'misordered.xml');
    writeFileSync(path, misordered);
    const run = spawnSync('xmllint', ['--noout', '--schema', schema, path], { encoding: 'utf8' });
    expect(run.stderr).toMatch(/controlVariable.*This element is not expected/);
    expect(run.status).not.toBe(0);
  });
});
