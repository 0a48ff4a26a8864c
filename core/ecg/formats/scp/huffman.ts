/**
 * SCP-ECG Huffman coding (EN 1064 section 2 and the default table of its annex).
 * A table is a list of code structures: prefix bits, total bits, mode switch, base value, base code.
 * A code whose total exceeds its prefix is followed by (total − prefix) bits holding the value itself
 * as a two's-complement number. Mode switch 0 means "switch to table <base value>". Bits are read
 * most significant first. Section 2 stores base codes bit-reversed (least significant bit = first bit).
 */
import { EcgFormatError } from '../format-error.ts';

export interface HuffmanCode {
  prefixBits: number;
  totalBits: number;
  /** 1: a value; 0: switch to table number `baseValue` (1-based). */
  modeSwitch: number;
  baseValue: number;
  /** The prefix as read from the stream, first bit most significant. */
  code: number;
}
export type HuffmanTable = HuffmanCode[];

/** The default table (section 2 value 19999): 0 → "0"; ±k (k = 1…8) → k ones, a zero, a sign bit; escapes for 8 and 16 bits. */
export const defaultHuffmanTable: HuffmanTable = (() => {
  const codes: HuffmanCode[] = [{ prefixBits: 1, totalBits: 1, modeSwitch: 1, baseValue: 0, code: 0 }];
  for (let k = 1; k <= 8; k++) {
    const ones = (1 << k) - 1;
    codes.push({ prefixBits: k + 2, totalBits: k + 2, modeSwitch: 1, baseValue: k, code: (ones << 2) | 0b00 });
    codes.push({ prefixBits: k + 2, totalBits: k + 2, modeSwitch: 1, baseValue: -k, code: (ones << 2) | 0b01 });
  }
  codes.push({ prefixBits: 10, totalBits: 18, modeSwitch: 1, baseValue: 0, code: 0x3fe });
  codes.push({ prefixBits: 10, totalBits: 26, modeSwitch: 1, baseValue: 0, code: 0x3ff });
  return codes;
})();

/** Section 2 stores base codes with the first bit in the least significant position. */
export function reverseBits(value: number, bits: number): number {
  let out = 0;
  for (let i = 0; i < bits; i++) out = (out << 1) | ((value >>> i) & 1);
  return out >>> 0;
}

interface Lookup {
  maxPrefix: number;
  /** byPrefix[length] maps a code of that length to its structure. */
  byPrefix: Array<Map<number, HuffmanCode>>;
}

function lookupFor(table: HuffmanTable, context: string): Lookup {
  const byPrefix: Array<Map<number, HuffmanCode>> = [];
  let maxPrefix = 0;
  for (const c of table) {
    if (c.prefixBits < 1 || c.prefixBits > 32 || c.totalBits < c.prefixBits || c.totalBits - c.prefixBits > 32) {
      throw new EcgFormatError('SCP_BAD_STRUCTURE', `${context}: Huffman code with ${c.prefixBits} prefix / ${c.totalBits} total bits`);
    }
    (byPrefix[c.prefixBits] ??= new Map()).set(c.code, c);
    maxPrefix = Math.max(maxPrefix, c.prefixBits);
  }
  return { maxPrefix, byPrefix };
}

/** Decodes `count` values from a bit stream. Throws SCP_HUFFMAN_CORRUPT on an unknown code or early end. */
export function decodeHuffman(data: Uint8Array, count: number, tables: HuffmanTable[], context: string): Int32Array {
  const lookups = tables.map((t, i) => lookupFor(t, `${context}, Huffman table ${i + 1}`));
  let lookup = lookups[0];
  if (!lookup) throw new EcgFormatError('SCP_BAD_STRUCTURE', `${context}: no Huffman table`);
  const out = new Int32Array(count);
  const totalBits = data.length * 8;
  let bit = 0;
  const readBit = () => {
    if (bit >= totalBits) throw new EcgFormatError('SCP_HUFFMAN_CORRUPT', `${context}: data end after ${n} of ${count} samples`);
    const b = ((data[bit >>> 3] as number) >>> (7 - (bit & 7))) & 1;
    bit++;
    return b;
  };
  let n = 0;
  let switches = 0;
  while (n < count) {
    let code = 0;
    let match: HuffmanCode | undefined;
    for (let length = 1; length <= lookup.maxPrefix; length++) {
      code = ((code << 1) | readBit()) >>> 0;
      match = lookup.byPrefix[length]?.get(code);
      if (match) break;
    }
    if (!match) throw new EcgFormatError('SCP_HUFFMAN_CORRUPT', `${context}: no code matches at bit ${bit} (sample ${n})`);
    if (match.modeSwitch === 0) {
      const next = lookups[match.baseValue - 1];
      // A table switch consumes no sample; bound them so a cyclic corrupt stream cannot spin.
      if (!next || ++switches > totalBits) throw new EcgFormatError('SCP_HUFFMAN_CORRUPT', `${context}: switch to missing table ${match.baseValue}`);
      lookup = next;
      continue;
    }
    const extra = match.totalBits - match.prefixBits;
    if (extra > 0) {
      let v = 0;
      for (let i = 0; i < extra; i++) v = v * 2 + readBit();
      out[n++] = v >= 2 ** (extra - 1) ? v - 2 ** extra : v; // two's complement
    } else {
      out[n++] = match.baseValue;
    }
  }
  return out;
}

/** Encodes values with the default table (the writer's only table). Values must fit 16 bits. */
export function encodeDefaultHuffman(values: Int32Array): Uint8Array {
  const out = new Uint8Array(Math.ceil((values.length * 26) / 8) + 1);
  let bit = 0;
  const put = (value: number, bits: number) => {
    for (let i = bits - 1; i >= 0; i--) {
      if ((value >>> i) & 1) out[bit >>> 3] = (out[bit >>> 3] as number) | (0x80 >>> (bit & 7));
      bit++;
    }
  };
  for (const v of values) {
    const a = Math.abs(v);
    if (v === 0) put(0, 1);
    else if (a <= 8) put((((1 << a) - 1) << 2) | (v < 0 ? 1 : 0), a + 2);
    else if (v >= -128 && v <= 127) {
      put(0x3fe, 10);
      put(v & 0xff, 8);
    } else if (v >= -32768 && v <= 32767) {
      put(0x3ff, 10);
      put(v & 0xffff, 16);
    } else {
      throw new EcgFormatError('SAMPLE_OUT_OF_RANGE', `${v} does not fit the 16-bit escape of the default Huffman table`);
    }
  }
  return out.slice(0, Math.ceil(bit / 8));
}
