import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeDeviceMessage, encodeSamplePacket } from './codec.ts';
import { Cwecg8Framer } from './framer.ts';

const makePacket = (counter: number) =>
  encodeSamplePacket({ counter, leadOff: [], channels: Int32Array.from({ length: 8 }, (_, c) => (counter * 1000 + c) * (c % 2 ? -1 : 1)) });
const makeBlock = (seq: number, size: number) =>
  encodeDeviceMessage({ seq, transfer: { kind: 'block', seq, data: Uint8Array.from({ length: size }, (_, i) => (i * 7 + seq) & 0xff) } });
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));
const splitAt = (bytes: Uint8Array, sizes: number[]) => {
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]!);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
};
/** Frames found; a checksum report here would mean the framer cut a good frame wrongly. */
const feed = (framer: Cwecg8Framer, chunks: Uint8Array[]): Uint8Array[] =>
  chunks.flatMap((c) => framer.push(c)).map((item) => {
    if (item instanceof Uint8Array) return item;
    throw item;
  });

describe('CW-ECG8 framer', () => {
  it('reassembles packets and messages from reads cut anywhere, one byte at a time included', () => {
    const stream = concat(makePacket(1), makeBlock(1, 1024), makePacket(2), makePacket(3));
    for (const sizes of [[1], [7], [29, 31], [1023], [5000]]) {
      const frames = feed(new Cwecg8Framer(), splitAt(stream, sizes));
      expect(frames.map((f) => f.length)).toEqual([30, 1033, 30, 30]);
      expect(concat(...frames)).toEqual(stream);
    }
  });

  it('resynchronises on the next start byte after garbage that contains start and end bytes', () => {
    const framer = new Cwecg8Framer();
    const garbage = Uint8Array.of(0x13, 0xa0, 0x00, 0xc0, 0xa1, 0xff, 0xff, 0x00, 0xa0);
    const frames = feed(framer, [concat(garbage, makePacket(7), makePacket(8))]);
    expect(frames).toEqual([makePacket(7), makePacket(8)]);
    expect(framer.discardedBytes).toBe(garbage.length);
  });

  it('does not let a start byte in line noise swallow the real frame behind it', () => {
    // Noise A0, then a block whose 29th byte is C0: 30 bytes from the noise look like a packet.
    const data = Uint8Array.from({ length: 40 }, (_, i) => (i === 22 ? 0xc0 : i));
    const block = encodeDeviceMessage({ seq: 1, transfer: { kind: 'block', seq: 1, data } });
    expect(block[28]).toBe(0xc0);
    const items = new Cwecg8Framer().push(concat(Uint8Array.of(0xa0), block));
    expect(items.filter((i) => i instanceof Uint8Array)).toEqual([block]);
    expect(items[0]).toMatchObject({ code: 'bad-checksum' });
  });

  it('drops a packet cut short by the next one and keeps the following packets', () => {
    const frames = feed(new Cwecg8Framer(), [concat(makePacket(1).subarray(0, 17), makePacket(2), makePacket(3))]);
    expect(frames).toEqual([makePacket(2), makePacket(3)]);
  });

  it('finds every frame of any stream cut into any chunks, with garbage between them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.boolean(), fc.uint8Array({ maxLength: 6 })), { minLength: 1, maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }),
        (items, sizes) => {
          // Garbage without start bytes, so that every frame must be found whole.
          const frames = items.map(([n, isBlock]) => (isBlock ? makeBlock(n + 1, n + 1) : makePacket(n)));
          const parts = items.flatMap(([, , g], i) => [g.map((b) => (b === 0xa0 || b === 0xa1 ? 0x55 : b)), frames[i]!]);
          expect(feed(new Cwecg8Framer(), splitAt(concat(...parts), sizes))).toEqual(frames);
        },
      ),
    );
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), (chunks) => {
        const framer = new Cwecg8Framer();
        for (const chunk of chunks) framer.push(chunk);
      }),
    );
  });
});
