/**
 * WFDB signal files (.dat), after signal(5) of the WFDB Programmer's Guide. Signals that name the
 * same file are interleaved frame by frame in header order. Supported storage formats:
 *   212  two 12-bit two's-complement samples in three bytes: byte 0 = low 8 bits of the first,
 *        byte 1 = high nibble of the second (bits 7–4) and of the first (bits 3–0), byte 2 = low
 *        8 bits of the second (the MIT-BIH Arrhythmia Database format);
 *   16   16-bit two's complement, little-endian;
 *   61   16-bit two's complement, big-endian;
 *   80   8-bit offset binary (sample + 128).
 * Each signal's `+byte_offset` skips a file prefix; `:skew` shifts that signal by whole frames.
 */
import type { WfdbHeader, WfdbSignalSpec } from './header.ts';
import { EcgFormatError } from '../format-error.ts';

/** The value each format uses for "no sample here" (WFDB's WFDB_INVALID_SAMPLE after conversion). */
export const invalidSampleValue: Readonly<Record<number, number>> = { 212: -2048, 16: -32768, 61: -32768, 80: -128 };

const bytesPerSample: Readonly<Record<number, number>> = { 212: 1.5, 16: 2, 61: 2, 80: 1 };

/** Decodes `count` consecutive samples of one format from `bytes` (already past the byte offset). */
function decodeStream(bytes: Uint8Array, format: number, count: number): Int32Array {
  const out = new Int32Array(count);
  switch (format) {
    case 212:
      for (let k = 0; k < count; k++) {
        const base = (k >> 1) * 3;
        const middle = bytes[base + 1] as number;
        const value = k & 1 ? ((middle & 0xf0) << 4) | (bytes[base + 2] as number) : ((middle & 0x0f) << 8) | (bytes[base] as number);
        out[k] = (value << 20) >> 20; // sign-extend 12 bits
      }
      return out;
    case 16:
      for (let k = 0; k < count; k++) out[k] = (((bytes[2 * k + 1] as number) << 24) >> 16) | (bytes[2 * k] as number);
      return out;
    case 61:
      for (let k = 0; k < count; k++) out[k] = (((bytes[2 * k] as number) << 24) >> 16) | (bytes[2 * k + 1] as number);
      return out;
    case 80:
      for (let k = 0; k < count; k++) out[k] = (bytes[k] as number) - 128;
      return out;
    default:
      throw new EcgFormatError('WFDB_UNSUPPORTED', `signal format ${format} (supported: 212, 16, 61, 80)`);
  }
}

/** Whole samples available in `byteLength` bytes of one format. */
const samplesIn = (byteLength: number, format: number): number =>
  format === 212 ? Math.floor((byteLength * 2) / 3) : Math.floor(byteLength / (bytesPerSample[format] ?? 1));

/**
 * Reads every signal of a record as raw ADC values, one Int32Array per header signal line.
 * `files` supplies the bytes of each signal file by the name the header gives it.
 * @throws EcgFormatError for a missing or short file, an unsupported format or a checksum mismatch.
 */
export function decodeWfdbSignals(header: WfdbHeader, files: (fileName: string) => Uint8Array | undefined): Int32Array[] {
  const result: Int32Array[] = new Array<Int32Array>(header.signals.length);
  const groups = new Map<string, number[]>();
  header.signals.forEach((s, i) => {
    const members = groups.get(s.fileName) ?? [];
    members.push(i);
    groups.set(s.fileName, members);
  });
  for (const [fileName, members] of groups) {
    const specs = members.map((i) => header.signals[i] as WfdbSignalSpec);
    const first = specs[0] as WfdbSignalSpec;
    if (fileName === '~') {
      // header(5): "~" is a null signal file; the signal exists but holds no samples.
      for (const i of members) result[i] = new Int32Array(header.sampleCount ?? 0).fill(invalidSampleValue[first.format] ?? 0);
      continue;
    }
    if (specs.some((s) => s.format !== first.format)) throw new EcgFormatError('WFDB_UNSUPPORTED', `mixed formats in ${fileName}`);
    if (specs.some((s) => s.samplesPerFrame !== 1)) throw new EcgFormatError('WFDB_UNSUPPORTED', 'multi-frequency records (samples per frame > 1)');
    if (bytesPerSample[first.format] === undefined) {
      throw new EcgFormatError('WFDB_UNSUPPORTED', `signal format ${first.format} (supported: 212, 16, 61, 80)`);
    }
    const bytes = files(fileName);
    if (!bytes) throw new EcgFormatError('WFDB_MISSING_FILE', fileName);
    const body = bytes.subarray(Math.min(bytes.length, first.byteOffset));
    const width = members.length;
    const available = Math.floor(samplesIn(body.length, first.format) / width);
    const frames = header.sampleCount ?? available;
    if (frames > available) {
      throw new EcgFormatError('WFDB_TRUNCATED', `${fileName} holds ${available} of ${frames} samples per signal`);
    }
    const stream = decodeStream(body, first.format, frames * width);
    const invalid = invalidSampleValue[first.format] ?? 0;
    specs.forEach((spec, column) => {
      const samples = new Int32Array(frames);
      for (let t = 0; t < frames; t++) {
        const source = t + spec.skew;
        samples[t] = source >= 0 && source < frames ? (stream[source * width + column] as number) : invalid;
      }
      if (spec.checksum !== undefined && header.sampleCount !== undefined) {
        // signal(5): the checksum is the 16-bit sum of all samples of the signal.
        let sum = 0;
        for (let t = 0; t < frames; t++) sum = (sum + (stream[t * width + column] as number)) & 0xffff;
        if (sum !== (spec.checksum & 0xffff)) {
          throw new EcgFormatError('WFDB_BAD_CHECKSUM', `signal ${members[column]} of ${fileName}`);
        }
      }
      result[members[column] as number] = samples;
    });
  }
  return result;
}

/** Encodes samples for a signal file (used by the writer). */
export function encodeStream(samples: Int32Array, format: 212 | 16): Uint8Array {
  if (format === 16) {
    const out = new Uint8Array(samples.length * 2);
    for (let k = 0; k < samples.length; k++) {
      const v = samples[k] as number;
      out[2 * k] = v & 0xff;
      out[2 * k + 1] = (v >> 8) & 0xff;
    }
    return out;
  }
  const out = new Uint8Array(Math.ceil((samples.length * 3) / 2));
  for (let k = 0; k < samples.length; k += 2) {
    const a = (samples[k] as number) & 0xfff;
    const b = k + 1 < samples.length ? (samples[k + 1] as number) & 0xfff : 0;
    const base = (k >> 1) * 3;
    out[base] = a & 0xff;
    out[base + 1] = ((b >> 4) & 0xf0) | (a >> 8);
    if (k + 1 < samples.length) out[base + 2] = b & 0xff;
  }
  return out;
}
