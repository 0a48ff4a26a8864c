/**
 * Reads an SCP-ECG (EN 1064) record into an EcgRecording: checks the record and every section CRC,
 * follows the section 0 pointers, reads section 1 (patient, device, time), section 2 (Huffman
 * tables: default or custom), section 3 (leads) and section 6 (rhythm data, raw / first / second
 * differences). Reference-beat subtraction (sections 4/5) and bimodal compression are not read.
 * Every length is checked before use, so truncated or corrupt files end in EcgFormatError.
 */
import type { EcgLeadSignal, EcgRecording } from '../../recording.ts';
import { EcgFormatError } from '../format-error.ts';
import { ByteReader } from './byte-io.ts';
import { crcCcitt } from './crc-ccitt.ts';
import { fromDifferences } from './differences.ts';
import { decodeHuffman, defaultHuffmanTable, reverseBits, type HuffmanTable } from './huffman.ts';
import { decodeSection1 } from './scp-section1.ts';
import { leadNameForScpId } from './scp-leads.ts';
import { defaultHuffmanMarker, recordHeaderBytes, sectionHeaderBytes, type ScpEncoding } from './scp-record.ts';

export type ScpEcgRecording = EcgRecording & {
  scp: { protocolVersion: number; encoding: ScpEncoding; huffman: 'none' | 'default' | 'custom' };
};

interface Section {
  id: number;
  version: number;
  /** The section's data after its 16-byte header. */
  data: Uint8Array;
}

function readSection(record: ByteReader, id: number, index: number, length: number): Section {
  const name = `section ${id}`;
  const start = index - 1;
  if (length < sectionHeaderBytes || start < recordHeaderBytes || start + length > record.length) {
    throw new EcgFormatError('SCP_BAD_STRUCTURE', `${name}: pointer (offset ${start}, ${length} bytes) lies outside the ${record.length}-byte record`);
  }
  const bytes = record.slice(start, length);
  const r = new ByteReader(bytes, name);
  const headerId = r.u16(2);
  const headerLength = r.u32(4);
  if (headerId !== id || headerLength !== length) {
    throw new EcgFormatError('SCP_BAD_STRUCTURE', `${name}: header says section ${headerId} of ${headerLength} bytes, section 0 says ${length}`);
  }
  const stored = r.u16(0);
  const computed = crcCcitt(bytes, 2);
  if (stored !== computed) {
    throw new EcgFormatError('SCP_BAD_CRC', `${name}: stored CRC 0x${hex(stored)}, computed 0x${hex(computed)}`);
  }
  return { id, version: r.u8(8), data: bytes.subarray(sectionHeaderBytes) };
}

const hex = (v: number) => v.toString(16).toUpperCase().padStart(4, '0');

function readHuffmanTables(section2: Section): { tables: HuffmanTable[]; kind: 'default' | 'custom' } {
  const r = new ByteReader(section2.data, 'section 2');
  const count = r.u16(0);
  if (count === defaultHuffmanMarker) return { tables: [defaultHuffmanTable], kind: 'default' };
  const tables: HuffmanTable[] = [];
  let at = 2;
  for (let t = 0; t < count; t++) {
    const codes = r.u16(at);
    at += 2;
    const table: HuffmanTable = [];
    for (let c = 0; c < codes; c++) {
      const prefixBits = r.u8(at);
      table.push({
        prefixBits,
        totalBits: r.u8(at + 1),
        modeSwitch: r.u8(at + 2),
        baseValue: r.i16(at + 3),
        code: reverseBits(r.u32(at + 5), prefixBits),
      });
      at += 9;
    }
    tables.push(table);
  }
  if (tables.length === 0) throw new EcgFormatError('SCP_BAD_STRUCTURE', 'section 2: no Huffman table');
  return { tables, kind: 'custom' };
}

interface LeadDefinition {
  id: number;
  start: number;
  end: number;
}

function readLeadDefinitions(section3: Section): LeadDefinition[] {
  const r = new ByteReader(section3.data, 'section 3');
  const count = r.u8(0);
  const flags = r.u8(1);
  if (flags & 0b1) throw new EcgFormatError('SCP_UNSUPPORTED', 'section 3: reference beat subtraction is used');
  if (count === 0) throw new EcgFormatError('SCP_BAD_STRUCTURE', 'section 3: no leads');
  return Array.from({ length: count }, (_, i) => ({ start: r.u32(2 + i * 9), end: r.u32(6 + i * 9), id: r.u8(10 + i * 9) }));
}

const encodings: Record<number, ScpEncoding> = { 0: 'raw', 1: 'first-difference', 2: 'second-difference' };

