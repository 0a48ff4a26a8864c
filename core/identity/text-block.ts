/**
 * The 256-byte text block of a GA 467 read reply: UCS-2 little-endian, each field padded with
 * spaces, at fixed byte offsets (docs/protocols.md §1). The character at byte 248 is the
 * card type: space = resident, "I" = foreign PR 2017, "Y" = foreign PR 2023, "J" = residence permit.
 */
import { DeviceError } from '../contract/device-error.ts';
import { isNationCode, isSexCode } from './codes.ts';
import type { NationCode, SexCode } from './codes.ts';
import { checkCitizenIdNumber, checkPermanentResidentNumber, parseCompactDate } from './id-number.ts';
import type {
  ForeignPermanentResident2017,
  ForeignPermanentResident2023,
  IdentityDocument,
  ResidencePermit,
  ResidentIdCard,
  Validity,
} from './identity-document.ts';

export const TEXT_BLOCK_BYTES = 256;

/** Byte ranges [start, end] inclusive, as the standard's tables print them. */
type Field = readonly [start: number, end: number];

const CARD_TYPE: Field = [248, 249];

export const residentLayout = {
  name: [0, 29], sex: [30, 31], nation: [32, 35], birth: [36, 51], address: [52, 121], idNumber: [122, 157],
  issuingAuthority: [158, 187], validFrom: [188, 203], validTo: [204, 219],
} as const satisfies Record<string, Field>;

export const residencePermitLayout = {
  name: [0, 29], sex: [30, 31], birth: [36, 51], address: [52, 121], idNumber: [122, 157],
  issuingAuthority: [158, 187], validFrom: [188, 203], validTo: [204, 219], passNumber: [220, 237], issueCount: [238, 241],
} as const satisfies Record<string, Field>;

export const foreign2017Layout = {
  englishName: [0, 119], sex: [120, 121], cardNumber: [122, 151], nationality: [152, 157], chineseName: [158, 187],
  validFrom: [188, 203], validTo: [204, 219], birth: [220, 235], cardVersion: [236, 239], authorityCode: [240, 247],
} as const satisfies Record<string, Field>;

export const foreign2023Layout = {
  chineseName: [0, 29], sex: [30, 31], renewalCount: [32, 35], birth: [36, 51], englishName1: [52, 121],
  cardNumber: [122, 157], validFrom: [188, 203], validTo: [204, 219], englishName2: [220, 241], countryCode: [242, 247],
  previousCardLink: [250, 255],
} as const satisfies Record<string, Field>;

const LONG_TERM = '长期';
const utf16 = new TextDecoder('utf-16le');

function readField(block: Uint8Array, [start, end]: Field): string {
  // Space padding per GA 467; some readers pad with NUL, so trim both.
  return utf16.decode(block.subarray(start, end + 1)).replace(/[\s\0]+$/u, '');
}

const invalid = (what: string) => new DeviceError('invalid-card-data', what);

function readSex(block: Uint8Array, field: Field): SexCode {
  const sex = readField(block, field);
  if (!isSexCode(sex)) throw invalid('sex code');
  return sex;
}

function readDate(block: Uint8Array, field: Field, what: string): string {
  const date = parseCompactDate(readField(block, field));
  if (!date) throw invalid(what);
  return date;
}

function readValidity(block: Uint8Array, from: Field, to: Field): Validity {
  const end = readField(block, to);
  return {
    from: readDate(block, from, 'valid-from date'),
    to: end === LONG_TERM ? null : readDate(block, to, 'valid-to date'),
  };
}

/** The English name overflows from part 1 into part 2; when part 2 is used, part 1 is full (a space at its end belongs to the name). */
function readEnglishName2023(block: Uint8Array): string {
  const part2 = readField(block, foreign2023Layout.englishName2);
  if (!part2) return readField(block, foreign2023Layout.englishName1);
  const [start, end] = foreign2023Layout.englishName1;
  return utf16.decode(block.subarray(start, end + 1)) + part2;
}

