import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceError } from '../../core/contract/device-error.ts';
import { encodeIdentityText } from '../../core/identity/text-block.ts';
import { makePhotoWlt, makeResidentCard } from '../../tests/fixtures/id-card/builders.ts';
import { fromHex, realReplies } from '../../tests/fixtures/id-card/frames.ts';
import { decodeReply, encodeCardReadData, encodeReply } from './codec.ts';
import { Ga467Framer } from './framer.ts';

const { photoWlt: _p, ...text } = makeResidentCard();
const readReply = encodeReply(0x90, encodeCardReadData({ text: encodeIdentityText(text), photo: makePhotoWlt() }));
const findOk = fromHex(realReplies.findOk);
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('GA 467 framer', () => {
  it('reassembles the 1295-byte read reply delivered as 1024 + 271', () => {
    const framer = new Ga467Framer();
    expect(framer.push(readReply.subarray(0, 1024))).toEqual([]);
    expect(framer.pendingBytes).toBe(1024);
    expect(framer.push(readReply.subarray(1024))).toEqual([readReply]);
    expect(framer.pendingBytes).toBe(0);
  });

  it('finds the same two frames wherever the stream is cut into two reads', () => {
    const stream = concat(findOk, readReply);
    for (let cut = 0; cut <= stream.length; cut++) {
      const framer = new Ga467Framer();
      const frames = [...framer.push(stream.subarray(0, cut)), ...framer.push(stream.subarray(cut))];
      // Buffer.equals keeps 1300 comparisons of 1295 bytes fast; a mismatch still fails loudly.
      expect(frames.length === 2 && Buffer.from(frames[0]!).equals(findOk) && Buffer.from(frames[1]!).equals(readReply)).toBe(true);
    }
  });

  it('delivers frames fed one byte at a time', () => {
    const framer = new Ga467Framer();
    const frames = [...concat(findOk, findOk)].flatMap((b) => framer.push(Uint8Array.of(b)));
    expect(frames).toEqual([findOk, findOk]);
  });

  it('resynchronises on the preamble after garbage, including garbage that looks like a preamble start', () => {
    const garbage = Uint8Array.of(0x00, 0xaa, 0xaa, 0x13, 0xaa, 0xaa, 0xaa, 0x96, 0x69, 0xff, 0xff, 0x42);
    for (let cut = 0; cut <= garbage.length + findOk.length; cut++) {
      const framer = new Ga467Framer();
      const stream = concat(garbage, findOk);
      const frames = [...framer.push(stream.subarray(0, cut)), ...framer.push(stream.subarray(cut))];
      expect(frames).toEqual([findOk]);
      expect(framer.discardedBytes).toBe(garbage.length);
    }
  });

  it('never throws and only ever yields frames the codec can judge, whatever the bytes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const framer = new Ga467Framer();
        for (const chunk of chunks) {
          for (const frame of framer.push(chunk)) {
            try {
              decodeReply(frame);
            } catch (e) {
              if (!(e instanceof DeviceError)) return false;
            }
          }
        }
        return true;
      }),
    );
  });

  it('finds every real frame in random chunkings of a stream of frames mixed with garbage (property)', () => {
    const frame = fc.constantFrom(findOk, fromHex(realReplies.noCard), readReply);
    const noise = fc.uint8Array({ maxLength: 8 }).filter((b) => !b.includes(0xaa));
    fc.assert(
      fc.property(fc.array(fc.tuple(noise, frame), { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 1, max: 700 })), (parts, cuts) => {
        const stream = concat(...parts.flatMap(([n, f]) => [n, f]));
        const framer = new Ga467Framer();
        const frames: Uint8Array[] = [];
        let offset = 0;
        for (const size of [...cuts, stream.length]) {
          frames.push(...framer.push(stream.subarray(offset, offset + size)));
          offset += size;
          if (offset >= stream.length) break;
        }
        expect(frames).toEqual(parts.map(([, f]) => f));
      }),
    );
  });
});
