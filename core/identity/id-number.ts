/**
 * Identity numbers on Chinese cards.
 * - 公民身份号码 (citizen ID number), GB 11643-1999: 6 region digits, 8 birth-date digits
 *   (YYYYMMDD), 3 sequence digits (the last one odd for men, even for women), 1 check character
 *   computed with ISO 7064 MOD 11-2. Residence permits (港澳台居民居住证) use the same rule with
 *   region 81 (Hong Kong), 82 (Macau) or 83 (Taiwan).
 * - 外国人永久居留身份证 2023 (the "Y" card): 18 characters, first digit 9, same MOD 11-2 check.
 */

export interface Bilingual {
  zh: string;
  en: string;
}

export type IdNumberProblem =
  | 'wrong-length'
  | 'bad-characters'
  | 'bad-check-digit'
  | 'unknown-region'
  | 'impossible-birth-date'
  | 'birth-date-in-future'
  | 'not-a-permanent-resident-number';

export const idNumberProblems: Record<IdNumberProblem, Bilingual> = {
  'wrong-length': { zh: '证件号码应为18位', en: 'The ID number must have 18 characters' },
  'bad-characters': { zh: '证件号码前17位应为数字，末位为数字或X', en: 'The first 17 characters must be digits and the last a digit or X' },
  'bad-check-digit': { zh: '证件号码校验位错误，请核对', en: 'The check character does not match: check the number' },
  'unknown-region': { zh: '证件号码的地区代码无效', en: 'The region code of the ID number is not valid' },
  'impossible-birth-date': { zh: '证件号码中的出生日期不存在', en: 'The birth date in the ID number does not exist' },
  'birth-date-in-future': { zh: '证件号码中的出生日期晚于今天', en: 'The birth date in the ID number is in the future' },
  'not-a-permanent-resident-number': { zh: '外国人永久居留身份证号码应以9开头', en: 'A foreign permanent resident number must begin with 9' },
};

export type IdNumberCheck =
  | {
      ok: true;
      /** Normalised: upper-case X. */
      idNumber: string;
      regionCode: string;
      /** ISO date, YYYY-MM-DD. */
      birthDate: string;
      sex: 'male' | 'female';
    }
  | { ok: false; problem: IdNumberProblem; reason: Bilingual };

export type PermanentResidentNumberCheck =
  | { ok: true; cardNumber: string }
  | { ok: false; problem: IdNumberProblem; reason: Bilingual };

// ISO 7064 MOD 11-2 weights for positions 1–17 (2^(18-i) mod 11), GB 11643 table 2.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The MOD 11-2 check character for 17 digits. */
export function mod112CheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('mod112CheckCharacter needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Province-level codes of GB/T 2260 (the first two digits), plus 81/82/83 for residence permits.
 * Only the province level is checked: county codes change every year and old cards keep theirs.
 */
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43',
  '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
]);

export const isProvinceCode = (code: string) => PROVINCE_CODES.has(code);

const fail = (problem: IdNumberProblem) => ({ ok: false as const, problem, reason: idNumberProblems[problem] });

/** YYYYMMDD → YYYY-MM-DD if the day exists in the proleptic Gregorian calendar, else undefined. */
export function parseCompactDate(yyyymmdd: string): string | undefined {
  if (!/^\d{8}$/.test(yyyymmdd)) return undefined;
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (month < 1 || month > 12 || day < 1) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day > days) return undefined;
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/** Today's date as YYYY-MM-DD in the clinic's local time. */
export const isoDate = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/**
 * A document number as it is stored, searched and compared: without surrounding blanks, with an
 * upper-case check character (`x` typed for `X`), whichever way it came (card, scanner, keyboard).
 */
export const normaliseDocumentNumber = (value: string): string => value.trim().toUpperCase();

/** Checks a GB 11643 citizen ID number (or a residence-permit number, which follows the same rule). */
export function checkCitizenIdNumber(value: string, today: Date = new Date()): IdNumberCheck {
  const idNumber = normaliseDocumentNumber(value);
  if (idNumber.length !== 18) return fail('wrong-length');
  if (!/^\d{17}[\dX]$/.test(idNumber)) return fail('bad-characters');
  if (mod112CheckCharacter(idNumber.slice(0, 17)) !== idNumber[17]) return fail('bad-check-digit');
  const regionCode = idNumber.slice(0, 6);
  if (!isProvinceCode(regionCode.slice(0, 2))) return fail('unknown-region');
  const birthDate = parseCompactDate(idNumber.slice(6, 14));
  if (!birthDate || birthDate < '1900-01-01') return fail('impossible-birth-date');
  if (birthDate > isoDate(today)) return fail('birth-date-in-future');
  const sex = Number(idNumber[16]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, idNumber, regionCode, birthDate, sex };
}

/** Checks the number of a 2023 foreign permanent resident ID card (外国人永久居留身份证, "Y" card). */
export function checkPermanentResidentNumber(value: string): PermanentResidentNumberCheck {
  const cardNumber = normaliseDocumentNumber(value);
  if (cardNumber.length !== 18) return fail('wrong-length');
  if (!/^\d{17}[\dX]$/.test(cardNumber)) return fail('bad-characters');
  if (cardNumber[0] !== '9') return fail('not-a-permanent-resident-number');
  if (mod112CheckCharacter(cardNumber.slice(0, 17)) !== cardNumber[17]) return fail('bad-check-digit');
  return { ok: true, cardNumber };
}

/**
 * An ID number as lists show it: region (first 6) and last 4 kept, the birth date and sequence
 * hidden — 110105********1234. Lists, tickets and search results show this; only the patient
 * header, where the doctor is with the patient, shows the whole number. Numbers of other lengths
 * (passports, old 15-digit cards) keep at most their first and last third.
 */
export function maskIdNumber(value: string): string {
  const id = value.trim();
  if (id.length === 18) return `${id.slice(0, 6)}********${id.slice(14)}`;
  if (id.length <= 4) return '*'.repeat(id.length);
  const keep = Math.floor(id.length / 3);
  return `${id.slice(0, keep)}${'*'.repeat(id.length - 2 * keep)}${id.slice(id.length - keep)}`;
}
