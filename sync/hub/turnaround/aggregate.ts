/**
 * Turnaround figures from per-study timestamps: median and p90 of each interval, by priority and
 * per clinic. Pure (no database), so the arithmetic is unit-tested on its own.
 *
 * Percentiles interpolate linearly between the two nearest ranks (PostgreSQL's percentile_cont,
 * Excel's PERCENTILE.INC): the median of 10 and 20 min is 15 min, not one of them.
 */
import {
  turnaroundIntervals,
  type IntervalStats,
  type StudyTurnaround,
  type TurnaroundGroup,
  type TurnaroundInterval,
  type TurnaroundSummary,
} from '../../protocol/turnaround.ts';

/** p in 0..100 of values sorted ascending; null for no values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  if (p < 0 || p > 100 || !Number.isFinite(p)) throw new RangeError(`percentile ${p} is outside 0..100`);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (rank - lower);
}

const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));

/** The interval's duration for one study: null when an end is missing or the clocks disagree (negative). */
export function intervalMs(study: StudyTurnaround, interval: TurnaroundInterval): number | null {
  const t = { captured: ms(study.capturedAt), received: ms(study.receivedAt), opened: ms(study.openedAt), signed: ms(study.signedAt) };
  const span = (a: number | null, b: number | null) => (a === null || b === null || b < a ? null : b - a);
  switch (interval) {
    case 'capturedToReceived':
      return span(t.captured, t.received);
    case 'receivedToOpened':
      return span(t.received, t.opened);
    case 'openedToSigned':
      return span(t.opened, t.signed);
    case 'receivedToSigned':
      return span(t.received, t.signed);
    case 'capturedToSigned':
      return span(t.captured, t.signed);
  }
}

export function summariseGroup(studies: readonly StudyTurnaround[]): TurnaroundGroup {
  const intervals = {} as Record<TurnaroundInterval, IntervalStats>;
  for (const interval of turnaroundIntervals) {
    const values = studies.map((s) => intervalMs(s, interval)).filter((v): v is number => v !== null).sort((a, b) => a - b);
    intervals[interval] = { count: values.length, medianMs: percentile(values, 50), p90Ms: percentile(values, 90) };
  }
  return {
    studies: studies.length,
    signed: studies.filter((s) => s.signedAt !== null).length,
    clockSkewed: studies.filter((s) => s.receivedAt !== null && Date.parse(s.capturedAt) > Date.parse(s.receivedAt)).length,
    intervals,
  };
}

const byPriority = (studies: readonly StudyTurnaround[]) => ({
  urgent: summariseGroup(studies.filter((s) => s.priority === 'urgent')),
  routine: summariseGroup(studies.filter((s) => s.priority === 'routine')),
});

/**
 * The dashboard's whole answer. `studies` may come in any order; the listed ones are the newest by
 * capture time. `clinicNames` names clinics (an unknown id is shown as itself).
 */
export function summariseTurnaround(
  studies: readonly StudyTurnaround[],
  period: { from: string; to: string; generatedAt: string },
  clinicNames: ReadonlyMap<string, string>,
  listMax: number,
): TurnaroundSummary {
  const clinics = [...new Set(studies.map((s) => s.clinicId))].sort();
  return {
    ...period,
    overall: summariseGroup(studies),
    byPriority: byPriority(studies),
    byClinic: clinics.map((clinicId) => {
      const own = studies.filter((s) => s.clinicId === clinicId);
      return { clinicId, clinicName: clinicNames.get(clinicId) ?? clinicId, overall: summariseGroup(own), byPriority: byPriority(own) };
    }),
    studies: [...studies].sort((a, b) => Date.parse(b.capturedAt) - Date.parse(a.capturedAt)).slice(0, listMax),
  };
}
