/**
 * A recording travels between the formats as it does in practice — acquired, stored as DICOM, sent to
 * a cart or system that wants SCP-ECG, brought back, exported as aECG — and arrives unchanged.
 * Files go through the real file system, as the `ecg` CLI and the hub handle them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDicomEcg, readScpEcg, writeAecg, writeDicomEcg, writeScpEcg } from '../../../core/ecg/formats/index.ts';
import { rhythms } from '../../../core/ecg/synthesis/index.ts';
import { makeEcgRecording, makePatient } from '../../fixtures/ecg/make-recording.ts';

const dir = mkdtempSync(join(tmpdir(), 'ecg-cross-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const roundTrip = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return new Uint8Array(readFileSync(path));
};

describe('ECG recordings across DICOM, SCP-ECG and aECG', () => {
  it.each(rhythms.map((rhythm, i) => [rhythm, [250, 500, 1000][i % 3]!] as const))(
    '%s at %i Hz: DICOM → SCP-ECG → DICOM keeps samples, patient and time',
    (rhythm, sampleRateHz) => {
      const original = makeEcgRecording({ rhythm, sampleRateHz, seconds: 10, patient: makePatient({ name: '司马相如' }) });
      const fromDicom = readDicomEcg(roundTrip(`${rhythm}.dcm`, writeDicomEcg(original)));
      const fromScp = readScpEcg(roundTrip(`${rhythm}.scp`, writeScpEcg(fromDicom)));
      const again = readDicomEcg(writeDicomEcg(fromScp));
      for (const r of [fromDicom, fromScp, again]) {
        expect(r.sampleRateHz).toBe(sampleRateHz);
        expect(r.resolutionUv).toBe(original.resolutionUv);
        expect(r.patient).toEqual(original.patient);
        expect(r.startTime).toBe(original.startTime);
        expect(r.leads.map((l) => [l.lead, Array.from(l.samples)])).toEqual(original.leads.map((l) => [l.lead, Array.from(l.samples)]));
      }
      const xml = writeAecg(again);
      const firstDigits = /<digits>([^<]*)<\/digits>/.exec(xml)?.[1]?.split(' ').map(Number);
      expect(firstDigits).toEqual(Array.from(original.leads[0]!.samples));
    },
  );
});
