/**
 * A minimal SCP-ECG (EN 1064) rhythm record as a cart's firmware writes it: sections 0 (pointers),
 * 1 (patient/device tags), 3 (lead definitions) and 6 (uncompressed rhythm data, encoding 0). The
 * device side of the serial file transfer sends it; the workstation reads it with core/ecg/formats.
 * Written here rather than borrowed from core/ecg/formats so that the simulator is an independent
 * producer (a reader tested only against its own writer proves little).
 *
 * Layout facts (docs/protocols.md §4): little-endian; record = CRC u16 + length u32 + sections; CRC-CCITT
 * (0x1021, init 0xFFFF) over byte 2 to the end; section header 16 bytes (CRC, id, length incl. header,
 * version, protocol version, 6 reserved; section 0 carries "SCPECG"); lead ids 1 I, 2 II, 3–8 V1–V6,
 * 61 III, 62 aVR, 63 aVL, 64 aVF.
 */
import type { EcgRecording } from '../../core/ecg/recording.ts';
import { crc16 } from './codec.ts';

const scpLeadIds: Record<string, number> = { I: 1, II: 2, V1: 3, V2: 4, V3: 5, V4: 6, V5: 7, V6: 8, III: 61, aVR: 62, aVL: 63, aVF: 64 };
const SCP_VERSION = 20; // SCP-ECG 2.0

class LittleEndianWriter {
  readonly bytes: number[] = [];
  u8(v: number) { this.bytes.push(v & 0xff); return this; }
  u16(v: number) { return this.u8(v).u8(v >> 8); }
  u32(v: number) { return this.u16(v & 0xffff).u16(v >>> 16); }
  i16(v: number) { return this.u16(v & 0xffff); }
  raw(b: ArrayLike<number>) { for (let i = 0; i < b.length; i++) this.u8(b[i]!); return this; }
  text(s: string) { return this.raw(new TextEncoder().encode(s)).u8(0); }
}

function section(id: number, body: number[]): Uint8Array {
  const padded = body.length % 2 ? [...body, 0] : body; // sections have even lengths
  const out = new Uint8Array(16 + padded.length);
  const view = new DataView(out.buffer);
  view.setUint16(2, id, true);
  view.setUint32(4, out.length, true);
  out[8] = SCP_VERSION;
  out[9] = SCP_VERSION;
  if (id === 0) out.set(new TextEncoder().encode('SCPECG'), 10);
  out.set(padded, 16);
  view.setUint16(0, crc16(out, 2), true);
  return out;
}

export interface ScpRecordOptions {
  patientId: string;
  acquiredAt: Date;
  deviceSerial: string;
}

/** @throws RangeError when a sample does not fit SCP's 16-bit raw encoding or a lead has no SCP id. */
export function writeScpRecord(recording: EcgRecording, options: ScpRecordOptions): Uint8Array {
  const n = recording.leads[0]?.samples.length ?? 0;
  const s1 = new LittleEndianWriter();
  const tag = (id: number, value: LittleEndianWriter) => s1.u8(id).u16(value.bytes.length).raw(value.bytes);
  tag(2, new LittleEndianWriter().text(options.patientId));
  // Tag 14, machine ID: institution, department, device id, type 0 (cart), manufacturer 255 (other),
  // model, protocol revision, compatibility 0xA0, language 0 (ASCII), capabilities, mains 1 (50 Hz),
  // 16 reserved, then analysing-program revision, serial, software, SCP software, manufacturer.
  const machine = new LittleEndianWriter().u16(1).u16(1).u16(1).u8(0).u8(255).raw(new TextEncoder().encode('CWECG8')).u8(SCP_VERSION).u8(0xa0).u8(0).u8(0x10).u8(1);
  machine.raw(new Uint8Array(16)).u8(1).u8(0).text(options.deviceSerial).text('cw-ecg8 1.0').text('cw-ecg8 scp 1.0').text('Clinic Workstation');
  tag(14, machine);
  const at = options.acquiredAt;
  tag(25, new LittleEndianWriter().u16(at.getUTCFullYear()).u8(at.getUTCMonth() + 1).u8(at.getUTCDate()));
  tag(26, new LittleEndianWriter().u8(at.getUTCHours()).u8(at.getUTCMinutes()).u8(at.getUTCSeconds()));
  s1.u8(255).u16(0);

  const s3 = new LittleEndianWriter().u8(recording.leads.length).u8(0x04 | (recording.leads.length << 3));
  for (const lead of recording.leads) {
    const id = scpLeadIds[lead.lead];
    if (id === undefined) throw new RangeError(`SCP-ECG has no lead id for ${lead.lead}`);
    s3.u32(1).u32(n).u8(id);
  }

  const s6 = new LittleEndianWriter()
    .u16(Math.round(recording.resolutionUv * 1000)) // amplitude value multiplier, nV per unit
    .u16(Math.round(1e6 / recording.sampleRateHz)) // sample interval, µs
    .u8(0) // encoding 0: real sample values
    .u8(0); // no bimodal compression
  for (let l = 0; l < recording.leads.length; l++) s6.u16(2 * n);
  for (const lead of recording.leads) {
    for (const v of lead.samples) {
      if (v < -32768 || v > 32767) throw new RangeError(`sample ${v} in ${lead.lead} does not fit 16 bits`);
      s6.i16(v);
    }
  }

  const bodies = new Map<number, Uint8Array>([
    [1, section(1, s1.bytes)],
    [3, section(3, s3.bytes)],
    [6, section(6, s6.bytes)],
  ]);
  // Section 0 lists ids 0–11 (the mandatory pointer set); absent sections have length 0, index 0.
  const pointerBytes = 12 * 10;
  const section0Length = 16 + pointerBytes;
  let index = 7 + section0Length; // 1-based byte position of the first section after section 0
  const pointers = new LittleEndianWriter();
  pointers.u16(0).u32(section0Length).u32(7);
  for (let id = 1; id < 12; id++) {
    const body = bodies.get(id);
    pointers.u16(id).u32(body?.length ?? 0).u32(body ? index : 0);
    if (body) index += body.length;
  }
  const parts = [section(0, pointers.bytes), ...bodies.values()];
  const total = 6 + parts.reduce((sum, p) => sum + p.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(2, total, true);
  let offset = 6;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  view.setUint16(0, crc16(out, 2), true);
  return out;
}
