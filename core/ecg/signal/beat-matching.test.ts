import { describe, expect, it } from 'vitest';
import { scoreBeatDetection } from './beat-matching.ts';

const fs = 360;
const beatsEvery = (rrSamples: number, count: number, first = 100): number[] => Array.from({ length: count }, (_, i) => first + i * rrSamples);

describe('beat-by-beat scoring (ANSI/AAMI EC57 rule: a match lies within 150 ms)', () => {
  it('counts a detection 149 ms from its beat as a match and one 151 ms away as a miss plus a false beat', () => {
    const reference = [1000];
    const near = scoreBeatDetection(reference, [1000 + Math.floor(0.149 * fs)], fs);
    expect([near.truePositives, near.falseNegatives, near.falsePositives]).toEqual([1, 0, 0]);
    const far = scoreBeatDetection(reference, [1000 + Math.ceil(0.151 * fs)], fs);
    expect([far.truePositives, far.falseNegatives, far.falsePositives]).toEqual([0, 1, 1]);
  });

  it('reports sensitivity and positive predictivity for a detector that misses one beat and adds one', () => {
    const reference = beatsEvery(300, 10);
    const detected = [...reference.filter((_, i) => i !== 4), 100 + 4 * 300 + 150];
    const score = scoreBeatDetection(reference, detected, fs);
    // The extra detection sits 150 samples (417 ms) from any beat, so it cannot stand in for the missed one.
    expect(score.sensitivity).toBeCloseTo(9 / 10);
    expect(score.positivePredictivity).toBeCloseTo(9 / 10);
    expect(score.missed).toEqual([1300]);
    expect(score.extra).toEqual([1450]);
  });

  it('matches each beat once: a double detection of one beat counts as one false positive', () => {
    const score = scoreBeatDetection([1000, 1300], [998, 1004, 1301], fs);
    expect([score.truePositives, score.falsePositives, score.falseNegatives]).toEqual([2, 1, 0]);
    expect(score.extra).toEqual([1004]);
  });

  it('measures the timing error of matched detections in milliseconds', () => {
    const score = scoreBeatDetection([1000, 2000], [1009, 1991], fs);
    expect(score.meanTimingErrorMs).toBeCloseTo(25);
  });

  it('leaves out beats and detections outside the scored span', () => {
    const score = scoreBeatDetection([50, 1000, 2000], [1000, 2000, 2500], fs, { fromSample: 100, toSample: 2400 });
    expect([score.truePositives, score.falseNegatives, score.falsePositives]).toEqual([2, 0, 0]);
  });
});
