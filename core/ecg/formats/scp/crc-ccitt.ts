/**
 * CRC-CCITT as SCP-ECG (EN 1064) uses it: polynomial 0x1021, initial value 0xFFFF, no reflection,
 * no final XOR ("CRC-16/CCITT-FALSE"; check value "123456789" → 0x29B1). Written here because it is
 * twelve lines and no dependency of the project provides it.
 */
const table = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let b = 0; b < 8; b++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

export function crcCcitt(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ (table[((crc >>> 8) ^ (bytes[i] as number)) & 0xff] as number);
  return crc;
}
