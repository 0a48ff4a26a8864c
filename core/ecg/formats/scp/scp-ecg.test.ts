import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { makeEcgRecording, makePatient, makeRandomRecording } from '../../../../tests/fixtures/ecg/make-recording.ts';
import type { EcgRecording } from '../../recording.ts';
import { EcgFormatError } from '../format-error.ts';
import { crcCcitt } from './crc-ccitt.ts';
import { decodeHuffman, defaultHuffmanTable, encodeDefaultHuffman } from './huffman.ts';
import { readScpEcg } from './read-scp-ecg.ts';
import type { ScpEncoding } from './scp-record.ts';
import { assembleScpRecord, writeScpEcg } from './write-scp-ecg.ts';

const catchError = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

const expectSameSamples = (a: EcgRecording, b: EcgRecording) => {
  expect(b.leads.map((l) => l.lead)).toEqual(a.leads.map((l) => l.lead));
  a.leads.forEach((lead, i) => expect(Array.from(b.leads[i]?.samples ?? [])).toEqual(Array.from(lead.samples)));
};

/** Section table of a record, from its section 0 pointers (id → [offset, length]). */
function sectionsOf(bytes: Uint8Array): Map<number, [number, number]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const s0Length = view.getUint32(6 + 4, true);
  const out = new Map<number, [number, number]>();
  for (let at = 6 + 16; at + 10 <= Math.min(6 + s0Length, bytes.length); at += 10) {
    const id = view.getUint16(at, true);
    const length = view.getUint32(at + 2, true);
    const index = view.getUint32(at + 6, true);
    if (length > 0) out.set(id, [index - 1, length]);
  }
  return out;
}

/** Recomputes every section CRC and the record CRC, so a mutation reaches the parser behind the CRC check. */
function fixCrcs(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  for (const [offset, length] of sectionsOf(out).values()) {
    if (offset >= 0 && offset + length <= out.length && length >= 2) view.setUint16(offset, crcCcitt(out, offset + 2, offset + length), true);
  }
  const recordLength = Math.min(view.getUint32(2, true), out.length);
  view.setUint16(0, crcCcitt(out, 2, recordLength), true);
  return out;
}

/**
 * The default Huffman table written out as in the standard's annex, bit strings and values, to encode
 * test data independently of the module's own encoder.
 */
const annexCodes: Array<[string, number]> = [
  ['0', 0], ['100', 1], ['101', -1], ['1100', 2], ['1101', -2], ['11100', 3], ['11101', -3], ['111100', 4], ['111101', -4],
  ['1111100', 5], ['1111101', -5], ['11111100', 6], ['11111101', -6], ['111111100', 7], ['111111101', -7],
  ['1111111100', 8], ['1111111101', -8],
];
function annexEncode(values: number[]): Uint8Array {
  let bits = '';
  for (const v of values) {
    const code = annexCodes.find(([, value]) => value === v)?.[0];
    if (code !== undefined) bits += code;
    else if (v >= -128 && v <= 127) bits += '1111111110' + (v & 0xff).toString(2).padStart(8, '0');
    else bits += '1111111111' + (v & 0xffff).toString(2).padStart(16, '0');
  }
  bits = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
  return Uint8Array.from({ length: bits.length / 8 }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8), 2));
}

describe('SCP-ECG CRC', () => {
  it('computes CRC-CCITT with init 0xFFFF: "123456789" gives 0x29B1', () => {
    expect(crcCcitt(new TextEncoder().encode('123456789'))).toBe(0x29b1);
  });
});

describe('SCP-ECG default Huffman table', () => {
  const values = [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8, -8, 9, -9, 127, -128, 128, -129, 32767, -32768, 0, 0, 5];

  it('decodes a stream coded by hand from the annex table', () => {
    const stream = annexEncode(values);
    expect(Array.from(decodeHuffman(stream, values.length, [defaultHuffmanTable], 'test'))).toEqual(values);
  });

  it("encodes the same bits as the annex table (the writer's output is readable by other readers)", () => {
    expect(Array.from(encodeDefaultHuffman(Int32Array.from(values)))).toEqual(Array.from(annexEncode(values)));
  });

  it('reports a stream that ends early as corrupt Huffman data', () => {
    const stream = annexEncode([300, 300]).subarray(0, 3);
    const error = catchError(() => decodeHuffman(stream, 2, [defaultHuffmanTable], 'section 6, lead I'));
    expect((error as EcgFormatError).code).toBe('SCP_HUFFMAN_CORRUPT');
  });
});

