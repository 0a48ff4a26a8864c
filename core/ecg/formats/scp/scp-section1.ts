/**
 * SCP-ECG section 1: patient and acquisition data as tagged fields (tag u8, length u16, value),
 * ended by tag 255 with length 0 (EN 1064 5.4). Fields used here:
 *   0 last name, 1 first name, 2 patient ID, 5 date of birth, 8 sex, 14 acquiring device ID,
 *   25 date of acquisition, 26 time of acquisition, 27 high-pass (0.01 Hz), 28 low-pass (Hz),
 *   29 filter bit map, 34 time zone. Mandatory: 2, 14, 25, 26.
 */
import type { EcgRecording } from '../../recording.ts';
import { EcgFormatError } from '../format-error.ts';
import { formatIsoDateTime, parseIsoDateTime, zeroPad, type LocalDateTime } from '../recording-checks.ts';
import { ByteReader, ByteWriter } from './byte-io.ts';

/**
 * Tag 14 byte 16, language support code: 0x00 ASCII only; 0x37 is read as UTF-8 by common SCP
 * readers and is what we write when text is not ASCII (UTF-8 is SCP-ECG v3's text encoding). Others
 * we read: 0x01 Latin-1, 0x07 ISO 10646 (UCS-2 LE), 0x27 GB 2312.
 */
const languageUtf8 = 0x37;
const decoders: Record<number, string> = { 0x00: 'utf-8', 0x01: 'iso-8859-1', 0x07: 'utf-16le', 0x27: 'gbk', 0x37: 'utf-8' };

const utf8 = new TextEncoder();

type Decode = (bytes: Uint8Array) => string;

