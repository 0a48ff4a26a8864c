/**
 * 检查检验结果互认 — the pure rules of mutual recognition, used offline by the workstation at order
 * time and by the hub's indicators: which prior result qualifies for an ordered item, what a decision
 * records, what it saves.
 *
 * A result qualifies for an order of item I for patient P when it is a result of I, about P (or the
 * master record P was merged into), carries the "HR" quality-control mark, was performed within I's
 * validity window, and comes from where I's recognition scope reaches. The newest qualifying result
 * is offered.
 */
import type { CatalogItem } from '../catalog/index.ts';
import { recognitionScopes } from '../catalog/index.ts';
import { reorderReasons, type RecognitionDecision, type ReorderReason, type Result } from '../records/index.ts';
import { CodedError } from '../errors/index.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** China Standard Time, UTC+8 all year (no daylight saving since 1991): the clinics' calendar. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

export type RecognitionScope = (typeof recognitionScopes)[number];

/** The calendar day (in China) of an instant, as a day number: what "within 30 days" counts. */
export const chinaDayNumber = (instant: string | Date): number => Math.floor(((typeof instant === 'string' ? Date.parse(instant) : instant.getTime()) + CHINA_OFFSET_MS) / DAY_MS);

/** The calendar day (in China) of an instant, as YYYY-MM-DD: the day the hub's indicators count it on. */
export const chinaCalendarDay = (instant: Date): string => new Date(chinaDayNumber(instant) * DAY_MS).toISOString().slice(0, 10);

/**
 * The indicators' default selection: the last six calendar months in China, this one included. In
 * China's calendar, not the computer's: the hub counts each event on its China day, so a browser on
 * another clock (a test machine on UTC, between 16:00 and midnight) would otherwise leave out today.
 */
export const lastSixChinaMonths = (now: Date): { from: string; to: string } => {
  const to = chinaCalendarDay(now);
  const [year, month] = to.split('-').map(Number) as [number, number];
  return { from: new Date(Date.UTC(year, month - 1 - 5, 1)).toISOString().slice(0, 10), to };
};

/**
 * Whole calendar days from the result to the order. A result of 1 November is on day 30 on
 * 1 December whatever the hours: the 互认 rules count days ("30日内"), not 24-hour periods.
 */
export const daysSinceResult = (performedAt: string, now: Date): number => chinaDayNumber(now) - chinaDayNumber(performedAt);

/** Day 0 (the same day) up to and including day `validityDays`; a result from the future never qualifies. */
export const withinValidityWindow = (performedAt: string, now: Date, validityDays: number): boolean => {
  const days = daysSinceResult(performedAt, now);
  return days >= 0 && days <= validityDays;
};

const scopeRank = (scope: RecognitionScope): number => recognitionScopes.indexOf(scope);

/**
 * Does an item whose results are recognized within `itemScope` accept a result performed at
 * `resultOrigin`? A province-wide item accepts results from the community, the city and the
 * province; a community-only item accepts only the medical community's own.
 */
export const scopeAccepts = (itemScope: RecognitionScope, resultOrigin: RecognitionScope): boolean => scopeRank(resultOrigin) <= scopeRank(itemScope);

export type Disqualification = 'other-item' | 'other-patient' | 'no-hr-mark' | 'outside-window' | 'out-of-scope';

export interface QualifyingQuery {
  item: Pick<CatalogItem, 'code' | 'validityDays' | 'recognitionScope'>;
  /** The patient's local id and, when merged, the master id: results may be filed under either. */
  patientIds: readonly string[];
  now: Date;
  /**
   * Where a result's institution sits relative to this medical community. Every institution that
   * posts to the hub is a member, so 'community' unless told otherwise.
   */
  originOf?: (result: Result) => RecognitionScope;
}

/** Why `result` cannot be recognized for this order, or null when it can. */
export const disqualification = (result: Result, query: QualifyingQuery): Disqualification | null => {
  if (result.itemCode !== query.item.code) return 'other-item';
  if (!query.patientIds.includes(result.patientId)) return 'other-patient';
  if (!result.hrMark) return 'no-hr-mark';
  if (!withinValidityWindow(result.performedAt, query.now, query.item.validityDays)) return 'outside-window';
  if (!scopeAccepts(query.item.recognitionScope, query.originOf?.(result) ?? 'community')) return 'out-of-scope';
  return null;
};

export interface QualifyingResult {
  result: Result;
  /** Calendar days since the result (0 = today). */
  ageDays: number;
}

/** The newest result that qualifies for recognition, if any. */
export const findQualifyingResult = (results: readonly Result[], query: QualifyingQuery): QualifyingResult | undefined => {
  const best = results
    .filter((r) => disqualification(r, query) === null)
    .sort((a, b) => Date.parse(b.performedAt) - Date.parse(a.performedAt))[0];
  return best ? { result: best, ageDays: daysSinceResult(best.performedAt, query.now) } : undefined;
};

/** The money a recognition saves: the catalogue price of the test not performed, in fen. */
export const priceSavedFen = (item: Pick<CatalogItem, 'priceFen'>): number => item.priceFen;

export class RecognitionDecisionError extends CodedError<'recognition.recognition-note-missing'> {
  override readonly name = 'RecognitionDecisionError';
  constructor() {
    super('recognition.recognition-note-missing');
  }
}

export const recognizedDecision = (item: Pick<CatalogItem, 'priceFen'>, result: Pick<Result, 'id'>): RecognitionDecision => ({
  decision: 'recognized',
  resultId: result.id,
  priceSavedFen: priceSavedFen(item),
});

/** Ordering again despite a qualifying result: one of the standard reasons; 'other' needs a note. */
export const reorderDecision = (reason: ReorderReason, note: string): RecognitionDecision => {
  if (reason === 'other' && note.trim() === '') throw new RecognitionDecisionError();
  return { decision: 're-ordered', reason, note: note.trim() };
};

export { reorderReasons, type ReorderReason };

/** Recognitions per reminder, 0–1; null when nothing was offered (no rate to show, not 0 %). */
export const recognitionRate = (recognitions: number, reminders: number): number | null => (reminders > 0 ? Math.min(1, recognitions / reminders) : null);
