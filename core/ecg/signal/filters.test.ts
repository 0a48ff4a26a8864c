import { describe, expect, it } from 'vitest';
import { conditionEcg, lowPassFilter, notchFilter, removeBaselineWander } from './filters.ts';

const makeSine = (hz: number, sampleRateHz: number, seconds: number, amplitude = 1000): Float64Array =>
  Float64Array.from({ length: Math.round(seconds * sampleRateHz) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRateHz));

/** Gain in dB over the middle of the strip (the ends are judged separately). */
const gainDb = (input: Float64Array, output: Float64Array): number => {
  const from = Math.floor(input.length / 4);
  const to = Math.floor((3 * input.length) / 4);
  let pin = 0;
  let pout = 0;
  for (let i = from; i < to; i++) {
    pin += (input[i] as number) ** 2;
    pout += (output[i] as number) ** 2;
  }
  return 10 * Math.log10(pout / pin);
};

describe('baseline-wander removal (0.5 Hz zero-phase high-pass)', () => {
  it('removes breathing-rate wander (0.2 Hz) by more than 25 dB and keeps the P/T-wave band (5 Hz) within 0.1 dB', () => {
    for (const fs of [250, 500, 1000]) {
      const wander = makeSine(0.2, fs, 40);
      expect(gainDb(wander, removeBaselineWander(wander, fs))).toBeLessThan(-25);
      const tWave = makeSine(5, fs, 10);
      expect(Math.abs(gainDb(tWave, removeBaselineWander(tWave, fs)))).toBeLessThan(0.1);
    }
  });

  it('takes away a constant electrode offset, even at the very start of the strip', () => {
    const fs = 500;
    const offset = Float64Array.from({ length: 5000 }, () => 3000);
    const out = removeBaselineWander(offset, fs);
    expect(Math.max(...out.map(Math.abs))).toBeLessThan(1);
  });

  it('does not shift a narrow bump in time (zero phase)', () => {
    const fs = 360;
    const bump = Float64Array.from({ length: 3600 }, (_, i) => 1000 * Math.exp(-(((i - 1800) / 8) ** 2)));
    const out = removeBaselineWander(bump, fs);
    let peak = 0;
    for (let i = 1; i < out.length; i++) if ((out[i] as number) > (out[peak] as number)) peak = i;
    expect(peak).toBe(1800);
  });
});

describe('mains notch', () => {
  it('attenuates 50 Hz hum by more than 40 dB and passes 10 Hz within 0.1 dB', () => {
    for (const fs of [250, 360, 500, 1000]) {
      const hum = makeSine(50, fs, 10);
      expect(gainDb(hum, notchFilter(hum, fs))).toBeLessThan(-40);
      const qrsBand = makeSine(10, fs, 10);
      expect(Math.abs(gainDb(qrsBand, notchFilter(qrsBand, fs)))).toBeLessThan(0.1);
    }
  });

  it('can be set to 60 Hz mains', () => {
    const hum = makeSine(60, 500, 10);
    expect(gainDb(hum, notchFilter(hum, 500, 60))).toBeLessThan(-40);
  });
});

describe('low-pass (40 Hz zero-phase)', () => {
  it('passes 10 Hz within 0.1 dB and cuts 100 Hz muscle noise by more than 30 dB', () => {
    for (const fs of [360, 500, 1000]) {
      const qrsBand = makeSine(10, fs, 10);
      expect(Math.abs(gainDb(qrsBand, lowPassFilter(qrsBand, fs)))).toBeLessThan(0.1);
      const emg = makeSine(100, fs, 10);
      expect(gainDb(emg, lowPassFilter(emg, fs))).toBeLessThan(-30);
    }
  });

  it('leaves a signal unchanged when the cutoff is above the Nyquist frequency', () => {
    const x = makeSine(10, 50, 4);
    expect(Array.from(lowPassFilter(x, 50))).toEqual(Array.from(x));
  });
});

describe('conditioning chain', () => {
  it('recovers a 10 Hz component from a mix of wander, hum and muscle noise', () => {
    const fs = 500;
    const wanted = makeSine(10, fs, 20, 500);
    const mix = wanted.map((v, i) => v + 2000 * Math.sin((2 * Math.PI * 0.15 * i) / fs) + 300 * Math.sin((2 * Math.PI * 50 * i) / fs) + 200 * Math.sin((2 * Math.PI * 120 * i) / fs));
    const out = conditionEcg(mix, fs);
    let worst = 0;
    for (let i = 2000; i < 8000; i++) worst = Math.max(worst, Math.abs((out[i] as number) - (wanted[i] as number)));
    expect(worst).toBeLessThan(25); // under 5 % of the wanted 500 µV
  });

  it('rejects a cutoff above the Nyquist frequency for the high-pass', () => {
    expect(() => removeBaselineWander(new Float64Array(10), 100, 60)).toThrow(RangeError);
  });
});
