/**
 * Draws the app icon (build/icons/icon.png, 512×512 RGBA): a green rounded square with a white
 * medical cross and an ECG trace. electron-builder makes the Windows .ico and the Linux icon sizes
 * from this one PNG. Written by hand because no image tool here can draw it (the system `convert` is
 * a stand-in) and a PNG is only a zlib stream with three CRC-checked chunks (PNG spec, ISO/IEC 15948).
 * Deterministic: the same code always writes the same bytes, so the committed icon can be checked.
 *
 *   npx tsx build/scripts/make-icon.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { projectRoot } from '../demo/renderer-build.ts';

export const iconSize = 512;
export const iconPath = path.join(projectRoot, 'build', 'icons', 'icon.png');

type Rgba = readonly [number, number, number, number];
const green: Rgba = [22, 128, 96, 255];
const white: Rgba = [255, 255, 255, 255];
const red: Rgba = [214, 48, 49, 255];
const clear: Rgba = [0, 0, 0, 0];

/** Distance from (x, y) to the segment a–b. */
function segmentDistance(x: number, y: number, [ax, ay]: readonly number[], [bx, by]: readonly number[]): number {
  const dx = (bx ?? 0) - (ax ?? 0);
  const dy = (by ?? 0) - (ay ?? 0);
  const t = Math.max(0, Math.min(1, ((x - (ax ?? 0)) * dx + (y - (ay ?? 0)) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ((ax ?? 0) + t * dx), y - ((ay ?? 0) + t * dy));
}

/** An ECG complex across the lower part of the icon (P wave, QRS, T wave), in icon coordinates. */
const ecgTrace = [
  [60, 400], [150, 400], [170, 385], [190, 400], [220, 400], [235, 420], [256, 330], [277, 440], [292, 400], [330, 400], [355, 375], [380, 400], [452, 400],
] as const;

function pixel(x: number, y: number, size: number): Rgba {
  const s = size / 512;
  const [px, py] = [(x + 0.5) / s, (y + 0.5) / s];
  // Rounded square, corner radius 96.
  const r = 96;
  const cx = Math.min(Math.max(px, 16 + r), 496 - r);
  const cy = Math.min(Math.max(py, 16 + r), 496 - r);
  if (Math.hypot(px - cx, py - cy) > r) return clear;
  for (let i = 1; i < ecgTrace.length; i++) {
    if (segmentDistance(px, py, ecgTrace[i - 1] as readonly number[], ecgTrace[i] as readonly number[]) < 9) return red;
  }
  // The cross, centred a little above the middle.
  const inVertical = Math.abs(px - 256) < 48 && py > 72 && py < 328;
  const inHorizontal = Math.abs(py - 200) < 48 && px > 128 && px < 384;
  return inVertical || inHorizontal ? white : green;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export function drawIconPng(size = iconSize): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, size);
  view.setUint32(4, size);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit depth, colour type 6 (RGBA), deflate, no filter, no interlace
  const raw = new Uint8Array(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1); // each row starts with filter type 0 (none)
    for (let x = 0; x < size; x++) raw.set(pixel(x, y, size), row + 1 + x * 4);
  }
  const signature = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const parts = [signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array())];
  const png = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    png.set(part, offset);
    offset += part.length;
  }
  return png;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(iconPath, drawIconPng());
  console.log(`Icon written: ${iconPath}`);
}
