/** 患者 — a patient, keyed by the identity document the nurse reads from the card. */
import { z } from 'zod';
import { pinyin } from 'pinyin-pro';
import { checkCitizenIdNumber, checkPermanentResidentNumber, isNationCode, sexCodes, documentNumber, displayName } from '../identity/index.ts';
import { normaliseDocumentNumber } from '../identity/index.ts';
import type { IdentityCardType, IdentityDocument, IdentityDocumentJson, SexCode } from '../identity/index.ts';
import { isoDate, recordBase, recordId, shortText, text } from './common.ts';

/**
 * Kinds of identity document a patient can be registered with: the four card types the GA 467
 * reader gives (core/identity), plus a passport typed by hand, plus `none` for people who arrive
 * without one (newborns, unconscious patients), whose idNumber is ''.
 */
export const documentTypes = [
  'resident', // 居民身份证
  'residence-permit', // 港澳台居民居住证
  'foreign-permanent-2017', // 外国人永久居留身份证 (2017)
  'foreign-permanent-2023', // 外国人永久居留身份证 (2023)
  'passport', // 护照
  'none',
] as const satisfies readonly (IdentityCardType | 'passport' | 'none')[];
export type DocumentType = (typeof documentTypes)[number];

const sexCodeValues = Object.keys(sexCodes) as [SexCode, ...SexCode[]];

type IssueContext = z.core.$RefinementCtx<{ documentType: DocumentType; idNumber: string }>;
const bilingualIssue = (ctx: IssueContext, path: string, reason: { en: string; zh: string }) =>
  ctx.addIssue({ code: 'custom', path: [path], message: reason.en, params: { messageZh: reason.zh } });

/** The document number must pass its card's own check (GB 11643 MOD 11-2 and friends). */
const checkDocumentNumber = (p: { documentType: DocumentType; idNumber: string }, ctx: IssueContext) => {
  switch (p.documentType) {
    case 'none':
      if (p.idNumber !== '') bilingualIssue(ctx, 'idNumber', { en: 'ID number must be empty when there is no document', zh: '无证件时证件号码应为空' });
      return;
    case 'resident':
    case 'residence-permit': {
      const check = checkCitizenIdNumber(p.idNumber);
      if (!check.ok) bilingualIssue(ctx, 'idNumber', check.reason);
      else if (check.idNumber !== p.idNumber) bilingualIssue(ctx, 'idNumber', { en: 'Write the check character X in upper case', zh: '校验位X应大写' });
      return;
    }
    case 'foreign-permanent-2023': {
      const check = checkPermanentResidentNumber(p.idNumber);
      if (!check.ok) bilingualIssue(ctx, 'idNumber', check.reason);
      return;
    }
    case 'foreign-permanent-2017':
      // 3-letter nationality code + 12 digits (GB/T 2659 alpha-3 prefix).
      if (!/^[A-Z]{3}\d{12}$/.test(p.idNumber)) bilingualIssue(ctx, 'idNumber', { en: 'A 2017 permanent resident card number is 3 letters and 12 digits', zh: '2017版永久居留身份证号码应为3位字母加12位数字' });
      return;
    case 'passport':
      if (p.idNumber === '') bilingualIssue(ctx, 'idNumber', { en: 'Enter the passport number', zh: '请填写护照号码' });
      return;
  }
};

export const patientSchema = z
  .object({
    ...recordBase, // institutionId: the home institution (建档机构) that owns the record
    name: shortText(64).min(1),
    /** GB/T 2261.1 code: '0' unknown, '1' male, '2' female, '9' unspecified. */
    sex: z.enum(sexCodeValues),
    /** 民族 — GB 3304 two-digit nation code ('01' = 汉族); '' when not on the document. */
    nationCode: text().refine((c): boolean => c === '' || isNationCode(c), { message: 'Unknown GB 3304 nation code' }),
    birthDate: isoDate,
    documentType: z.enum(documentTypes),
    /** Upper-case; '' when documentType is 'none'. Indexed, so always present. */
    idNumber: text().max(32).regex(/^[0-9A-Z]*$/, { message: 'ID number: digits and upper-case letters only' }),
    address: shortText(200),
    /** Digits, may be ''. Indexed, so always present. */
    phone: text().max(20).regex(/^[0-9+-]*$/, { message: 'Phone: digits, + and - only' }),
    /** 医保卡号 / 社会保障卡号, '' when not known. */
    insuranceCardNumber: shortText(32),
    /** Computed at write time from `name` (see withPinyinKeys): 张三 → 'zs' and 'zhangsan'. */
    pinyinInitials: shortText(64),
    pinyinFull: shortText(256),
    /**
     * Master-patient index (主索引): when two clinics registered the same person, the duplicate
     * points at the master record. Set only by the hub; null on a master.
     */
    mergedInto: recordId.nullable(),
  })
  .superRefine(checkDocumentNumber);

export type Patient = z.infer<typeof patientSchema>;

/**
 * Pinyin search keys for a name. Surname mode reads 曾 as zeng and 单 as shan; ü is written v
 * (吕 → lv) as people type it. Non-Chinese characters pass through lower-cased.
 */
export const pinyinKeys = (name: string): { pinyinInitials: string; pinyinFull: string } => {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head', v: true, nonZh: 'consecutive' })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter((s) => s.length > 0);
  return {
    pinyinInitials: syllables.map((s) => s[0]).join('').slice(0, 64),
    pinyinFull: syllables.join('').slice(0, 256),
  };
};

/** Recomputes the pinyin keys from the name; saveRecord calls this on every patient write. */
export const withPinyinKeys = <T extends { name: string }>(p: T): T & { pinyinInitials: string; pinyinFull: string } => ({
  ...p,
  ...pinyinKeys(p.name),
});

/** The record a patient's data lives in: the master if this one was merged. */
/** Age in whole years on a day (both YYYY-MM-DD): a birthday not yet reached this year does not count. */
export const ageInYearsOn = (birthDate: string, day: string): number => {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
};

export const masterPatientId = (p: Pick<Patient, 'id' | 'mergedInto'>): string => p.mergedInto ?? p.id;

/**
 * The patient fields a card read fills in (the nurse adds phone and insurance card number). The
 * address is the additional address (追加住址) when the card has one: the police station writes it
 * to the card when the holder moves, so it is newer than the printed one.
 */
export const patientFieldsFromIdentityDocument = (
  doc: IdentityDocument | IdentityDocumentJson,
): Pick<Patient, 'name' | 'sex' | 'nationCode' | 'birthDate' | 'documentType' | 'idNumber' | 'address'> => ({
  name: displayName(doc),
  sex: doc.sex,
  nationCode: doc.cardType === 'resident' ? doc.nationCode : '',
  birthDate: doc.birthDate,
  documentType: doc.cardType,
  idNumber: normaliseDocumentNumber(documentNumber(doc)),
  address: doc.cardType === 'resident' || doc.cardType === 'residence-permit' ? doc.additionalAddress || doc.address : '',
});
