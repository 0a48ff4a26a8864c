/**
 * Validation of what the device agent sends, before it touches the form: the agent is another
 * process, so its payloads are checked like any request body (an IdentityDocumentJson as
 * core/identity defines it; InsuranceCard and ScannedCode have their schemas in core/insurance).
 */
import { z } from 'zod';
import type { IdentityDocumentJson } from '../../core/identity/index.ts';
import { isNationCode, isSexCode } from '../../core/identity/index.ts';

const date = z.iso.date();
const sex = z.string().refine(isSexCode);
const validity = z.object({ from: date, to: date.nullable() });
const base = { sex, birthDate: date, validity, photoWltBase64: z.string().max(4096), fingerprintBase64: z.string().max(4096).optional() };

export const identityDocumentJsonSchema = z.discriminatedUnion('cardType', [
  z.object({
    ...base,
    cardType: z.literal('resident'),
    name: z.string().min(1).max(64),
    nationCode: z.string().refine(isNationCode),
    address: z.string().max(200),
    idNumber: z.string().max(18),
    issuingAuthority: z.string().max(64),
    additionalAddress: z.string().max(200).optional(),
  }),
  z.object({
    ...base,
    cardType: z.literal('residence-permit'),
    name: z.string().min(1).max(64),
    address: z.string().max(200),
    idNumber: z.string().max(18),
    issuingAuthority: z.string().max(64),
    passNumber: z.string().max(32),
    issueCount: z.string().max(4),
    additionalAddress: z.string().max(200).optional(),
  }),
  z.object({
    ...base,
    cardType: z.literal('foreign-permanent-2017'),
    englishName: z.string().max(120),
    chineseName: z.string().max(64),
    cardNumber: z.string().max(18),
    nationality: z.string().max(3),
    cardVersion: z.string().max(4),
    authorityCode: z.string().max(8),
  }),
  z.object({
    ...base,
    cardType: z.literal('foreign-permanent-2023'),
    chineseName: z.string().max(64),
    englishName: z.string().max(120),
    cardNumber: z.string().max(18),
    renewalCount: z.string().max(4),
    countryCode: z.string().max(3),
    previousCardLink: z.string().max(64),
  }),
]) as unknown as z.ZodType<IdentityDocumentJson>;
