/**
 * Test-data builders for scanners. The real 医保电子凭证 payload is opaque (docs/protocols.md §2); this
 * builds a token of the same shape (URL-safe characters, several hundred long), deterministic by seed.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function makeVoucherToken(length = 420, seed = 7): string {
  let x = seed >>> 0 || 1;
  let out = '';
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += ALPHABET[(x >>> 0) % ALPHABET.length];
  }
  return out;
}
