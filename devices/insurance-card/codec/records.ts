/**
 * The social security card's records (docs/protocols.md §2) ↔ typed fields. Each READ RECORD reply is one
 * TLV: tag (= record number), length, value. Numeric fields are right-padded with F nibbles, text with
 * 00 bytes. Every malformed value is DeviceError('invalid-card-data'), never another exception.
 *
 * The encoders are the inverse, for the simulator's card file system and for test-data builders.
 */
import { DeviceError } from '../../../core/contract/device-error.ts';
import { isNationCode, isSexCode } from '../../../core/identity/codes.ts';
import { checkCitizenIdNumber, parseCompactDate } from '../../../core/identity/id-number.ts';
import { insuranceCardSchema, type InsuranceCard } from '../../../core/insurance/insurance-card.ts';
import { FILE_EF05, FILE_EF06 } from './apdu.ts';

export type RecordEncoding = 'hex' | 'bcd-date' | 'ascii' | 'gbk' | 'bcd';

export interface RecordLayout {
  file: typeof FILE_EF05 | typeof FILE_EF06;
  record: number;
  field: keyof InsuranceCard;
  /** Value bytes on the card; shorter values are padded to this. */
  length: number;
  encoding: RecordEncoding;
}

/** The read order of docs/protocols.md §2: EF05 01 05 06 07, then EF06 08 09 0A 0B 0D. */
export const RECORD_LAYOUTS: readonly RecordLayout[] = [
  { file: FILE_EF05, record: 0x01, field: 'cardIdentificationCode', length: 16, encoding: 'hex' },
  { file: FILE_EF05, record: 0x05, field: 'issueDate', length: 4, encoding: 'bcd-date' },
  { file: FILE_EF05, record: 0x06, field: 'expiryDate', length: 4, encoding: 'bcd-date' },
  { file: FILE_EF05, record: 0x07, field: 'cardNumber', length: 9, encoding: 'ascii' },
  { file: FILE_EF06, record: 0x08, field: 'socialSecurityNumber', length: 18, encoding: 'ascii' },
  { file: FILE_EF06, record: 0x09, field: 'name', length: 30, encoding: 'gbk' },
  { file: FILE_EF06, record: 0x0a, field: 'sexCode', length: 1, encoding: 'ascii' },
  { file: FILE_EF06, record: 0x0b, field: 'nationCode', length: 1, encoding: 'bcd' },
  { file: FILE_EF06, record: 0x0d, field: 'birthDate', length: 4, encoding: 'bcd-date' },
];

const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
const where = (layout: RecordLayout) => `EF${hex2(layout.file & 0xff)}/${hex2(layout.record)} ${layout.field}`;
const invalid = (layout: RecordLayout, why: string) => new DeviceError('invalid-card-data', `${where(layout)}: ${why}`);

/** Splits a record reply `tag len value` and checks it is the record asked for. */
export function recordValue(layout: RecordLayout, reply: Uint8Array): Uint8Array {
  if (reply.length < 2) throw invalid(layout, `record has ${reply.length} bytes, no tag and length`);
  const tag = reply[0]!;
  const length = reply[1]!;
  if (tag !== layout.record) throw invalid(layout, `tag ${hex2(tag)} is not the record asked for`);
  if (length > layout.length) throw invalid(layout, `length ${length} exceeds ${layout.length}`);
  if (reply.length < 2 + length) throw invalid(layout, `length ${length} but only ${reply.length - 2} value bytes`);
  return reply.subarray(2, 2 + length);
}

/** BCD nibbles to digits; trailing F nibbles are padding. Any other nibble above 9 is invalid. */
export function decodeBcd(value: Uint8Array): string | undefined {
  let digits = '';
  for (const byte of value) digits += hex2(byte);
  digits = digits.replace(/F+$/, '');
  return /^\d*$/.test(digits) ? digits : undefined;
}

/** Strips right padding bytes: 00 for text, FF (an all-F numeric pad) too. */
function stripPadding(value: Uint8Array): Uint8Array {
  let end = value.length;
  while (end > 0 && (value[end - 1] === 0x00 || value[end - 1] === 0xff)) end--;
  return value.subarray(0, end);
}

const gbk = new TextDecoder('gbk', { fatal: true });

