/**
 * InsuranceCard: what the workstation reads from a social security card (社会保障卡), the contact CPU
 * card that doubles as the medical-insurance card. Plain JSON-safe data: it crosses IPC and the
 * device-agent WebSocket inside a DeviceEvent, and the renderer validates it with
 * `insuranceCardSchema` before use.
 *
 * Field sources (docs/protocols.md §2): EF05 records 01/05/06/07, EF06 records 08/09/0A/0B/0D.
 */
import { z } from 'zod';
import { checkCitizenIdNumber } from '../identity/id-number.ts';
import { nationCodes, sexCodes, type NationCode, type SexCode } from '../identity/codes.ts';

export interface InsuranceCard {
  /** 卡识别码 (EF05/01): 16 bytes as 32 upper-case hex digits. */
  cardIdentificationCode: string;
  /** 发卡日期 (EF05/05), YYYY-MM-DD. */
  issueDate: string;
  /** 卡有效期 (EF05/06), YYYY-MM-DD. */
  expiryDate: string;
  /** 社会保障卡卡号 (EF05/07): the number printed on the card, 9 ASCII characters. */
  cardNumber: string;
  /** 社会保障号码 (EF06/08): the holder's citizen ID number (GB 11643), upper-case X. */
  socialSecurityNumber: string;
  /** 姓名 (EF06/09), decoded from GBK. */
  name: string;
  /** 性别 (EF06/0A), GB/T 2261.1 code. */
  sexCode: SexCode;
  /** 民族 (EF06/0B), GB 3304 code. */
  nationCode: NationCode;
  /** 出生日期 (EF06/0D), YYYY-MM-DD. */
  birthDate: string;
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** Validates an InsuranceCard that arrived over IPC or WebSocket. */
export const insuranceCardSchema = z.object({
  cardIdentificationCode: z.string().regex(/^[0-9A-F]{32}$/),
  issueDate: isoDate,
  expiryDate: isoDate,
  cardNumber: z.string().regex(/^[0-9A-Z]{1,9}$/),
  socialSecurityNumber: z.string().refine((value) => checkCitizenIdNumber(value).ok, 'not a valid GB 11643 ID number'),
  name: z.string().min(1).max(30),
  sexCode: z.enum(Object.keys(sexCodes) as [SexCode, ...SexCode[]]),
  nationCode: z.enum(Object.keys(nationCodes) as [NationCode, ...NationCode[]]),
  birthDate: isoDate,
}) satisfies z.ZodType<InsuranceCard, unknown>;