export type IdentityText =
  | Omit<ResidentIdCard, 'photoWlt' | 'fingerprint'>
  | Omit<ResidencePermit, 'photoWlt' | 'fingerprint'>
  | Omit<ForeignPermanentResident2017, 'photoWlt' | 'fingerprint'>
  | Omit<ForeignPermanentResident2023, 'photoWlt' | 'fingerprint'>;

/**
 * Decodes the text block. Throws DeviceError('invalid-card-data') with the failing field's name
 * (never its value: no patient data in errors) when the block is not a well-formed card.
 */
export function decodeIdentityText(block: Uint8Array): IdentityText {
  if (block.length !== TEXT_BLOCK_BYTES) throw invalid(`text block is ${block.length} bytes, not 256`);
  const typeMark = readField(block, CARD_TYPE);
  switch (typeMark) {
    case '': {
      const L = residentLayout;
      const nationCode = readField(block, L.nation);
      if (!isNationCode(nationCode)) throw invalid('nation code');
      const idNumber = readField(block, L.idNumber);
      const check = checkCitizenIdNumber(idNumber);
      if (!check.ok) throw invalid(`ID number: ${check.problem}`);
      return {
        cardType: 'resident',
        name: readField(block, L.name),
        sex: readSex(block, L.sex),
        nationCode: nationCode as NationCode,
        birthDate: readDate(block, L.birth, 'birth date'),
        address: readField(block, L.address),
        idNumber: check.idNumber,
        issuingAuthority: readField(block, L.issuingAuthority),
        validity: readValidity(block, L.validFrom, L.validTo),
      };
    }
    case 'J': {
      const L = residencePermitLayout;
      const idNumber = readField(block, L.idNumber);
      const check = checkCitizenIdNumber(idNumber);
      if (!check.ok) throw invalid(`ID number: ${check.problem}`);
      return {
        cardType: 'residence-permit',
        name: readField(block, L.name),
        sex: readSex(block, L.sex),
        birthDate: readDate(block, L.birth, 'birth date'),
        address: readField(block, L.address),
        idNumber: check.idNumber,
        issuingAuthority: readField(block, L.issuingAuthority),
        validity: readValidity(block, L.validFrom, L.validTo),
        passNumber: readField(block, L.passNumber),
        issueCount: readField(block, L.issueCount),
      };
    }
    case 'I': {
      const L = foreign2017Layout;
      const cardNumber = readField(block, L.cardNumber);
      if (!/^[A-Z]{3}\d{12}$/.test(cardNumber)) throw invalid('2017 permanent resident card number');
      return {
        cardType: 'foreign-permanent-2017',
        englishName: readField(block, L.englishName),
        sex: readSex(block, L.sex),
        cardNumber,
        nationality: readField(block, L.nationality),
        chineseName: readField(block, L.chineseName),
        validity: readValidity(block, L.validFrom, L.validTo),
        birthDate: readDate(block, L.birth, 'birth date'),
        cardVersion: readField(block, L.cardVersion),
        authorityCode: readField(block, L.authorityCode),
      };
    }
    case 'Y': {
      const L = foreign2023Layout;
      const check = checkPermanentResidentNumber(readField(block, L.cardNumber));
      if (!check.ok) throw invalid(`2023 permanent resident card number: ${check.problem}`);
      return {
        cardType: 'foreign-permanent-2023',
        chineseName: readField(block, L.chineseName),
        sex: readSex(block, L.sex),
        renewalCount: readField(block, L.renewalCount),
        birthDate: readDate(block, L.birth, 'birth date'),
        englishName: readEnglishName2023(block),
        cardNumber: check.cardNumber,
        validity: readValidity(block, L.validFrom, L.validTo),
        countryCode: readField(block, L.countryCode),
        previousCardLink: readField(block, L.previousCardLink),
      };
    }
    default:
      throw invalid('unknown card type mark');
  }
}

/** Joins decoded text with the photo (and fingerprint) bytes of the same reply. */
export function makeIdentityDocument(text: IdentityText, photoWlt: Uint8Array, fingerprint?: Uint8Array): IdentityDocument {
  return { ...text, photoWlt, ...(fingerprint ? { fingerprint } : {}) } as IdentityDocument;
}

