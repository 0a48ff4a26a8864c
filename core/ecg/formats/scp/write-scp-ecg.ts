/**
 * Writes an EcgRecording as an SCP-ECG (EN 1064, protocol 2.0) record with sections 0 (pointers),
 * 1 (patient and acquisition data), 2 (Huffman: default table) when compressing, 3 (lead
 * definitions) and 6 (rhythm data). Written by hand: no SCP-ECG package exists on npm.
 *
 * Amplitude multiplier = resolutionUv × 1000 nV and must be a whole number of nanovolts (≤ 65535);
 * sample interval = 10⁶ / sampleRateHz µs, rounded (the reader snaps 1/interval back to whole Hz).
 * Limits of the format kept visible: the device model field holds 5 characters (tag 14), so longer
 * model names are cut; non-ASCII text is written as UTF-8 (language code 0x37, see scp-section1.ts).
 */
import { z } from 'zod';
import type { EcgRecording, StandardLead } from '../../recording.ts';
import { EcgFormatError } from '../format-error.ts';
import { checkOptions, checkRecording, parseIsoDateTime, utcNow, validDate } from '../recording-checks.ts';
import { ByteWriter } from './byte-io.ts';
import { crcCcitt } from './crc-ccitt.ts';
import { toDifferences } from './differences.ts';
import { encodeDefaultHuffman } from './huffman.ts';
import { encodeSection1 } from './scp-section1.ts';
import { scpLeadIds } from './scp-leads.ts';
import {
  defaultHuffmanMarker,
  encodingCodes,
  mandatoryPointerCount,
  recordHeaderBytes,
  scpProtocolVersion,
  sectionHeaderBytes,
  type ScpEncoding,
} from './scp-record.ts';

export interface ScpEcgMeta {
  /** Difference encoding of section 6. Default: the most compact that fits (second, first, raw). */
  encoding?: ScpEncoding;
  /** Huffman-code section 6 with the default table (adds section 2). Default true. */
  huffman?: boolean;
  /** Acquisition time to record when the recording has no startTime (tags 25/26 are mandatory). Default now. */
  now?: Date;
}

const scpEcgMetaSchema = z.object({
  encoding: z.enum(['raw', 'first-difference', 'second-difference']).optional(),
  huffman: z.boolean().optional(),
  now: validDate.optional(),
}) satisfies z.ZodType<ScpEcgMeta>;

const utf8 = new TextEncoder();

/** One section: header (CRC filled last) + data, padded to an even length as EN 1064 requires. */
function section(id: number, data: Uint8Array, reserved: Uint8Array = new Uint8Array(6)): Uint8Array {
  const length = sectionHeaderBytes + data.length + (data.length % 2);
  const w = new ByteWriter();
  w.u16(0).u16(id).u32(length).u8(scpProtocolVersion).u8(scpProtocolVersion).bytes(reserved).bytes(data);
  if (data.length % 2) w.u8(0);
  const bytes = w.toBytes();
  const crc = crcCcitt(bytes, 2);
  bytes[0] = crc & 0xff;
  bytes[1] = crc >>> 8;
  return bytes;
}

function encodeLead(samples: Int32Array, order: 0 | 1 | 2, huffman: boolean): Uint8Array | undefined {
  const values = toDifferences(samples, order);
  for (const v of values) if (v < -32768 || v > 32767) return undefined;
  if (huffman) return encodeDefaultHuffman(values);
  const w = new ByteWriter();
  for (const v of values) w.i16(v);
  return w.toBytes();
}

function encodeRhythm(recording: EcgRecording, meta: ScpEcgMeta): { order: 0 | 1 | 2; leads: Uint8Array[] } {
  const huffman = meta.huffman ?? true;
  const orders: Array<0 | 1 | 2> = meta.encoding ? [encodingCodes[meta.encoding] as 0 | 1 | 2] : [2, 1, 0];
  for (const order of orders) {
    const leads: Uint8Array[] = [];
    for (const { samples } of recording.leads) {
      const bytes = encodeLead(samples, order, huffman);
      if (!bytes || bytes.length > 0xffff) break;
      leads.push(bytes);
    }
    if (leads.length === recording.leads.length) return { order, leads };
  }
  throw new EcgFormatError(
    'SAMPLE_OUT_OF_RANGE',
    meta.encoding
      ? `${meta.encoding} values exceed 16 bits or a lead exceeds 65535 bytes; try encoding "raw" or a coarser resolution`
      : 'samples exceed 16 bits or a lead exceeds 65535 bytes',
  );
}

