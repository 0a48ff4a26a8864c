import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { DeviceError } from '../../core/contract/device-error.ts';
import { ean13CheckDigit, guessSymbology, scannedCodeSchema } from '../../core/insurance/scanned-code.ts';
import { decodeScannedCode, encodeScan, suffixBytes } from './codec.ts';
import { makeVoucherToken } from './test-data.ts';

const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' ');
const at = new Date('2026-11-23T03:04:05.678Z');

describe('scanner bytes', () => {
  it('ends a code with CR, CRLF or nothing', () => {
    expect(toHex(suffixBytes('cr'))).toBe('0D');
    expect(toHex(encodeScan('AB1', 'crlf'))).toBe('41 42 31 0D 0A');
    expect(toHex(encodeScan('AB1', 'none'))).toBe('41 42 31');
  });

  it('turns a scanned voucher into a ScannedCode the renderer accepts', () => {
    const token = makeVoucherToken(420);
    const code = decodeScannedCode(new TextEncoder().encode(token), at);
    expect(code).toEqual({ text: token, symbology: 'medical-insurance-voucher', receivedAt: '2026-11-23T03:04:05.678Z' });
    expect(scannedCodeSchema.parse(code)).toEqual(code);
  });

  it('reads QR text a scanner sends in GBK', () => {
    expect(decodeScannedCode(Uint8Array.from(iconv.encode('张三 门诊', 'gbk')), at)?.text).toBe('张三 门诊');
  });

  it('drops a stray LF left by a CRLF scanner on a CR port, and ignores blank lines', () => {
    expect(decodeScannedCode(new TextEncoder().encode('\nS20261123'), at)?.text).toBe('S20261123');
    expect(decodeScannedCode(new TextEncoder().encode('\n'), at)).toBeUndefined();
  });

  it('refuses bytes that are neither UTF-8 nor GBK (a cut double-byte character) with a DeviceError', () => {
    expect(() => decodeScannedCode(Uint8Array.of(0x41, 0xa1), at)).toThrow(DeviceError);
  });

  it('never throws anything but DeviceError for random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (input) => {
        try {
          decodeScannedCode(input, at);
        } catch (error) {
          expect(error).toBeInstanceOf(DeviceError);
        }
      }),
    );
  });
});

describe('symbology guess', () => {
  it('calls a long opaque token a medical-insurance voucher', () => {
    expect(guessSymbology(makeVoucherToken(64))).toBe('medical-insurance-voucher');
  });

  it('recognises an EAN-13 drug barcode only with a valid check digit', () => {
    const first12 = '690123456789';
    const valid = first12 + ean13CheckDigit(first12);
    expect(guessSymbology(valid)).toBe('ean-13');
    expect(guessSymbology(first12 + ((ean13CheckDigit(first12) + 1) % 10))).toBe('unknown');
  });

  it('leaves specimen labels and short codes unknown, and spots URLs', () => {
    expect(guessSymbology('S2026112300017')).toBe('unknown');
    expect(guessSymbology('https://example.org/x')).toBe('url');
    expect(guessSymbology(`${makeVoucherToken(40)} with spaces`)).toBe('unknown');
  });
});