// ---- Encoding: the card side, used by the simulator and by round-trip tests. ----

function writeField(block: Uint8Array, [start, end]: Field, value: string): void {
  const capacity = (end - start + 1) / 2;
  if (value.length > capacity) throw new RangeError(`field at ${start} holds ${capacity} characters, got ${value.length}`);
  const padded = value.padEnd(capacity, ' ');
  for (let i = 0; i < capacity; i++) {
    const code = padded.charCodeAt(i);
    block[start + i * 2] = code & 0xff;
    block[start + i * 2 + 1] = code >> 8;
  }
}

const compact = (isoDate: string) => isoDate.replaceAll('-', '');
const validTo = (validity: Validity) => (validity.to === null ? LONG_TERM : compact(validity.to));

/** Lays out a document's text as a card stores it (UCS-2LE, space padded). */
export function encodeIdentityText(document: IdentityText): Uint8Array {
  const block = new Uint8Array(TEXT_BLOCK_BYTES);
  writeField(block, [0, 255], ''); // all spaces
  switch (document.cardType) {
    case 'resident': {
      const L = residentLayout;
      writeField(block, L.name, document.name);
      writeField(block, L.sex, document.sex);
      writeField(block, L.nation, document.nationCode);
      writeField(block, L.birth, compact(document.birthDate));
      writeField(block, L.address, document.address);
      writeField(block, L.idNumber, document.idNumber);
      writeField(block, L.issuingAuthority, document.issuingAuthority);
      writeField(block, L.validFrom, compact(document.validity.from));
      writeField(block, L.validTo, validTo(document.validity));
      break;
    }
    case 'residence-permit': {
      const L = residencePermitLayout;
      writeField(block, L.name, document.name);
      writeField(block, L.sex, document.sex);
      writeField(block, L.birth, compact(document.birthDate));
      writeField(block, L.address, document.address);
      writeField(block, L.idNumber, document.idNumber);
      writeField(block, L.issuingAuthority, document.issuingAuthority);
      writeField(block, L.validFrom, compact(document.validity.from));
      writeField(block, L.validTo, validTo(document.validity));
      writeField(block, L.passNumber, document.passNumber);
      writeField(block, L.issueCount, document.issueCount);
      writeField(block, CARD_TYPE, 'J');
      break;
    }
    case 'foreign-permanent-2017': {
      const L = foreign2017Layout;
      writeField(block, L.englishName, document.englishName);
      writeField(block, L.sex, document.sex);
      writeField(block, L.cardNumber, document.cardNumber);
      writeField(block, L.nationality, document.nationality);
      writeField(block, L.chineseName, document.chineseName);
      writeField(block, L.validFrom, compact(document.validity.from));
      writeField(block, L.validTo, validTo(document.validity));
      writeField(block, L.birth, compact(document.birthDate));
      writeField(block, L.cardVersion, document.cardVersion);
      writeField(block, L.authorityCode, document.authorityCode);
      writeField(block, CARD_TYPE, 'I');
      break;
    }
    case 'foreign-permanent-2023': {
      const L = foreign2023Layout;
      const part1Capacity = (L.englishName1[1] - L.englishName1[0] + 1) / 2;
      writeField(block, L.chineseName, document.chineseName);
      writeField(block, L.sex, document.sex);
      writeField(block, L.renewalCount, document.renewalCount);
      writeField(block, L.birth, compact(document.birthDate));
      writeField(block, L.englishName1, document.englishName.slice(0, part1Capacity));
      writeField(block, L.englishName2, document.englishName.slice(part1Capacity));
      writeField(block, L.cardNumber, document.cardNumber);
      writeField(block, L.validFrom, compact(document.validity.from));
      writeField(block, L.validTo, validTo(document.validity));
      writeField(block, L.countryCode, document.countryCode);
      writeField(block, CARD_TYPE, 'Y');
      writeField(block, L.previousCardLink, document.previousCardLink);
      break;
    }
  }
  return block;
}