export function writeScpEcg(recording: EcgRecording, options: ScpEcgMeta = {}): Uint8Array {
  checkRecording(recording);
  const meta = checkOptions(scpEcgMetaSchema, options, 'meta');
  const leadIds = recording.leads.map(({ lead }) => {
    const id = scpLeadIds[lead as StandardLead];
    if (id === undefined) throw new EcgFormatError('UNSUPPORTED_LEAD', `"${lead}" has no SCP-ECG lead ID in this writer`);
    return id;
  });
  if (leadIds.length > 255) throw new EcgFormatError('INVALID_RECORDING', 'more than 255 leads');
  const multiplierNv = recording.resolutionUv * 1000;
  if (Math.abs(multiplierNv - Math.round(multiplierNv)) > 1e-6 || Math.round(multiplierNv) < 1 || multiplierNv > 0xffff) {
    throw new EcgFormatError('RESOLUTION_NOT_REPRESENTABLE', `${recording.resolutionUv} µV is not a whole number of nV up to 65535`);
  }
  const intervalUs = Math.round(1e6 / recording.sampleRateHz);
  if (intervalUs < 1 || intervalUs > 0xffff) {
    throw new EcgFormatError('SAMPLE_RATE_NOT_SUPPORTED', `${recording.sampleRateHz} Hz gives a sample interval outside 1–65535 µs`);
  }
  const start = recording.startTime ? parseIsoDateTime(recording.startTime) : utcNow(meta.now);
  if (!start) throw new EcgFormatError('INVALID_RECORDING', 'startTime is not ISO 8601');
  const n = recording.leads[0]?.samples.length ?? 0;
  const rhythm = encodeRhythm(recording, meta);
  const huffman = meta.huffman ?? true;

  // Section 3: lead count, flags (bit 2: all simultaneous; bits 3–7: how many), then start/end/id per lead.
  const s3 = new ByteWriter().u8(leadIds.length).u8(((Math.min(leadIds.length, 31) << 3) | 0b100) & 0xff);
  for (const id of leadIds) s3.u32(1).u32(n).u8(id);

  const s6 = new ByteWriter().u16(Math.round(multiplierNv)).u16(intervalUs).u8(rhythm.order).u8(0);
  for (const lead of rhythm.leads) s6.u16(lead.length);
  for (const lead of rhythm.leads) s6.bytes(lead);

  const sectionData = new Map<number, Uint8Array>([[1, encodeSection1(recording, start)]]);
  if (huffman) sectionData.set(2, new ByteWriter().u16(defaultHuffmanMarker).toBytes());
  sectionData.set(3, s3.toBytes());
  sectionData.set(6, s6.toBytes());
  return assembleScpRecord(sectionData);
}

/**
 * Frames section data (id → bytes after the 16-byte header) into a record: section headers and
 * CRCs, section 0 with pointers to sections 0–11 (absent ones: length 0, index 0; indexes are
 * 1-based record offsets), record length and CRC. Exported for tests that build unusual records.
 */
export function assembleScpRecord(sectionData: Map<number, Uint8Array>): Uint8Array {
  const ids = [...new Set([...Array.from({ length: mandatoryPointerCount }, (_, i) => i), ...sectionData.keys()])]
    .filter((id) => id !== 0)
    .sort((a, b) => a - b);
  const sections = new Map([...sectionData].map(([id, data]) => [id, section(id, data)]));
  const section0Length = sectionHeaderBytes + (ids.length + 1) * 10;
  let offset = recordHeaderBytes + section0Length;
  const pointers = new ByteWriter().u16(0).u32(section0Length).u32(recordHeaderBytes + 1);
  for (const id of ids) {
    const bytes = sections.get(id);
    pointers.u16(id).u32(bytes ? bytes.length : 0).u32(bytes ? offset + 1 : 0);
    if (bytes) offset += bytes.length;
  }
  const record = new ByteWriter().u16(0).u32(0).bytes(section(0, pointers.toBytes(), utf8.encode('SCPECG')));
  for (const id of ids) {
    const bytes = sections.get(id);
    if (bytes) record.bytes(bytes);
  }
  const out = record.toBytes();
  new DataView(out.buffer).setUint32(2, out.length, true);
  const crc = crcCcitt(out, 2);
  out[0] = crc & 0xff;
  out[1] = crc >>> 8;
  return out;
}
