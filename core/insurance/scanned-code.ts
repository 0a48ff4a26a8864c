/**
 * ScannedCode: one barcode or QR code read by a serial scanner. The scanner sends the symbol's text
 * only (no symbology identifier by default), so `symbology` is a guess from the text's shape, for the
 * UI to decide where the code goes (insurance voucher → settlement, EAN-13 → drug box, else a label).
 */
import { z } from 'zod';

export type SymbologyGuess =
  /** 医保电子凭证: a long opaque token only the national platform decodes (docs/protocols.md §2). */
  | 'medical-insurance-voucher'
  /** EAN-13 with a valid check digit (drug packages). */
  | 'ean-13'
  | 'url'
  | 'unknown';

export interface ScannedCode {
  text: string;
  symbology: SymbologyGuess;
  /** ISO 8601 timestamp of the moment the code's last byte arrived. */
  receivedAt: string;
}

/** The longest code accepted from a scanner: a dense QR code holds at most 4,296 alphanumerics. */
export const MAX_SCANNED_CODE_LENGTH = 4296;

export const scannedCodeSchema = z.object({
  text: z.string().min(1).max(MAX_SCANNED_CODE_LENGTH),
  symbology: z.enum(['medical-insurance-voucher', 'ean-13', 'url', 'unknown']),
  receivedAt: z.iso.datetime(),
}) satisfies z.ZodType<ScannedCode, unknown>;

/**
 * The voucher QR payload is not public: what is known is that it is a single long token of URL-safe
 * characters, not a URL, far longer than specimen-label or drug barcodes (which stay under ~20).
 * [check] against real vouchers; until then a shorter code is never called a voucher.
 */
const VOUCHER_MIN_LENGTH = 32;
const VOUCHER_TOKEN = /^[A-Za-z0-9+/=_.:-]+$/;

export function guessSymbology(text: string): SymbologyGuess {
  if (/^https?:\/\//i.test(text)) return 'url';
  if (/^\d{13}$/.test(text) && ean13CheckDigit(text.slice(0, 12)) === Number(text[12])) return 'ean-13';
  if (text.length >= VOUCHER_MIN_LENGTH && VOUCHER_TOKEN.test(text)) return 'medical-insurance-voucher';
  return 'unknown';
}

/** GS1 check digit: weights 1,3,1,3… from the left over the first 12 digits. */
export function ean13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}
