/**
 * Serial barcode / QR scanners (扫码枪), docs/protocols.md §3: the symbol's text, then a configurable
 * suffix (CR, CRLF, or none — then a pause ends the code). Pure: bytes ↔ ScannedCode.
 */
import { DeviceError } from '../../core/contract/device-error.ts';
import { guessSymbology, MAX_SCANNED_CODE_LENGTH, type ScannedCode } from '../../core/insurance/scanned-code.ts';

export type ScannerSuffix = 'cr' | 'crlf' | 'none';

export const scannerSuffixes: readonly ScannerSuffix[] = ['cr', 'crlf', 'none'];

export function suffixBytes(suffix: ScannerSuffix): Uint8Array {
  switch (suffix) {
    case 'cr':
      return Uint8Array.of(0x0d);
    case 'crlf':
      return Uint8Array.of(0x0d, 0x0a);
    case 'none':
      return new Uint8Array(0);
  }
}

/** Default cap on one code's bytes: the largest QR code's alphanumeric capacity (4,296). */
export const DEFAULT_MAX_CODE_BYTES = MAX_SCANNED_CODE_LENGTH;

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Scanners set to a Chinese keyboard/codepage send QR text with Chinese in GBK.
const gbk = new TextDecoder('gbk', { fatal: true });

/**
 * One code's bytes (suffix removed) → ScannedCode, or undefined for a blank line. Stray CR/LF at the
 * edges (a scanner sending CRLF to a port set for CR) are dropped. Text that is neither UTF-8 nor GBK is
 * DeviceError('bad-frame').
 */
export function decodeScannedCode(bytes: Uint8Array, receivedAt: Date): ScannedCode | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    try {
      text = gbk.decode(bytes);
    } catch {
      throw new DeviceError('bad-frame', `scanned code of ${bytes.length} bytes is neither UTF-8 nor GBK text`);
    }
  }
  text = text.replace(/^[\r\n]+|[\r\n]+$/g, '');
  if (text.length === 0) return undefined;
  if (text.length > MAX_SCANNED_CODE_LENGTH) throw new DeviceError('scan-too-long', `${text.length} characters`);
  return { text, symbology: guessSymbology(text), receivedAt: receivedAt.toISOString() };
}

/** What a scanner sends for `text` (UTF-8) with its suffix; for the simulator and tests. */
export function encodeScan(text: string, suffix: ScannerSuffix): Uint8Array {
  const body = new TextEncoder().encode(text);
  const tail = suffixBytes(suffix);
  const out = new Uint8Array(body.length + tail.length);
  out.set(body);
  out.set(tail, body.length);
  return out;
}
