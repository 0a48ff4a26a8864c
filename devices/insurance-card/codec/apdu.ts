/**
 * ISO/IEC 7816-4 APDUs for the social security card (社会保障卡), docs/protocols.md §2. Pure: builds command
 * APDUs and splits response APDUs; knows nothing about the reader that carries them.
 */
import { DeviceError, type DeviceErrorCode } from '../../../core/contract/device-error.ts';

/**
 * The SSSE application name: ASCII `sx1.sh.` then GBK `社会保障` (C9E7 BBE1 B1A3 D5CF). Written out as
 * bytes because pure code has no GBK encoder (TextEncoder only speaks UTF-8).
 */
export const SSSE_NAME = Uint8Array.of(
  0x73, 0x78, 0x31, 0x2e, 0x73, 0x68, 0x2e, // sx1.sh.
  0xc9, 0xe7, 0xbb, 0xe1, 0xb1, 0xa3, 0xd5, 0xcf, // 社会保障
);

export const FILE_EF05 = 0xef05;
export const FILE_EF06 = 0xef06;

/** SELECT by DF name: `00 A4 04 00 Lc name`. */
export function selectByName(name: Uint8Array): Uint8Array {
  if (name.length < 1 || name.length > 16) throw new RangeError('a DF name has 1 to 16 bytes (ISO 7816-4)');
  return Uint8Array.of(0x00, 0xa4, 0x04, 0x00, name.length, ...name);
}

/** SELECT elementary file by identifier under the current DF: `00 A4 02 00 02 FID`. */
export function selectElementaryFile(fileId: number): Uint8Array {
  return Uint8Array.of(0x00, 0xa4, 0x02, 0x00, 0x02, (fileId >> 8) & 0xff, fileId & 0xff);
}

/**
 * READ RECORD `00 B2 rec 04 Le` (P2 = 04: record number in P1, current EF). Le asks for the whole
 * TLV record, 2 + field length (`00 B2 07 04 0B` for the 9-byte card number, as public readers send).
 */
export function readRecord(recordNumber: number, expectedLength: number): Uint8Array {
  return Uint8Array.of(0x00, 0xb2, recordNumber & 0xff, 0x04, expectedLength & 0xff);
}

export interface ResponseApdu {
  data: Uint8Array;
  /** SW1 SW2 as one number, e.g. 0x9000. */
  statusWord: number;
}

export function parseResponseApdu(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw new DeviceError('bad-frame', `response APDU has ${bytes.length} bytes, fewer than SW1 SW2`);
  const n = bytes.length;
  return { data: bytes.slice(0, n - 2), statusWord: (bytes[n - 2]! << 8) | bytes[n - 1]! };
}

export const formatStatusWord = (sw: number) => sw.toString(16).toUpperCase().padStart(4, '0');

/** ISO 7816-4 §5.1.3 status words a social security card answers with. */
const STATUS_WORD_MEANINGS: Record<number, string> = {
  0x6281: 'part of returned data may be corrupted',
  0x6283: 'selected file invalidated',
  0x6581: 'memory failure',
  0x6700: 'wrong length',
  0x6982: 'security status not satisfied',
  0x6983: 'authentication method blocked',
  0x6985: 'conditions of use not satisfied',
  0x6a81: 'function not supported',
  0x6a82: 'file or application not found',
  0x6a83: 'record not found',
  0x6a86: 'incorrect parameters P1-P2',
  0x6a88: 'referenced data not found',
  0x6b00: 'wrong parameters P1-P2',
  0x6d00: 'instruction code not supported',
  0x6e00: 'class not supported',
  0x6f00: 'no precise diagnosis',
};

export function statusWordMeaning(sw: number): string {
  const exact = STATUS_WORD_MEANINGS[sw];
  if (exact) return exact;
  if ((sw & 0xff00) === 0x6100) return `${sw & 0xff} response bytes still available`;
  if ((sw & 0xff00) === 0x6c00) return `wrong Le; exact length is ${sw & 0xff}`;
  if ((sw & 0xfff0) === 0x63c0) return `verification failed, ${sw & 0x0f} tries left`;
  return 'unknown status';
}

/** A card that answered with a status word other than success. Still a DeviceError for the UI. */
export class CardStatusError extends DeviceError {
  readonly statusWord: number;
  readonly step: string;

  constructor(code: DeviceErrorCode, step: string, statusWord: number) {
    super(code, `${step}: SW ${formatStatusWord(statusWord)} (${statusWordMeaning(statusWord)})`);
    this.statusWord = statusWord;
    this.step = step;
  }
}

export const isSuccess = (sw: number) => sw === 0x9000;
/** SELECT by name may answer 61xx: selected, with FCI bytes waiting for GET RESPONSE (not needed here). */
export const isSelectSuccess = (sw: number) => sw === 0x9000 || (sw & 0xff00) === 0x6100;
