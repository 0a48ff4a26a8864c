import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeEcgRecording, makePatient, makeRandomRecording } from '../../../../tests/fixtures/ecg/make-recording.ts';
import type { EcgRecording } from '../../recording.ts';
import { EcgFormatError } from '../format-error.ts';
import { readDicomEcg } from './read-dicom-ecg.ts';
import { writeDicomEcg } from './write-dicom-ecg.ts';
import { formatDecimalString } from './dicom-values.ts';
import { isValidDicomUid, newDicomUid } from './uid.ts';

const expectSameSamples = (a: EcgRecording, b: EcgRecording) => {
  expect(b.leads.map((l) => l.lead)).toEqual(a.leads.map((l) => l.lead));
  a.leads.forEach((lead, i) => expect(Array.from(b.leads[i]?.samples ?? [])).toEqual(Array.from(lead.samples)));
};

const catchError = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('DICOM 12-lead ECG', () => {
  it('keeps every sample, the rate and the resolution through write and read', () => {
    const recording = makeEcgRecording({ sampleRateHz: 500, seconds: 10, resolutionUv: 2.5 });
    const back = readDicomEcg(writeDicomEcg(recording));
    expectSameSamples(recording, back);
    expect(back.sampleRateHz).toBe(500);
    expect(back.resolutionUv).toBe(2.5);
  });

  it('reads a file handed over as a view into a larger buffer (as Node Buffers often are)', () => {
    const recording = makeEcgRecording({ seconds: 1 });
    const bytes = writeDicomEcg(recording);
    const larger = new Uint8Array(bytes.length + 100).fill(0xee);
    larger.set(bytes, 37);
    expectSameSamples(recording, readDicomEcg(larger.subarray(37, 37 + bytes.length)));
    // Buffer#slice makes a view, not a copy, so this is the case fs.readFile hands over.
    expectSameSamples(recording, readDicomEcg(Buffer.from(larger.buffer, 37, bytes.length)));
  });

  it('keeps the full 16-bit range, including -32768 and 32767', () => {
    const recording = makeRandomRecording({ samples: 2000 });
    recording.leads[0]!.samples[0] = -32768;
    recording.leads[0]!.samples[1] = 32767;
    expectSameSamples(recording, readDicomEcg(writeDicomEcg(recording)));
  });

  it('brings back the Chinese patient name, ID, sex, birth date, device, filters and start time', () => {
    const recording = makeEcgRecording({ patient: makePatient({ name: '欧阳娜娜', sex: 'F', birthDate: '1990-02-28' }) });
    const back = readDicomEcg(writeDicomEcg(recording));
    expect(back.patient).toEqual(recording.patient);
    expect(back.device).toEqual(recording.device);
    expect(back.filters).toEqual(recording.filters);
    expect(back.startTime).toBe('2026-11-23T09:30:15+08:00');
  });

  it('keeps study identifiers given by the caller and makes valid UIDs otherwise', () => {
    const studyInstanceUid = newDicomUid();
    const bytes = writeDicomEcg(makeEcgRecording({ seconds: 2 }), { studyInstanceUid, accessionNumber: 'A2026-0001', studyId: '17' });
    const { dicom } = readDicomEcg(bytes);
    expect(dicom.studyInstanceUid).toBe(studyInstanceUid);
    expect(dicom.accessionNumber).toBe('A2026-0001');
    expect(dicom.studyId).toBe('17');
    expect(isValidDicomUid(dicom.sopInstanceUid)).toBe(true);
    expect(isValidDicomUid(dicom.seriesInstanceUid ?? '')).toBe(true);
    expect(dicom.sopInstanceUid).not.toBe(readDicomEcg(writeDicomEcg(makeEcgRecording({ seconds: 2 }))).dicom.sopInstanceUid);
  });

  it('writes a recording without patient data or start time', () => {
    const recording = makeEcgRecording({ seconds: 2, patient: null, device: null, filters: null, startTime: null });
    const back = readDicomEcg(writeDicomEcg(recording));
    expect(back.patient).toBeUndefined();
    expect(back.filters).toBeUndefined();
    expectSameSamples(recording, back);
  });

  it('refuses a sample outside 16 bits, naming the lead and sample', () => {
    const recording = makeEcgRecording({ seconds: 1 });
    recording.leads[3]!.samples[42] = 40000;
    const error = catchError(() => writeDicomEcg(recording));
    expect(error).toBeInstanceOf(EcgFormatError);
    expect((error as EcgFormatError).code).toBe('SAMPLE_OUT_OF_RANGE');
    expect((error as EcgFormatError).message).toContain('lead aVR, sample 42');
    expect((error as EcgFormatError).messageZh).toContain('超出');
  });

  it('refuses leads of different lengths, unknown leads and rates outside 200–1000 Hz', () => {
    const uneven = makeEcgRecording({ seconds: 1 });
    uneven.leads[1]!.samples = new Int32Array(10);
    expect((catchError(() => writeDicomEcg(uneven)) as EcgFormatError).code).toBe('INVALID_RECORDING');
    const odd = makeEcgRecording({ seconds: 1 });
    odd.leads[0]!.lead = 'MLII';
    expect((catchError(() => writeDicomEcg(odd)) as EcgFormatError).code).toBe('UNSUPPORTED_LEAD');
    expect((catchError(() => writeDicomEcg(makeEcgRecording({ sampleRateHz: 128, seconds: 1 }))) as EcgFormatError).code).toBe(
      'SAMPLE_RATE_NOT_SUPPORTED',
    );
  });

  it('refuses bad options (invalid date, malformed UID, over-long accession number) with EcgFormatError', () => {
    const recording = makeEcgRecording({ seconds: 1 });
    for (const meta of [{ createdAt: new Date('not a date') }, { studyInstanceUid: '1.2.03' }, { accessionNumber: 'A'.repeat(17) }]) {
      expect((catchError(() => writeDicomEcg(recording, meta)) as EcgFormatError).code).toBe('INVALID_RECORDING');
    }
  });

  it('reports a file that is not DICOM, or is cut short, as EcgFormatError', () => {
    expect((catchError(() => readDicomEcg(new TextEncoder().encode('hello'))) as EcgFormatError).code).toBe('DICOM_NOT_PART10');
    expect(catchError(() => readDicomEcg(undefined as unknown as Uint8Array))).toBeInstanceOf(EcgFormatError);
    const bytes = writeDicomEcg(makeEcgRecording({ seconds: 1 }));
    // The file ends with 16 bytes of sequence delimiters; every cut below loses header or sample data.
    for (const cut of [140, 400, 1000, bytes.length - 500, bytes.length - 17]) {
      expect(catchError(() => readDicomEcg(bytes.subarray(0, cut)))).toBeInstanceOf(EcgFormatError);
    }
  });

  it('never throws anything but EcgFormatError on corrupted files', () => {
    const bytes = writeDicomEcg(makeEcgRecording({ seconds: 1 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }), fc.nat(bytes.length), (edits, cut) => {
        const corrupt = bytes.slice(0, Math.max(cut, 133));
        for (const [at, value] of edits) if (at < corrupt.length && at >= 132) corrupt[at] = value;
        const error = catchError(() => readDicomEcg(corrupt));
        return error === undefined || error instanceof EcgFormatError;
      }),
      { numRuns: 200 },
    );
  });

  it('formats decimal strings within the 16 characters DS allows', () => {
    expect(formatDecimalString(2.5)).toBe('2.5');
    expect(formatDecimalString(0.1 + 0.2).length).toBeLessThanOrEqual(16);
    expect(Number(formatDecimalString(4.8828125))).toBe(4.8828125);
  });
});