function textDecoder(language: number): Decode {
  let decoder;
  try {
    decoder = new TextDecoder(decoders[language] ?? 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8'); // a runtime without that legacy encoding
  }
  return (bytes) => decoder.decode(bytes);
}

export interface Section1Data {
  patient: EcgRecording['patient'];
  device: EcgRecording['device'];
  filters: EcgRecording['filters'];
  startTime: string | undefined;
}

/** Null-terminated string value. */
const cString = (s: string) => {
  const b = utf8.encode(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
};

function tag(w: ByteWriter, id: number, value: Uint8Array): void {
  if (value.length > 0xffff) throw new EcgFormatError('INVALID_RECORDING', `section 1 tag ${id} is longer than 65535 bytes`);
  w.u8(id).u16(value.length).bytes(value);
}

const bytesOf = (build: (w: ByteWriter) => void) => {
  const w = new ByteWriter();
  build(w);
  return w.toBytes();
};

export function encodeSection1(recording: EcgRecording, acquired: LocalDateTime): Uint8Array {
  const p = recording.patient ?? {};
  const d = recording.device ?? {};
  const f = recording.filters ?? {};
  const texts = [p.name, p.id, d.model, d.serialNumber, d.manufacturer];
  // eslint-disable-next-line no-control-regex -- ASCII range check
  const ascii = texts.every((t) => t === undefined || /^[\x00-\x7f]*$/.test(t));
  const w = new ByteWriter();
  // The whole name goes in "last name": Chinese names do not split reliably into family and given.
  if (p.name) tag(w, 0, cString(p.name));
  tag(w, 2, cString(p.id ?? ''));
  if (p.birthDate) {
    const [y, m, day] = p.birthDate.split('-').map(Number);
    tag(w, 5, bytesOf((b) => b.u16(y ?? 0).u8(m ?? 0).u8(day ?? 0)));
  }
  if (p.sex) tag(w, 8, Uint8Array.of({ M: 1, F: 2, O: 9, U: 0 }[p.sex]));
  tag(
    w,
    14,
    bytesOf((b) => {
      b.u16(0).u16(0).u16(0); // institution, department, device ID: not assigned
      b.u8(0); // device type 0: cart
      b.u8(255); // manufacturer code 255: other (name follows as text)
      const model = new Uint8Array(6); // model description: 5 ASCII characters + NUL
      model.set(utf8.encode((d.model ?? '').replace(/[^\x20-\x7e]/g, '')).subarray(0, 5));
      b.bytes(model);
      b.u8(20); // SCP-ECG protocol revision 2.0
      b.u8(0xa0); // compatibility level: category I (header and rhythm data)
      b.u8(ascii ? 0x00 : languageUtf8);
      b.u8(0); // capabilities: none declared
      b.u8(f.notchHz === 50 ? 1 : f.notchHz === 60 ? 2 : 0); // mains frequency
      b.bytes(new Uint8Array(16)); // reserved
      b.u8(1).u8(0); // analysing program revision: empty string
      b.bytes(cString(d.serialNumber ?? ''));
      b.bytes(cString('')); // acquisition device system software
      b.bytes(cString('clinic-workstation')); // SCP implementation software
      b.bytes(cString(d.manufacturer ?? ''));
    }),
  );
  tag(w, 25, bytesOf((b) => b.u16(acquired.year).u8(acquired.month).u8(acquired.day)));
  tag(w, 26, bytesOf((b) => b.u8(acquired.hour).u8(acquired.minute).u8(acquired.second)));
  if (f.highPassHz !== undefined) tag(w, 27, bytesOf((b) => b.u16(Math.min(0xffff, Math.round(f.highPassHz! * 100)))));
  if (f.lowPassHz !== undefined) tag(w, 28, bytesOf((b) => b.u16(Math.min(0xffff, Math.round(f.lowPassHz!)))));
  if (f.notchHz === 50 || f.notchHz === 60) tag(w, 29, Uint8Array.of(f.notchHz === 60 ? 0b01 : 0b10));
  if (acquired.offsetMinutes !== undefined) {
    tag(w, 34, bytesOf((b) => b.i16(acquired.offsetMinutes!).u16(0).u8(0)));
  }
  tag(w, 255, new Uint8Array(0));
  return w.toBytes();
}

function readCString(bytes: Uint8Array, decode: Decode): string {
  const end = bytes.indexOf(0);
  return decode(end < 0 ? bytes : bytes.subarray(0, end)).trim();
}

export function decodeSection1(data: Uint8Array): Section1Data {
  const r = new ByteReader(data, 'section 1');
  const fields = new Map<number, Uint8Array>();
  let at = 0;
  while (at < data.length) {
    const id = r.u8(at);
    if (id === 255) break;
    const length = r.u16(at + 1);
    fields.set(id, r.slice(at + 3, length));
    at += 3 + length;
  }
  for (const mandatory of [2, 14, 25, 26]) {
    if (!fields.has(mandatory)) throw new EcgFormatError('SCP_BAD_STRUCTURE', `section 1 lacks mandatory tag ${mandatory}`);
  }
  const device14 = fields.get(14) as Uint8Array;
  const decoder = textDecoder(device14.length > 16 ? (device14[16] as number) : 0);
  const text = (id: number) => {
    const v = fields.get(id);
    const s = v ? readCString(v, decoder) : '';
    return s === '' ? undefined : s;
  };

  const last = text(0);
  const first = text(1);
  const name = last && first ? `${last} ${first}` : (last ?? first);
  const id = text(2);
  const dob = fields.get(5);
  const dobYear = dob && dob.length >= 4 ? new ByteReader(dob, 'section 1 tag 5').u16(0) : 0;
  const [dobMonth, dobDay] = [dob?.[2] ?? 0, dob?.[3] ?? 0];
  // All zeros (or an impossible date) means "not known".
  const birthDate =
    dobYear > 0 && dobMonth >= 1 && dobMonth <= 12 && dobDay >= 1 && dobDay <= 31
      ? `${zeroPad(dobYear, 4)}-${zeroPad(dobMonth)}-${zeroPad(dobDay)}`
      : undefined;
  const sexCode = fields.get(8)?.[0];
  const sex = sexCode === 1 ? 'M' : sexCode === 2 ? 'F' : sexCode === 9 ? 'O' : sexCode === 0 ? 'U' : undefined;
  const patient: EcgRecording['patient'] =
    name || id || birthDate || sex
      ? { ...(id ? { id } : {}), ...(name ? { name } : {}), ...(sex ? { sex } : {}), ...(birthDate ? { birthDate } : {}) }
      : undefined;

  // Tag 14: model at 8–13; variable part from 35: length-prefixed revision, then 4 NUL-terminated strings.
  let device: EcgRecording['device'];
  if (device14.length >= 36) {
    const model = readCString(device14.subarray(8, 14), decoder) || undefined;
    const strings: string[] = [];
    let p = 36 + (device14[35] as number);
    while (strings.length < 4 && p < device14.length) {
      const end = device14.indexOf(0, p);
      const stop = end < 0 ? device14.length : end;
      strings.push(decoder(device14.subarray(p, stop)).trim());
      p = stop + 1;
    }
    const [serialNumber, , , manufacturer] = strings;
    if (model || serialNumber || manufacturer) {
      device = {
        ...(manufacturer ? { manufacturer } : {}),
        ...(model ? { model } : {}),
        ...(serialNumber ? { serialNumber } : {}),
      };
    }
  }

  const hp = fields.get(27);
  const lp = fields.get(28);
  const bitmap = fields.get(29)?.[0];
  const highPassHz = hp && hp.length >= 2 ? new ByteReader(hp, 'section 1 tag 27').u16(0) / 100 : undefined;
  const lowPassHz = lp && lp.length >= 2 ? new ByteReader(lp, 'section 1 tag 28').u16(0) : undefined;
  const notchHz = bitmap === undefined ? undefined : bitmap & 0b10 ? 50 : bitmap & 0b01 ? 60 : undefined;
  const filters =
    highPassHz === undefined && lowPassHz === undefined && notchHz === undefined
      ? undefined
      : {
          ...(highPassHz !== undefined ? { highPassHz } : {}),
          ...(lowPassHz !== undefined ? { lowPassHz } : {}),
          ...(notchHz !== undefined ? { notchHz } : {}),
        };

  const date = fields.get(25) as Uint8Array;
  const time = fields.get(26) as Uint8Array;
  const zone = fields.get(34);
  let startTime: string | undefined;
  if (date.length >= 4 && time.length >= 3) {
    const offset = zone && zone.length >= 2 ? new ByteReader(zone, 'section 1 tag 34').i16(0) : undefined;
    const t: LocalDateTime = {
      year: new ByteReader(date, 'section 1 tag 25').u16(0),
      month: date[2] as number,
      day: date[3] as number,
      hour: time[0] as number,
      minute: time[1] as number,
      second: time[2] as number,
      fraction: '',
      // 0x7FFF: time zone not used (EN 1064)
      offsetMinutes: offset === undefined || offset === 0x7fff || Math.abs(offset) > 14 * 60 ? undefined : offset,
    };
    const iso = formatIsoDateTime(t);
    startTime = parseIsoDateTime(iso) ? iso : undefined;
  }
  return { patient, device, filters, startTime };
}
