import { describe, expect, it } from 'vitest';
import type { EcgRecording } from '../../recording.ts';
import { parseWfdbHeader, readWfdbAnnotations, readWfdbRecord, writeWfdbAnnotations, writeWfdbRecord, EcgFormatError } from './index.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));

/** A two-lead record of `frames` samples per lead with recognisable values. */
const makeRecording = (overrides: Partial<EcgRecording> = {}, frames = 7): EcgRecording => ({
  sampleRateHz: 360,
  resolutionUv: 5,
  leads: [
    { lead: 'MLII', samples: Int32Array.from({ length: frames }, (_, i) => (i * 37) % 400 - 200) },
    { lead: 'V5', samples: Int32Array.from({ length: frames }, (_, i) => 150 - i * 11) },
  ],
  ...overrides,
});

const expectWfdbError = (fn: () => unknown, code: string): void => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EcgFormatError);
    expect((e as EcgFormatError).code).toBe(code);
    expect((e as EcgFormatError).messageZh).toMatch(/WFDB|心电/);
    return;
  }
  throw new Error(`expected ${code}`);
};

describe('WFDB header (.hea)', () => {
  it('reads the record line and each signal line of an MIT-BIH style header, comments included', () => {
    const header = parseWfdbHeader(
      '100 2 360 650000 11:05:00 12/03/1975\r\n' +
        '100.dat 212 200 11 1024 995 -22131 0 MLII\r\n' +
        '100.dat 212 200 11 1024 1011 20052 0 V5\r\n' +
        '# 69 M 1085 1629 x1\r\n',
    );
    expect(header).toMatchObject({ recordName: '100', signalCount: 2, sampleRateHz: 360, sampleCount: 650000, comments: ['69 M 1085 1629 x1'] });
    expect(header.signals[0]).toMatchObject({ fileName: '100.dat', format: 212, adcGain: 200, baseline: 1024, units: 'mV', adcResolution: 11, adcZero: 1024, initialValue: 995, checksum: -22131, description: 'MLII' });
  });

  it('reads explicit baseline, units, byte offset, skew and a description with spaces', () => {
    const header = parseWfdbHeader('r 1 500/1000(0)\nr.dat 16:2+24 2000.5(-12)/uV 16 0 0 0 0 lead II chest strap\n');
    expect(header.sampleRateHz).toBe(500);
    expect(header.sampleCount).toBeUndefined();
    expect(header.signals[0]).toMatchObject({ format: 16, skew: 2, byteOffset: 24, adcGain: 2000.5, baseline: -12, units: 'uV', description: 'lead II chest strap' });
  });

  it('uses the WFDB defaults (250 Hz, gain 200, mV) when fields are left out', () => {
    const header = parseWfdbHeader('rec 1\nrec.dat 212\n');
    expect(header.sampleRateHz).toBe(250);
    expect(header.signals[0]).toMatchObject({ adcGain: 200, baseline: 0, units: 'mV', description: '' });
  });

  it('rejects a header that announces more signals than it describes, a bad format and multi-segment records', () => {
    expectWfdbError(() => parseWfdbHeader('r 2 360\nr.dat 212 200\n'), 'WFDB_BAD_HEADER');
    expectWfdbError(() => parseWfdbHeader('r 1 360\nr.dat twelve 200\n'), 'WFDB_BAD_HEADER');
    expectWfdbError(() => parseWfdbHeader('r/3 1 360\n'), 'WFDB_UNSUPPORTED');
    expectWfdbError(() => parseWfdbHeader('# only a comment\n'), 'WFDB_BAD_HEADER');
  });
});

