import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeviceError } from '../../core/contract/device-error.ts';
import { sleep } from '../../tests/integration/devices-insurance-barcode/event-log.ts';
import { encodeScan, type ScannerSuffix } from './codec.ts';
import { ScanFramer, type ScanFramerOptions } from './framer.ts';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const ascii = (s: string) => new TextEncoder().encode(s);

function makeFramer(options: Partial<ScanFramerOptions> = {}) {
  const codes: string[] = [];
  const errors: DeviceError[] = [];
  const framer = new ScanFramer(
    { suffix: 'cr', interByteTimeoutMs: 30, maxCodeBytes: 4296, incompleteTimeoutMs: 200, ...options },
    { code: (b) => codes.push(text(b)), error: (e) => errors.push(e) },
  );
  return { framer, codes, errors };
}

/** Lets stream callbacks run. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe.each<ScannerSuffix>(['cr', 'crlf'])('ScanFramer with suffix %s', (suffix) => {
  it('puts together a code that arrives one byte at a time', async () => {
    const { framer, codes } = makeFramer({ suffix });
    for (const byte of encodeScan('S20261123-0042', suffix)) framer.push(Uint8Array.of(byte));
    await tick();
    expect(codes).toEqual(['S20261123-0042']);
    framer.dispose();
  });

  it('keeps a several-hundred-byte insurance QR string whole', async () => {
    const { framer, codes } = makeFramer({ suffix });
    const long = 'Q'.repeat(900);
    framer.push(encodeScan(long, suffix));
    await tick();
    expect(codes).toEqual([long]);
    framer.dispose();
  });

  it('drops a code over the cap with scan-too-long, and the next code still comes through', async () => {
    const { framer, codes, errors } = makeFramer({ suffix, maxCodeBytes: 100 });
    const stream = encodeScan('X'.repeat(150), suffix);
    for (let i = 0; i < stream.length; i += 40) framer.push(stream.subarray(i, i + 40));
    framer.push(encodeScan('OK-1', suffix));
    await tick();
    expect(errors.map((e) => e.code)).toEqual(['scan-too-long']);
    expect(codes).toEqual(['OK-1']);
    framer.dispose();
  });

  it('reports a code whose suffix never comes (scanner set to another suffix) and recovers', async () => {
    const { framer, codes, errors } = makeFramer({ suffix, incompleteTimeoutMs: 60 });
    framer.push(ascii('NO-SUFFIX'));
    await sleep(120);
    framer.push(encodeScan('NEXT', suffix));
    await tick();
    expect(errors.map((e) => e.code)).toEqual(['scan-incomplete']);
    expect(codes).toEqual(['NEXT']);
    framer.dispose();
  });

  it('returns exactly the codes scanned, however the stream is cut', async () => {
    const code = fc.stringMatching(/^[A-Za-z0-9\-_]{1,120}$/);
    await fc.assert(
      fc.asyncProperty(fc.array(code, { maxLength: 8 }), fc.array(fc.nat(2000)), async (scans, rawCuts) => {
        const { framer, codes, errors } = makeFramer({ suffix });
        const stream = Uint8Array.from(scans.flatMap((s) => Array.from(encodeScan(s, suffix))));
        const cuts = rawCuts.map((c) => c % (stream.length + 1)).sort((a, b) => a - b);
        let from = 0;
        for (const cut of [...cuts, stream.length]) {
          framer.push(stream.subarray(from, Math.max(from, cut)));
          from = Math.max(from, cut);
        }
        await tick();
        framer.dispose();
        expect(errors).toEqual([]);
        expect(codes).toEqual(scans);
      }),
      { numRuns: 60 },
    );
  });

  it('never throws on random bytes and reports only DeviceErrors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 8 }), async (chunks) => {
        const { framer, errors } = makeFramer({ suffix, maxCodeBytes: 64 });
        for (const chunk of chunks) framer.push(chunk);
        await tick();
        framer.dispose();
        for (const error of errors) expect(error).toBeInstanceOf(DeviceError);
      }),
      { numRuns: 60 },
    );
  });
});

describe('ScanFramer with no suffix (inter-byte timeout)', () => {
  it('ends a code after a pause, and keeps bursts closer than the timeout together', async () => {
    const { framer, codes } = makeFramer({ suffix: 'none', interByteTimeoutMs: 120 });
    framer.push(ascii('ABC'));
    await sleep(10);
    framer.push(ascii('DEF'));
    await sleep(300);
    framer.push(ascii('GHI'));
    await sleep(300);
    expect(codes).toEqual(['ABCDEF', 'GHI']);
    framer.dispose();
  });

  it('drops a code over the cap instead of splitting it into two', async () => {
    const { framer, codes, errors } = makeFramer({ suffix: 'none', interByteTimeoutMs: 30, maxCodeBytes: 50 });
    framer.push(ascii('Y'.repeat(120)));
    await sleep(80);
    framer.push(ascii('SHORT'));
    await sleep(80);
    expect(errors.map((e) => e.code)).toEqual(['scan-too-long']);
    expect(codes).toEqual(['SHORT']);
    framer.dispose();
  });
});
