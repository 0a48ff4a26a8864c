import { describe, expect, it } from 'vitest';
import { caliperReading, clampMarker } from './calipers.ts';
import { CSS_PX_PER_MM, calibrationPulse, gridLines, microvoltsToPx, pxToSeconds, secondsToPx, standardScale } from './paper-grid.ts';
import { LeadRingBuffer } from './ring-buffer.ts';
import { reviewPaperMm } from './tracing.ts';

describe('paper grid geometry', () => {
  it('puts 1 mm lines every pxPerMm and makes every fifth one a 5 mm line', () => {
    const { minor, major } = gridLines(40, 4); // 10 mm of paper at 4 px/mm
    expect(major).toEqual([0, 20, 40]);
    expect(minor).toEqual([4, 8, 12, 16, 24, 28, 32, 36]);
  });

  it('draws one second as 25 mm and 1 mV as 10 mm at standard speed and gain', () => {
    const scale = standardScale(4);
    expect(secondsToPx(1, scale)).toBe(100);
    expect(microvoltsToPx(1000, scale)).toBe(40);
    expect(pxToSeconds(100, scale)).toBe(1);
    expect(calibrationPulse(scale)).toEqual({ widthPx: 20, heightPx: 40 });
  });

  it('halves and doubles the paper for 12.5/50 mm/s and 5/20 mm/mV', () => {
    expect(secondsToPx(1, { speedMmPerS: 12.5, gainMmPerMv: 5, pxPerMm: 4 })).toBe(50);
    expect(secondsToPx(1, { speedMmPerS: 50, gainMmPerMv: 20, pxPerMm: 4 })).toBe(200);
    expect(microvoltsToPx(1000, { speedMmPerS: 25, gainMmPerMv: 20, pxPerMm: 4 })).toBe(80);
  });

  it('sizes the printed report at true paper scale: 96 CSS px per inch', () => {
    expect(CSS_PX_PER_MM * 25.4).toBeCloseTo(96, 9);
    expect(reviewPaperMm({ speedMmPerS: 25, gainMmPerMv: 10 })).toEqual({ widthMm: 260, heightMm: 100, rowMm: 25, marginMm: 10 });
  });
});

describe('calipers', () => {
  it('reads 800 ms and 75 /min across 20 mm at 25 mm/s', () => {
    const scale = standardScale(4);
    expect(caliperReading(100, 180, scale)).toEqual({ deltaMs: 800, rateBpm: 75 });
    expect(caliperReading(180, 100, scale)).toEqual({ deltaMs: 800, rateBpm: 75 });
  });

  it('gives no rate for markers on top of each other and keeps markers on the tracing', () => {
    expect(caliperReading(50, 50, standardScale(4))).toEqual({ deltaMs: 0, rateBpm: null });
    expect(clampMarker(-10, 500)).toBe(0);
    expect(clampMarker(900, 500)).toBe(500);
  });
});

describe('live ring buffer', () => {
  it('keeps the newest samples of each lead at their stream index, dropping the oldest', () => {
    const buffer = new LeadRingBuffer(['I', 'II'], 5);
    buffer.write(0, { I: [1, 2, 3], II: [10, 20, 30] });
    buffer.write(3, { I: [4, 5, 6], II: [40, 50, 60] });
    expect(buffer.end).toBe(6);
    expect(buffer.start).toBe(1);
    expect([1, 2, 3, 4, 5].map((i) => buffer.at(0, i))).toEqual([2, 3, 4, 5, 6]);
    expect(buffer.at(1, 5)).toBe(60);
    expect(buffer.at(0, 0)).toBeNaN(); // overwritten
  });

  it('leaves a gap (NaN) where lost packets were due, so no line is drawn across it', () => {
    const buffer = new LeadRingBuffer(['II'], 10);
    buffer.write(0, { II: [1, 2] });
    buffer.write(4, { II: [5, 6] });
    expect([0, 1, 2, 3, 4, 5].map((i) => buffer.at(0, i))).toEqual([1, 2, NaN, NaN, 5, 6]);
  });

  it('starts over when the device restarts its stream from index 0 (a new rhythm or rate)', () => {
    const buffer = new LeadRingBuffer(['II'], 4);
    buffer.write(0, { II: [1, 2, 3] });
    buffer.write(3, { II: [4, 5, 6] });
    buffer.write(0, { II: [9] });
    expect(buffer.end).toBe(1);
    expect(buffer.at(0, 0)).toBe(9);
    expect(buffer.at(0, 3)).toBeNaN();
  });

  it('starts a new stream at its own first index after clear', () => {
    const buffer = new LeadRingBuffer(['II'], 4);
    buffer.write(100, { II: [7] });
    expect(buffer.at(0, 100)).toBe(7);
    buffer.clear();
    buffer.write(0, { II: [8] });
    expect(buffer.end).toBe(1);
    expect(buffer.at(0, 0)).toBe(8);
  });
});
