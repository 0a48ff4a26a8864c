/**
 * IdentityDocument: what a GA 467 reader gives us from one card, typed by card type.
 * Four card types share the reader and the 256-byte text layout (the character at byte 248 says
 * which): 居民身份证 (resident ID card), 港澳台居民居住证 (residence permit, "J"), 外国人永久居留身份证
 * 2017 ("I") and 2023 ("Y").
 */
import { decodeBase64, encodeBase64 } from './base64.ts';
import type { NationCode, SexCode } from './codes.ts';
import { isoDate } from './id-number.ts';

export type IdentityCardType = 'resident' | 'residence-permit' | 'foreign-permanent-2017' | 'foreign-permanent-2023';

export interface Validity {
  /** YYYY-MM-DD. */
  from: string;
  /** YYYY-MM-DD, or null for 长期 (long-term: no expiry). */
  to: string | null;
}

interface CardBase {
  sex: SexCode;
  /** YYYY-MM-DD. */
  birthDate: string;
  validity: Validity;
  /** The photo exactly as stored on the card: WLT, decodable only by a licensed vendor library. */
  photoWlt: Uint8Array;
  /** The fingerprint block when the reader was asked for it (30 10), else absent. */
  fingerprint?: Uint8Array | undefined;
}

/** 居民身份证 */
export interface ResidentIdCard extends CardBase {
  cardType: 'resident';
  name: string;
  nationCode: NationCode;
  address: string;
  idNumber: string;
  issuingAuthority: string;
  /** 追加住址: an address change written to the card after issue (read with 30 03), if any. */
  additionalAddress?: string | undefined;
}

/** 港澳台居民居住证 ("J"): no nation; carries the pass number (通行证号码) and issue count. */
export interface ResidencePermit extends CardBase {
  cardType: 'residence-permit';
  name: string;
  address: string;
  idNumber: string;
  issuingAuthority: string;
  passNumber: string;
  issueCount: string;
  /** 追加住址, as for the resident card. */
  additionalAddress?: string | undefined;
}

/** 外国人永久居留身份证 (2017, "I") */
export interface ForeignPermanentResident2017 extends CardBase {
  cardType: 'foreign-permanent-2017';
  englishName: string;
  chineseName: string;
  /** 3 letters (nationality) + 12 digits. */
  cardNumber: string;
  /** ISO 3166-1 alpha-3. */
  nationality: string;
  cardVersion: string;
  authorityCode: string;
}

/** 外国人永久居留身份证 (2023, "Y") */
export interface ForeignPermanentResident2023 extends CardBase {
  cardType: 'foreign-permanent-2023';
  chineseName: string;
  /** Parts 1 and 2 of the text block joined. */
  englishName: string;
  /** 18 characters, first 9, MOD 11-2. */
  cardNumber: string;
  renewalCount: string;
  /** ISO 3166-1 alpha-3. */
  countryCode: string;
  previousCardLink: string;
}

export type IdentityDocument = ResidentIdCard | ResidencePermit | ForeignPermanentResident2017 | ForeignPermanentResident2023;

/** A document with its bytes as base64: plain JSON for IPC, WebSocket, CLI output and storage. */
export type IdentityDocumentJson = {
  [T in IdentityDocument as T['cardType']]: Omit<T, 'photoWlt' | 'fingerprint'> & {
    photoWltBase64: string;
    fingerprintBase64?: string | undefined;
  };
}[IdentityCardType];

export function identityDocumentToJson(document: IdentityDocument): IdentityDocumentJson {
  const { photoWlt, fingerprint, ...rest } = document;
  return {
    ...rest,
    photoWltBase64: encodeBase64(photoWlt),
    ...(fingerprint ? { fingerprintBase64: encodeBase64(fingerprint) } : {}),
  } as IdentityDocumentJson;
}

export function identityDocumentFromJson(json: IdentityDocumentJson): IdentityDocument {
  const { photoWltBase64, fingerprintBase64, ...rest } = json;
  return {
    ...rest,
    photoWlt: decodeBase64(photoWltBase64),
    ...(fingerprintBase64 !== undefined ? { fingerprint: decodeBase64(fingerprintBase64) } : {}),
  } as IdentityDocument;
}

/** The holder's name as the UI shows it first: Chinese name, else the English one. */
export function displayName(document: IdentityDocument | IdentityDocumentJson): string {
  switch (document.cardType) {
    case 'resident':
    case 'residence-permit':
      return document.name;
    default:
      return document.chineseName || document.englishName;
  }
}

/** The number a patient record is keyed by. */
export function documentNumber(document: IdentityDocument | IdentityDocumentJson): string {
  return document.cardType === 'resident' || document.cardType === 'residence-permit' ? document.idNumber : document.cardNumber;
}

/** True when the card's validity ended before `today`; a 长期 card never expires. */
export function isExpired(document: Pick<IdentityDocument, 'validity'>, today: Date = new Date()): boolean {
  return document.validity.to !== null && document.validity.to < isoDate(today);
}
