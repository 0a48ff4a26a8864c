import { describe, expect, it } from 'vitest';
import { intervalMs, percentile, summariseGroup, summariseTurnaround } from './aggregate.ts';
import type { StudyTurnaround } from '../../protocol/turnaround.ts';

const MIN = 60_000;
const t0 = Date.parse('2026-11-20T08:00:00.000Z');
const at = (minutes: number) => new Date(t0 + minutes * MIN).toISOString();

/** A study captured at minute 0 whose later events happened `received`, `opened`, `signed` minutes later (null: not yet). */
const makeStudy = (
  minutes: { captured?: number; received?: number | null; opened?: number | null; signed?: number | null },
  overrides: Partial<StudyTurnaround> = {},
): StudyTurnaround => ({
  studyId: `s-${Math.random().toString(36).slice(2)}`,
  clinicId: 'chengguan',
  priority: 'urgent',
  capturedAt: at(minutes.captured ?? 0),
  receivedAt: minutes.received == null ? null : at(minutes.received),
  openedAt: minutes.opened == null ? null : at(minutes.opened),
  signedAt: minutes.signed == null ? null : at(minutes.signed),
  ...overrides,
});

describe('percentile (linear between nearest ranks, as percentile_cont)', () => {
  it('gives the middle value, or the mean of the two middle values, as the median', () => {
    expect(percentile([5], 50)).toBe(5);
    expect(percentile([1, 2, 3], 50)).toBe(2);
    expect(percentile([10, 20], 50)).toBe(15);
  });

  it('interpolates p90 between the ranks around it', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBeCloseTo(9.1, 10);
    expect(percentile([0, 100], 90)).toBe(90);
  });

  it('returns the extremes at p0 and p100 and nothing for no values', () => {
    expect(percentile([3, 7, 9], 0)).toBe(3);
    expect(percentile([3, 7, 9], 100)).toBe(9);
    expect(percentile([], 50)).toBeNull();
  });

  it('refuses a percentile outside 0..100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('turnaround intervals of one study', () => {
  it('measures each step of captured → received → opened → signed', () => {
    const s = makeStudy({ received: 2, opened: 5, signed: 9 });
    expect(intervalMs(s, 'capturedToReceived')).toBe(2 * MIN);
    expect(intervalMs(s, 'receivedToOpened')).toBe(3 * MIN);
    expect(intervalMs(s, 'openedToSigned')).toBe(4 * MIN);
    expect(intervalMs(s, 'receivedToSigned')).toBe(7 * MIN);
    expect(intervalMs(s, 'capturedToSigned')).toBe(9 * MIN);
  });

  it('leaves out steps not reached yet', () => {
    const s = makeStudy({ received: 2 });
    expect(intervalMs(s, 'capturedToReceived')).toBe(2 * MIN);
    expect(intervalMs(s, 'receivedToOpened')).toBeNull();
    expect(intervalMs(s, 'capturedToSigned')).toBeNull();
  });

  it('leaves out an interval made negative by a clinic clock running ahead, and counts it as skewed', () => {
    const skewed = makeStudy({ captured: 30, received: 2, opened: 3, signed: 6 });
    expect(intervalMs(skewed, 'capturedToReceived')).toBeNull();
    expect(intervalMs(skewed, 'receivedToSigned')).toBe(4 * MIN); // hub-clock intervals are unaffected
    const group = summariseGroup([skewed, makeStudy({ received: 1 })]);
    expect(group.clockSkewed).toBe(1);
    expect(group.intervals.capturedToReceived.count).toBe(1);
  });
});

describe('turnaround summary', () => {
  it('gives median and p90 per interval, counting only studies that reached both ends', () => {
    const studies = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((m) => makeStudy({ received: 1, opened: 1 + m, signed: 1 + m + 5 }));
    studies.push(makeStudy({ received: 1 })); // waiting: counted as a study, not in the reading intervals
    const group = summariseGroup(studies);
    expect(group).toMatchObject({ studies: 11, signed: 10, clockSkewed: 0 });
    expect(group.intervals.receivedToOpened).toEqual({ count: 10, medianMs: 5.5 * MIN, p90Ms: 9.1 * MIN });
    expect(group.intervals.openedToSigned).toEqual({ count: 10, medianMs: 5 * MIN, p90Ms: 5 * MIN });
    expect(group.intervals.capturedToReceived).toEqual({ count: 11, medianMs: MIN, p90Ms: MIN });
  });

  it('splits by priority and by clinic, naming clinics, and lists the newest studies first', () => {
    const studies = [
      makeStudy({ captured: 0, received: 1, opened: 2, signed: 4 }, { clinicId: 'chengguan', priority: 'urgent' }),
      makeStudy({ captured: 10, received: 12, opened: 40, signed: 60 }, { clinicId: 'chengguan', priority: 'routine' }),
      makeStudy({ captured: 20, received: 25, opened: 26, signed: 30 }, { clinicId: 'hekou', priority: 'urgent' }),
    ];
    const summary = summariseTurnaround(
      studies,
      { from: at(-60), to: at(120), generatedAt: at(120) },
      new Map([['chengguan', '城关镇卫生院']]),
      2,
    );
    expect(summary.overall.studies).toBe(3);
    expect(summary.byPriority.urgent.intervals.capturedToSigned).toEqual({ count: 2, medianMs: 7 * MIN, p90Ms: 9.4 * MIN });
    expect(summary.byPriority.routine.intervals.receivedToOpened.medianMs).toBe(28 * MIN);
    expect(summary.byClinic.map((c) => [c.clinicId, c.clinicName, c.overall.studies])).toEqual([
      ['chengguan', '城关镇卫生院', 2],
      ['hekou', 'hekou', 1],
    ]);
    expect(summary.byClinic[0]!.byPriority.urgent.studies).toBe(1);
    expect(summary.studies.map((s) => s.capturedAt)).toEqual([at(20), at(10)]);
  });

  it('reports empty groups with no figures rather than zeros', () => {
    const group = summariseGroup([]);
    expect(group.studies).toBe(0);
    expect(group.intervals.capturedToSigned).toEqual({ count: 0, medianMs: null, p90Ms: null });
  });
});
