import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readWfdbAnnotations, readWfdbRecord, writeWfdbAnnotations, writeWfdbRecord, mitAnnotationCodes } from './index.ts';

const recordingArbitrary = (limit: number) =>
  fc.integer({ min: 1, max: 4 }).chain((leadCount) =>
    fc.integer({ min: 1, max: 60 }).chain((frames) =>
      fc.record({
        sampleRateHz: fc.constantFrom(250, 360, 500, 1000),
        resolutionUv: fc.constantFrom(1, 2.5, 4.88, 5),
        leads: fc.tuple(
          ...Array.from({ length: leadCount }, (_, i) =>
            fc.record({ lead: fc.constant(['MLII', 'V1', 'II', 'V5'][i] as string), samples: fc.array(fc.integer({ min: -limit, max: limit }), { minLength: frames, maxLength: frames }).map((a) => Int32Array.from(a)) }),
          ),
        ),
      }),
    ),
  );

describe('WFDB write → read keeps every sample (property)', () => {
  it('format 212, any lead count and odd or even sample totals', () => {
    fc.assert(
      fc.property(recordingArbitrary(2047), (recording) => {
        const written = writeWfdbRecord('p', recording, { format: 212 });
        const back = readWfdbRecord({ header: written.header, signalFiles: { 'p.dat': written.dat } });
        expect(back.recording.leads.map((l) => Array.from(l.samples))).toEqual(recording.leads.map((l) => Array.from(l.samples)));
        expect(back.recording.resolutionUv).toBeCloseTo(recording.resolutionUv, 9);
      }),
    );
  });

  it('format 16', () => {
    fc.assert(
      fc.property(recordingArbitrary(32767), (recording) => {
        const written = writeWfdbRecord('p', recording, { format: 16 });
        const back = readWfdbRecord({ header: written.header, signalFiles: { 'p.dat': written.dat } });
        expect(back.recording.leads.map((l) => Array.from(l.samples))).toEqual(recording.leads.map((l) => Array.from(l.samples)));
      }),
    );
  });

  it('annotations with any gaps (SKIP beyond 1023 samples), channels and aux text', () => {
    const codes = mitAnnotationCodes.filter((c) => c !== '');
    const annotation = fc.record({
      gap: fc.oneof(fc.integer({ min: 0, max: 1023 }), fc.integer({ min: 1024, max: 5_000_000 })),
      code: fc.constantFrom(...codes),
      chan: fc.integer({ min: 0, max: 3 }),
      subtype: fc.integer({ min: 0, max: 5 }),
      aux: fc.option(fc.string({ unit: fc.constantFrom(...'(NAFIB)VT'.split('')), maxLength: 12 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(annotation, { maxLength: 40 }), (list) => {
        let sample = 0;
        const input = list.map(({ gap, ...rest }) => ({ sample: (sample += gap), ...rest }));
        const back = readWfdbAnnotations(writeWfdbAnnotations(input));
        expect(back.map((a) => [a.sample, a.code, a.chan, a.subtype, a.aux ?? undefined])).toEqual(input.map((a) => [a.sample, a.code, a.chan, a.subtype, a.aux]));
      }),
    );
  });
});
