/**
 * zod schema for IdentityDocumentJson, the form that crosses IPC and the device-agent WebSocket.
 * The receiving side (renderer, agent client) validates with it before use: well-formed dates, known
 * sex and nation codes, and ID numbers that pass their check digits.
 */
import { z } from 'zod';
import { isNationCode, isSexCode, type NationCode, type SexCode } from './codes.ts';
import { checkCitizenIdNumber, checkPermanentResidentNumber, parseCompactDate } from './id-number.ts';
import type { IdentityDocumentJson } from './identity-document.ts';

const isoDate = z.string().refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && parseCompactDate(v.replaceAll('-', '')) !== undefined, 'not a real YYYY-MM-DD date');
const sex = z.string().refine(isSexCode, 'not a GB/T 2261.1 sex code') as unknown as z.ZodType<SexCode>;
const nationCode = z.string().refine(isNationCode, 'not a GB 3304 nation code') as unknown as z.ZodType<NationCode>;
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64').max(8192);
const citizenNumber = z.string().refine((v) => checkCitizenIdNumber(v).ok, 'ID number fails the GB 11643 check');
const text = (max: number) => z.string().max(max);

const common = {
  sex,
  birthDate: isoDate,
  validity: z.object({ from: isoDate, to: isoDate.nullable() }),
  photoWltBase64: base64,
  fingerprintBase64: base64.optional(),
};

export const identityDocumentJsonSchema = z.discriminatedUnion('cardType', [
  z.object({
    ...common,
    cardType: z.literal('resident'),
    name: text(15),
    nationCode,
    address: text(35),
    idNumber: citizenNumber,
    issuingAuthority: text(15),
    additionalAddress: text(256).optional(),
  }),
  z.object({
    ...common,
    cardType: z.literal('residence-permit'),
    name: text(15),
    address: text(35),
    idNumber: citizenNumber,
    issuingAuthority: text(15),
    passNumber: text(9),
    issueCount: text(2),
    additionalAddress: text(256).optional(),
  }),
  z.object({
    ...common,
    cardType: z.literal('foreign-permanent-2017'),
    englishName: text(60),
    chineseName: text(15),
    cardNumber: z.string().regex(/^[A-Z]{3}\d{12}$/),
    nationality: text(3),
    cardVersion: text(2),
    authorityCode: text(4),
  }),
  z.object({
    ...common,
    cardType: z.literal('foreign-permanent-2023'),
    chineseName: text(15),
    englishName: text(46),
    cardNumber: z.string().refine((v) => checkPermanentResidentNumber(v).ok, 'card number fails the MOD 11-2 check'),
    renewalCount: text(2),
    countryCode: text(3),
    previousCardLink: text(3),
  }),
]) satisfies z.ZodType<IdentityDocumentJson>;