/** Decodes one field from its record reply (already checked for SW 9000). */
export function decodeField(layout: RecordLayout, reply: Uint8Array): string {
  const value = recordValue(layout, reply);
  switch (layout.encoding) {
    case 'hex': {
      if (value.length !== layout.length) throw invalid(layout, `${value.length} bytes, expected ${layout.length}`);
      return Array.from(value, hex2).join('');
    }
    case 'bcd-date': {
      const digits = decodeBcd(value);
      const date = digits === undefined ? undefined : parseCompactDate(digits);
      if (!date) throw invalid(layout, 'not a BCD date YYYYMMDD');
      return date;
    }
    case 'bcd': {
      const digits = decodeBcd(value);
      if (!digits) throw invalid(layout, 'not BCD digits');
      return digits;
    }
    case 'ascii': {
      const text = stripPadding(value);
      if (text.length === 0) throw invalid(layout, 'empty');
      if (!text.every((b) => b >= 0x21 && b <= 0x7e)) throw invalid(layout, 'not printable ASCII');
      return String.fromCharCode(...text);
    }
    case 'gbk': {
      let text: string;
      try {
        text = gbk.decode(stripPadding(value)).trim();
      } catch {
        throw invalid(layout, 'not GBK text');
      }
      if (text.length === 0) throw invalid(layout, 'empty');
      // A 00 inside the name (not padding) or any control character means a corrupt record.
      if (/[\p{Cc}\ufffd]/u.test(text)) throw invalid(layout, 'control characters in the name');
      return text;
    }
  }
}

/** Assembles and checks the whole card once every record has been read (field → decoded text). */
export function assembleInsuranceCard(fields: Partial<Record<keyof InsuranceCard, string>>): InsuranceCard {
  const get = (field: keyof InsuranceCard) => {
    const value = fields[field];
    if (value === undefined) throw new DeviceError('invalid-card-data', `${field} missing`);
    return value;
  };
  const id = checkCitizenIdNumber(get('socialSecurityNumber'));
  if (!id.ok) throw new DeviceError('invalid-card-data', `social security number: ${id.problem}`);
  const sexCode = get('sexCode');
  if (!isSexCode(sexCode)) throw new DeviceError('invalid-card-data', 'sex code is not GB/T 2261.1');
  const nationCode = get('nationCode');
  if (!isNationCode(nationCode)) throw new DeviceError('invalid-card-data', 'nation code is not GB 3304');
  const card: InsuranceCard = {
    cardIdentificationCode: get('cardIdentificationCode'),
    issueDate: get('issueDate'),
    expiryDate: get('expiryDate'),
    cardNumber: get('cardNumber'),
    socialSecurityNumber: id.idNumber,
    name: get('name'),
    sexCode,
    nationCode,
    birthDate: get('birthDate'),
  };
  // The same schema the renderer applies: what the driver emits always passes it.
  const checked = insuranceCardSchema.safeParse(card);
  if (!checked.success) {
    const fields = [...new Set(checked.error.issues.map((issue) => issue.path.join('.')))].join(', ');
    throw new DeviceError('invalid-card-data', `fields out of range: ${fields}`);
  }
  return card;
}

// ---- encoders (simulator and test builders) ----

/** Digits → BCD, right-padded with F to `length` bytes. */
export function encodeBcd(digits: string, length: number): Uint8Array {
  if (!/^\d*$/.test(digits) || digits.length > length * 2) throw new RangeError(`cannot BCD-encode ${digits.length} characters in ${length} bytes`);
  const nibbles = digits.padEnd(length * 2, 'F');
  return Uint8Array.from({ length }, (_, i) => parseInt(nibbles.slice(i * 2, i * 2 + 2), 16));
}

/** One TLV record: tag = record number, then length and value. */
export function encodeRecord(record: number, value: Uint8Array): Uint8Array {
  return Uint8Array.of(record, value.length, ...value);
}

/**
 * The value bytes of one field as a card stores them. `gbkName` is passed in already encoded because
 * pure code has no GBK encoder (the simulator uses iconv-lite).
 */
export function encodeFieldValue(layout: RecordLayout, card: InsuranceCard, gbkName: Uint8Array): Uint8Array {
  const padded = (bytes: Uint8Array) => {
    const out = new Uint8Array(layout.length);
    out.set(bytes.subarray(0, layout.length));
    return out;
  };
  const value = card[layout.field];
  switch (layout.encoding) {
    case 'hex':
      return Uint8Array.from(value.match(/../g) ?? [], (pair) => parseInt(pair, 16));
    case 'bcd-date':
      return encodeBcd(value.replaceAll('-', ''), layout.length);
    case 'bcd':
      return encodeBcd(value, layout.length);
    case 'ascii':
      return padded(new TextEncoder().encode(value));
    case 'gbk':
      return padded(gbkName);
  }
}