describe('WFDB signal files', () => {
  it('decodes format 212 byte for byte: two 12-bit samples in three bytes, two signals interleaved', () => {
    // Stream 100, −1, −100, 2047 → 64 F0 FF | 9C 7F FF (signal(5) bit layout).
    const record = readWfdbRecord({
      header: 'tiny 2 360 2\ntiny.dat 212 200(0) 12 0 100 0 0 MLII\ntiny.dat 212 200(0) 12 0 -1 2046 0 V1\n',
      signalFiles: { 'tiny.dat': hex('64 F0 FF 9C 7F FF') },
    });
    expect(record.recording.resolutionUv).toBe(5); // 1000 µV / 200 adu
    expect(Array.from(record.recording.leads[0]!.samples)).toEqual([100, -100]);
    expect(Array.from(record.recording.leads[1]!.samples)).toEqual([-1, 2047]);
    expect(record.recording.leads.map((l) => l.lead)).toEqual(['MLII', 'V1']);
  });

  it('decodes format 16 little-endian after a byte offset and subtracts each signal’s baseline', () => {
    const record = readWfdbRecord({
      header: 'r16 2 500 2\nr16.dat 16+4 1000(10)/mV 16 0 0 20 0 ii\nr16.dat 16+4 1000(-10)/mV 16 0 0 -32748 0 AVF\n',
      // 4-byte prefix, then frames (1010, −32758) and (−990, 10).
      signalFiles: { 'r16.dat': hex('DE AD BE EF  F2 03 0A 80  22 FC 0A 00') },
    });
    expect(record.recording.resolutionUv).toBe(1);
    expect(record.recording.leads.map((l) => l.lead)).toEqual(['II', 'aVF']);
    expect(Array.from(record.recording.leads[0]!.samples)).toEqual([1000, -1000]);
    expect(Array.from(record.recording.leads[1]!.samples)).toEqual([-32748, 20]);
  });

  it('reads signals kept in separate files and brings different gains to one resolution', () => {
    const record = readWfdbRecord({
      header: 'two 2 250 3\na.dat 16 200 16 0 0 256 0 I\nb.dat 80 100 8 0 0 0 0 II\n',
      signalFiles: { 'a.dat': hex('01 00 FF FF 00 01'), 'b.dat': hex('81 7F 80') },
    });
    expect(record.recording.resolutionUv).toBe(5);
    expect(Array.from(record.recording.leads[0]!.samples)).toEqual([1, -1, 256]);
    expect(Array.from(record.recording.leads[1]!.samples)).toEqual([2, -2, 0]); // 10 µV steps → 2 × 5 µV
  });

  it('turns invalid samples (−2048 in format 212) into the baseline rather than a huge spike', () => {
    const record = readWfdbRecord({ header: 'inv 1 360 2\ninv.dat 212 200 12 0 0 -2038 0 II\n', signalFiles: { 'inv.dat': hex('00 08 0A') } });
    expect(Array.from(record.recording.leads[0]!.samples)).toEqual([0, 10]);
  });

  it('refuses a short signal file, a missing one, a checksum mismatch and an unsupported format', () => {
    expectWfdbError(() => readWfdbRecord({ header: 's 1 360 4\ns.dat 16\n', signalFiles: { 's.dat': hex('01 00 02 00') } }), 'WFDB_TRUNCATED');
    expectWfdbError(() => readWfdbRecord({ header: 's 1 360 4\ns.dat 16\n', signalFiles: {} }), 'WFDB_MISSING_FILE');
    expectWfdbError(() => readWfdbRecord({ header: 's 1 360 2\ns.dat 16 200 16 0 0 4 0 II\n', signalFiles: { 's.dat': hex('01 00 02 00') } }), 'WFDB_BAD_CHECKSUM');
    expectWfdbError(() => readWfdbRecord({ header: 's 1 360 2\ns.dat 310\n', signalFiles: { 's.dat': hex('00 00 00 00') } }), 'WFDB_UNSUPPORTED');
  });

  it('round-trips a recording through the writer in both formats, checksums included', () => {
    for (const format of [212, 16] as const) {
      const original = makeRecording({}, 9);
      const written = writeWfdbRecord('roundtrip', original, { format });
      const back = readWfdbRecord({ header: written.header, signalFiles: { 'roundtrip.dat': written.dat } });
      expect(back.recording.resolutionUv).toBeCloseTo(5);
      expect(back.recording.leads.map((l) => [l.lead, Array.from(l.samples)])).toEqual(original.leads.map((l) => [l.lead, Array.from(l.samples)]));
    }
  });

  it('will not write a sample format 212 cannot hold', () => {
    const loud = makeRecording({ leads: [{ lead: 'II', samples: Int32Array.from([0, 3000]) }] });
    expectWfdbError(() => writeWfdbRecord('loud', loud, { format: 212 }), 'WFDB_NOT_WRITABLE');
  });
});

describe('MIT annotation files (.atr)', () => {
  // '+' at 18 with aux "(N", N at 77, SKIP to 100000 then V with SUB 2 / CHN 1 / NUM 3, N at 100010, end.
  const atr = hex('12 70  03 FC 28 4E 00 00  3B 04  00 EC 01 00 53 86 00 14  02 F4 01 F8 03 F0  0A 04  00 00');

  it('reads times, codes, auxiliary text and the SKIP, SUB, CHN and NUM pseudo-annotations', () => {
    const annotations = readWfdbAnnotations(atr);
    expect(annotations).toEqual([
      { sample: 18, code: '+', type: 28, subtype: 0, chan: 0, num: 0, aux: '(N' },
      { sample: 77, code: 'N', type: 1, subtype: 0, chan: 0, num: 0, aux: undefined },
      { sample: 100000, code: 'V', type: 5, subtype: 2, chan: 1, num: 3, aux: undefined },
      { sample: 100010, code: 'N', type: 1, subtype: 0, chan: 1, num: 3, aux: undefined },
    ]);
  });

  it('writes annotations the reader reads back, long gaps as SKIP', () => {
    const input = [
      { sample: 18, code: '+', aux: '(AFIB' },
      { sample: 500, code: 'N' },
      { sample: 70000, code: 'V', subtype: 1, chan: 1 },
      { sample: 70300, code: 'N' },
    ];
    const back = readWfdbAnnotations(writeWfdbAnnotations(input));
    expect(back.map((a) => [a.sample, a.code, a.aux ?? '', a.subtype, a.chan])).toEqual([
      [18, '+', '(AFIB', 0, 0],
      [500, 'N', '', 0, 0],
      [70000, 'V', '', 1, 1],
      [70300, 'N', '', 0, 1],
    ]);
  });

  it('rejects a file cut inside a SKIP and an auxiliary string that runs past the end', () => {
    expectWfdbError(() => readWfdbAnnotations(hex('00 EC 01 00')), 'WFDB_BAD_ANNOTATIONS');
    expectWfdbError(() => readWfdbAnnotations(hex('12 04 09 FC 28 4E')), 'WFDB_BAD_ANNOTATIONS');
  });

  it('hands the annotations to the record as beat annotations', () => {
    const written = writeWfdbRecord('beats', makeRecording({}, 400), { beats: [{ sample: 100, code: 'N' }, { sample: 300, code: 'V' }] });
    const record = readWfdbRecord({ header: written.header, signalFiles: { 'beats.dat': written.dat }, annotations: written.atr });
    expect(record.beats).toEqual([{ sample: 100, code: 'N' }, { sample: 300, code: 'V' }]);
  });
});