export function readScpEcg(bytes: Uint8Array): ScpEcgRecording {
  if (!(bytes instanceof Uint8Array)) throw new EcgFormatError('SCP_BAD_STRUCTURE', 'input is not bytes');
  if (bytes.length < recordHeaderBytes + sectionHeaderBytes) {
    throw new EcgFormatError('SCP_TRUNCATED', `${bytes.length} bytes is shorter than a record header and section 0`);
  }
  const record = new ByteReader(bytes, 'record');
  const recordLength = record.u32(2);
  if (recordLength > bytes.length) {
    throw new EcgFormatError('SCP_TRUNCATED', `record header says ${recordLength} bytes, the file has ${bytes.length}`);
  }
  if (recordLength < recordHeaderBytes + sectionHeaderBytes) {
    throw new EcgFormatError('SCP_BAD_STRUCTURE', `record length ${recordLength} is too small`);
  }
  const body = new ByteReader(bytes.subarray(0, recordLength), 'record');

  // Section 0 sits right after the record header; its own pointer to itself is not needed to find it.
  const section0 = readSection(body, 0, recordHeaderBytes + 1, body.u32(recordHeaderBytes + 4));
  if (new TextDecoder().decode(bytes.subarray(recordHeaderBytes + 10, recordHeaderBytes + 16)) !== 'SCPECG') {
    throw new EcgFormatError('SCP_BAD_STRUCTURE', 'section 0 lacks the "SCPECG" mark');
  }
  const pointers = new ByteReader(section0.data, 'section 0');
  const sections = new Map<number, Section>();
  for (let at = 0; at + 10 <= section0.data.length; at += 10) {
    const id = pointers.u16(at);
    const length = pointers.u32(at + 2);
    const index = pointers.u32(at + 6);
    if (id === 0 || length === 0 || index === 0) continue;
    // Sections we do not read are still CRC-checked: a damaged file is reported, not half-read.
    sections.set(id, readSection(body, id, index, length));
  }
  const storedCrc = record.u16(0);
  const recordCrc = crcCcitt(bytes, 2, recordLength);
  if (storedCrc !== recordCrc) {
    throw new EcgFormatError('SCP_BAD_CRC', `record: stored CRC 0x${hex(storedCrc)}, computed 0x${hex(recordCrc)}`);
  }

  const need = (id: number) => {
    const s = sections.get(id);
    if (!s) throw new EcgFormatError('SCP_MISSING_SECTION', `section ${id}`);
    return s;
  };
  const header = decodeSection1(need(1).data);
  const leadDefinitions = readLeadDefinitions(need(3));
  const section6 = need(6);
  const huffman = sections.has(2) ? readHuffmanTables(sections.get(2) as Section) : undefined;

  const s6 = new ByteReader(section6.data, 'section 6');
  const multiplierNv = s6.u16(0);
  const intervalUs = s6.u16(2);
  const encodingCode = s6.u8(4);
  const bimodal = s6.u8(5);
  const encoding = encodings[encodingCode];
  if (!encoding) throw new EcgFormatError('SCP_UNSUPPORTED', `section 6: difference encoding ${encodingCode}`);
  if (bimodal) throw new EcgFormatError('SCP_UNSUPPORTED', 'section 6: bimodal compression');
  if (multiplierNv === 0 || intervalUs === 0) {
    throw new EcgFormatError('SCP_BAD_STRUCTURE', 'section 6: amplitude multiplier or sample interval is zero');
  }

  const first = leadDefinitions[0] as LeadDefinition;
  const count = first.end - first.start + 1;
  if (first.start < 1 || count < 1 || leadDefinitions.some((l) => l.start !== first.start || l.end !== first.end)) {
    throw new EcgFormatError('SCP_UNSUPPORTED', 'section 3: leads do not all cover the same samples');
  }
  const order = encodingCode as 0 | 1 | 2;
  let at = 6 + leadDefinitions.length * 2;
  const leads: EcgLeadSignal[] = leadDefinitions.map((definition, i) => {
    const size = s6.u16(6 + i * 2);
    const data = s6.slice(at, size);
    at += size;
    const context = `section 6, lead ${leadNameForScpId(definition.id)}`;
    let values: Int32Array;
    if (huffman) {
      // Every code takes at least one bit: more samples than bits means a corrupt count, not a huge allocation.
      if (count > size * 8) throw new EcgFormatError('SCP_HUFFMAN_CORRUPT', `${context}: ${count} samples in ${size} bytes`);
      values = decodeHuffman(data, count, huffman.tables, context);
    } else {
      if (size < count * 2) throw new EcgFormatError('SCP_TRUNCATED', `${context}: ${size} bytes for ${count} samples`);
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength); // bounds checked above
      values = new Int32Array(count);
      for (let k = 0; k < count; k++) values[k] = view.getInt16(k * 2, true);
    }
    return { lead: leadNameForScpId(definition.id), samples: fromDifferences(values, order) };
  });

  const rate = 1e6 / intervalUs;
  // Intervals are whole µs: 360 Hz is stored as 2778 µs. Snap back to whole Hz when that is what it was.
  const sampleRateHz = Math.abs(rate - Math.round(rate)) < 0.05 ? Math.round(rate) : rate;
  return {
    sampleRateHz,
    resolutionUv: multiplierNv / 1000,
    leads,
    ...(header.startTime ? { startTime: header.startTime } : {}),
    ...(header.patient ? { patient: header.patient } : {}),
    ...(header.device ? { device: header.device } : {}),
    ...(header.filters ? { filters: header.filters } : {}),
    scp: { protocolVersion: section0.version, encoding, huffman: huffman?.kind ?? 'none' },
  };
}