describe('SCP-ECG records', () => {
  const encodings: ScpEncoding[] = ['raw', 'first-difference', 'second-difference'];

  it.each(encodings.flatMap((encoding) => [true, false].map((huffman) => [encoding, huffman] as const)))(
    'keeps every sample with %s encoding (Huffman: %s)',
    (encoding, huffman) => {
      const recording = makeEcgRecording({ sampleRateHz: 500, seconds: 10, resolutionUv: 4.88 });
      const back = readScpEcg(writeScpEcg(recording, { encoding, huffman }));
      expectSameSamples(recording, back);
      expect(back.sampleRateHz).toBe(500);
      expect(back.resolutionUv).toBe(4.88);
      expect(back.scp).toMatchObject({ encoding, huffman: huffman ? 'default' : 'none' });
    },
  );

  it('reads a record handed over as a view into a larger buffer', () => {
    const recording = makeEcgRecording({ seconds: 1 });
    const bytes = writeScpEcg(recording);
    const larger = new Uint8Array(bytes.length + 100).fill(0xee);
    larger.set(bytes, 51);
    expectSameSamples(recording, readScpEcg(larger.subarray(51, 51 + bytes.length)));
  });

  it('keeps arbitrary samples over the full 16-bit range in raw encoding', () => {
    const recording = makeRandomRecording({ samples: 3000 });
    expectSameSamples(recording, readScpEcg(writeScpEcg(recording, { encoding: 'raw', huffman: true })));
    expectSameSamples(recording, readScpEcg(writeScpEcg(recording, { encoding: 'raw', huffman: false })));
  });

  it('falls back to a wider encoding by itself when second differences would overflow 16 bits', () => {
    const recording = makeRandomRecording({ samples: 500 });
    const back = readScpEcg(writeScpEcg(recording));
    expect(back.scp.encoding).toBe('raw');
    expectSameSamples(recording, back);
    expect((catchError(() => writeScpEcg(recording, { encoding: 'second-difference' })) as EcgFormatError).code).toBe('SAMPLE_OUT_OF_RANGE');
  });

  it('keeps the patient, device, filters and acquisition time, with a Chinese name', () => {
    const recording = makeEcgRecording({ seconds: 2, patient: makePatient({ name: '欧阳娜娜', sex: 'F', birthDate: '1990-02-28' }) });
    const back = readScpEcg(writeScpEcg(recording));
    expect(back.patient).toEqual(recording.patient);
    expect(back.device).toEqual(recording.device);
    expect(back.filters).toEqual(recording.filters);
    expect(back.startTime).toBe('2026-11-23T09:30:15+08:00');
  });

  it('reads Huffman data coded with a custom table carried in section 2', () => {
    // A two-table section 2: table 1 codes 0 as "0", ±1 as "10x", anything else as "11" + 16 bits;
    // base codes are stored bit-reversed (first bit in the least significant position).
    const struct = (prefixBits: number, totalBits: number, baseValue: number, code: string) => {
      const reversed = parseInt(code.split('').reverse().join(''), 2);
      const b = new Uint8Array(9);
      const v = new DataView(b.buffer);
      v.setUint8(0, prefixBits);
      v.setUint8(1, totalBits);
      v.setUint8(2, 1);
      v.setInt16(3, baseValue, true);
      v.setUint32(5, reversed, true);
      return b;
    };
    const table = [struct(1, 1, 0, '0'), struct(3, 3, 1, '100'), struct(3, 3, -1, '101'), struct(2, 18, 0, '11')];
    const section2 = new Uint8Array(2 + 2 + table.length * 9);
    new DataView(section2.buffer).setUint16(0, 1, true);
    new DataView(section2.buffer).setUint16(2, table.length, true);
    table.forEach((t, i) => section2.set(t, 4 + i * 9));

    const samples = [0, 1, -1, 500, -32768, 0, 7];
    let bits = '';
    for (const x of samples) bits += x === 0 ? '0' : x === 1 ? '100' : x === -1 ? '101' : '11' + (x & 0xffff).toString(2).padStart(16, '0');
    bits = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
    const data = Uint8Array.from({ length: bits.length / 8 }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8), 2));

    // Take sections 1 and 3 from a real one-lead record, and build section 6 (raw values, Huffman coded).
    const template = writeScpEcg(makeEcgRecording({ seconds: 1, leads: ['II'] }));
    const sectionData = (id: number) => {
      const [offset, length] = sectionsOf(template).get(id)!;
      return template.subarray(offset + 16, offset + length);
    };
    const s3 = sectionData(3).slice();
    new DataView(s3.buffer).setUint32(6, samples.length, true); // end sample of lead II
    const s6 = new Uint8Array(8 + data.length);
    const v6 = new DataView(s6.buffer);
    v6.setUint16(0, 5000, true); // 5 µV
    v6.setUint16(2, 2000, true); // 500 Hz
    v6.setUint16(6, data.length, true);
    s6.set(data, 8);
    const record = assembleScpRecord(new Map([[1, sectionData(1)], [2, section2], [3, s3], [6, s6]]));
    const back = readScpEcg(record);
    expect(back.scp.huffman).toBe('custom');
    expect(back.leads[0]?.lead).toBe('II');
    expect(Array.from(back.leads[0]?.samples ?? [])).toEqual(samples);
    expect(back.resolutionUv).toBe(5);
  });

  it('reads a GB 2312 patient name from a cart that declares language code 0x27', () => {
    const template = writeScpEcg(makeEcgRecording({ seconds: 1 }));
    const sectionData = (id: number) => {
      const [offset, length] = sectionsOf(template).get(id)!;
      return template.subarray(offset + 16, offset + length);
    };
    const field = (tag: number, value: Uint8Array) => {
      const b = new Uint8Array(3 + value.length);
      new DataView(b.buffer).setUint16(1, value.length, true);
      b[0] = tag;
      b.set(value, 3);
      return b;
    };
    const device = new Uint8Array(36 + 1 + 4);
    device[16] = 0x27; // language support code: GB 2312
    device[35] = 1;
    const name = new Uint8Array([...iconv.encode('李四', 'gb2312'), 0]);
    const s1 = new Uint8Array([
      ...field(0, name),
      ...field(2, new TextEncoder().encode('A1\0')),
      ...field(14, device),
      ...field(25, Uint8Array.of(0xea, 0x07, 11, 23)), // 2026-11-23
      ...field(26, Uint8Array.of(8, 5, 0)),
      ...field(255, new Uint8Array(0)),
    ]);
    const back = readScpEcg(assembleScpRecord(new Map([[1, s1], [2, sectionData(2)], [3, sectionData(3)], [6, sectionData(6)]])));
    expect(back.patient).toEqual({ id: 'A1', name: '李四' });
    expect(back.startTime).toBe('2026-11-23T08:05:00');
  });

  it('reads 250, 360 and 1000 Hz back as the same rate', () => {
    for (const sampleRateHz of [250, 360, 1000]) {
      expect(readScpEcg(writeScpEcg(makeEcgRecording({ sampleRateHz, seconds: 2 }))).sampleRateHz).toBe(sampleRateHz);
    }
  });

  it('writes the mandatory pointers to sections 0–11 and only the sections it has', () => {
    const bytes = writeScpEcg(makeEcgRecording({ seconds: 1 }));
    expect([...sectionsOf(bytes).keys()]).toEqual([0, 1, 2, 3, 6]);
    expect(new DataView(bytes.buffer).getUint32(2, true)).toBe(bytes.length);
    expect(new TextDecoder().decode(bytes.subarray(16, 22))).toBe('SCPECG');
  });

  it('names the damaged section when a CRC does not match', () => {
    const bytes = writeScpEcg(makeEcgRecording({ seconds: 1 }));
    for (const id of [1, 3, 6]) {
      const [offset, length] = sectionsOf(bytes).get(id)!;
      const damaged = bytes.slice();
      damaged[offset + length - 3]! ^= 0x40;
      const error = catchError(() => readScpEcg(damaged)) as EcgFormatError;
      expect(error.code).toBe('SCP_BAD_CRC');
      expect(error.message).toContain(`section ${id}:`);
      expect(error.messageZh).toContain('CRC');
    }
    const badRecordCrc = bytes.slice();
    badRecordCrc[0]! ^= 1;
    expect((catchError(() => readScpEcg(badRecordCrc)) as EcgFormatError).message).toContain('record:');
  });

  it('reports every truncation as EcgFormatError', () => {
    const bytes = writeScpEcg(makeEcgRecording({ seconds: 1 }));
    for (let cut = 0; cut < bytes.length; cut += 7) {
      expect(catchError(() => readScpEcg(bytes.subarray(0, cut)))).toBeInstanceOf(EcgFormatError);
    }
  });

  it('refuses an unknown encoding option with EcgFormatError', () => {
    const error = catchError(() => writeScpEcg(makeEcgRecording({ seconds: 1 }), { encoding: 'zip' as never }));
    expect((error as EcgFormatError).code).toBe('INVALID_RECORDING');
  });

  it('refuses resolutions that are not whole nanovolts and leads without an SCP ID', () => {
    expect((catchError(() => writeScpEcg(makeEcgRecording({ seconds: 1, resolutionUv: 0.0005 }))) as EcgFormatError).code).toBe(
      'RESOLUTION_NOT_REPRESENTABLE',
    );
    const odd = makeEcgRecording({ seconds: 1 });
    odd.leads[0]!.lead = 'MLII';
    expect((catchError(() => writeScpEcg(odd)) as EcgFormatError).code).toBe('UNSUPPORTED_LEAD');
  });

  it('never throws anything but EcgFormatError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const error = catchError(() => readScpEcg(bytes));
        return error instanceof EcgFormatError;
      }),
      { numRuns: 500 },
    );
  });

  it('never throws anything but EcgFormatError on corrupted records with valid CRCs', () => {
    const valid = writeScpEcg(makeEcgRecording({ seconds: 1, sampleRateHz: 250 }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (edits, huffman) => {
          const source = huffman ? valid : writeScpEcg(makeEcgRecording({ seconds: 1, sampleRateHz: 250 }), { huffman: false });
          const corrupt = source.slice();
          for (const [at, value] of edits) if (at < corrupt.length) corrupt[at] = value;
          const withCrcs = fixCrcs(corrupt);
          const error = catchError(() => readScpEcg(withCrcs));
          if (error !== undefined && !(error instanceof EcgFormatError)) throw error;
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});
