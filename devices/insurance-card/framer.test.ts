import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceError } from '../../core/contract/device-error.ts';
import { encodeReaderFrame, MAX_FRAME_BODY, FRAME_OVERHEAD, type ReaderFrame } from './codec.ts';
import { ReaderFramer, type FramerEvent } from './framer.ts';

const bytes = (hex: string) => Uint8Array.from(hex.trim().split(/\s+/), (h) => parseInt(h, 16));
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));
const frameOf = (command: number, hex: string) => encodeReaderFrame({ command, data: bytes(hex) });
const framesIn = (events: FramerEvent[]) => events.flatMap((e) => (e.type === 'frame' ? [e.frame] : []));
const errorsIn = (events: FramerEvent[]) => events.flatMap((e) => (e.type === 'error' ? [e.error] : []));

/** Feeds `input` cut into pieces at `cuts` (sorted offsets). */
function feed(framer: ReaderFramer, input: Uint8Array, cuts: number[] = []): FramerEvent[] {
  const events: FramerEvent[] = [];
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    events.push(...framer.push(input.subarray(from, Math.max(from, cut))));
    from = Math.max(from, cut);
  }
  return events;
}

describe('ReaderFramer', () => {
  it('reassembles a reply that arrives one byte at a time', () => {
    const frame = frameOf(0x32, '00 90 00');
    const cuts = Array.from({ length: frame.length }, (_, i) => i);
    expect(framesIn(feed(new ReaderFramer(), frame, cuts))).toEqual([{ command: 0x32, data: bytes('00 90 00') }]);
  });

  it('finds two replies in one read', () => {
    const events = feed(new ReaderFramer(), concat(frameOf(0x33, '00 01'), frameOf(0x30, '00 3B 6C')));
    expect(framesIn(events).map((f) => f.command)).toEqual([0x33, 0x30]);
  });

  it('skips line noise before STX', () => {
    const events = feed(new ReaderFramer(), concat(bytes('FF 00 55 AA'), frameOf(0x33, '00 00')));
    expect(framesIn(events)).toEqual([{ command: 0x33, data: bytes('00 00') }]);
  });

  it('does not let a noise STX announcing a long frame swallow the real reply behind it', () => {
    const noise = bytes('02 01 20 32 AA 03');
    const framer = new ReaderFramer();
    const events = feed(framer, concat(noise, frameOf(0x32, '00 61 1E')), [3, 8, 11]);
    expect(framesIn(events)).toEqual([{ command: 0x32, data: bytes('00 61 1E') }]);
    expect(framer.pendingBytes).toBe(0);
  });

  it('reports a corrupt reply as bad-checksum and still finds the next one', () => {
    const corrupt = frameOf(0x32, '00 90 00');
    corrupt[corrupt.length - 2]! ^= 0xff;
    const events = feed(new ReaderFramer(), concat(corrupt, frameOf(0x31, '00')));
    expect(errorsIn(events).map((e) => e.code)).toEqual(['bad-checksum']);
    expect(framesIn(events).map((f) => f.command)).toEqual([0x31]);
  });

  it('holds a half reply and says how long the whole one should be', () => {
    const frame = frameOf(0x32, '00 90 00');
    const framer = new ReaderFramer();
    expect(feed(framer, frame.subarray(0, 5))).toEqual([]);
    expect(framer.pendingBytes).toBe(5);
    expect(framer.pendingFrameLength).toBe(frame.length);
  });

  const arbitraryFrame: fc.Arbitrary<ReaderFrame> = fc.record({
    command: fc.integer({ min: 0, max: 255 }),
    data: fc.uint8Array({ maxLength: 80 }),
  });

  it('returns exactly the frames sent, however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(arbitraryFrame, { maxLength: 6 }), fc.array(fc.nat(600)), (frames, rawCuts) => {
        const stream = concat(...frames.map(encodeReaderFrame));
        const cuts = rawCuts.map((c) => c % (stream.length + 1)).sort((a, b) => a - b);
        const events = feed(new ReaderFramer(), stream, cuts);
        expect(errorsIn(events)).toEqual([]);
        expect(framesIn(events)).toEqual(frames);
      }),
    );
  });

  it('never throws on random bytes, reports only DeviceErrors and keeps its buffer bounded', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 10 }), (chunks) => {
        const framer = new ReaderFramer();
        for (const chunk of chunks) {
          const events = framer.push(chunk);
          for (const error of errorsIn(events)) expect(error).toBeInstanceOf(DeviceError);
          expect(framer.pendingBytes).toBeLessThan(MAX_FRAME_BODY + FRAME_OVERHEAD);
        }
      }),
    );
  });

  it('finds a real reply after random noise that holds no STX', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), arbitraryFrame, (noise, frame) => {
        const clean = noise.filter((b) => b !== 0x02);
        expect(framesIn(feed(new ReaderFramer(), concat(clean, encodeReaderFrame(frame))))).toEqual([frame]);
      }),
    );
  });
});
