import { describe, expect, it } from 'vitest';
import { makeEcgStudy } from '../../core/records/builders.ts';
import { newUrgentArrivals, waitingMinutes, worklistOrder } from './worklist.ts';

describe('the reading room worklist', () => {
  it('puts urgent studies first, then the longest waiting, and leaves out studies not yet received or already reported', () => {
    const oldRoutine = makeEcgStudy({ priority: 'routine', capturedAt: '2026-11-23T07:00:00.000Z', readingState: 'received' });
    const newUrgent = makeEcgStudy({ priority: 'urgent', capturedAt: '2026-11-23T08:10:00.000Z', readingState: 'received' });
    const oldUrgent = makeEcgStudy({ priority: 'urgent', capturedAt: '2026-11-23T08:00:00.000Z', readingState: 'being-read' });
    const uploading = makeEcgStudy({ priority: 'urgent', readingState: 'uploading' });
    const reported = makeEcgStudy({ priority: 'urgent', readingState: 'reported' });
    expect(worklistOrder([oldRoutine, newUrgent, uploading, oldUrgent, reported]).map((s) => s.id)).toEqual([oldUrgent.id, newUrgent.id, oldRoutine.id]);
  });

  it('alarms for an urgent study that arrives after login, not for those already waiting or routine ones', () => {
    const waiting = makeEcgStudy({ priority: 'urgent', readingState: 'received' });
    expect(newUrgentArrivals(null, [waiting])).toEqual([]);
    const arriving = makeEcgStudy({ priority: 'urgent', readingState: 'received' });
    const routine = makeEcgStudy({ priority: 'routine', readingState: 'received' });
    expect(newUrgentArrivals(new Set([waiting.id]), [waiting, arriving, routine])).toEqual([arriving]);
  });

  it('counts waiting minutes from capture and never below zero', () => {
    const now = new Date('2026-11-23T08:30:00.000Z');
    expect(waitingMinutes({ capturedAt: '2026-11-23T08:05:30.000Z' }, now)).toBe(24);
    expect(waitingMinutes({ capturedAt: '2026-11-23T09:00:00.000Z' }, now)).toBe(0);
  });
});
