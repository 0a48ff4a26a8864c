import { describe, expect, it } from 'vitest';
import { makeResult } from '../records/builders.ts';
import { loadItemCatalog, starterItemCatalog } from '../catalog/index.ts';
import {
  chinaCalendarDay,
  daysSinceResult,
  lastSixChinaMonths,
  disqualification,
  findQualifyingResult,
  recognitionRate,
  recognizedDecision,
  RecognitionDecisionError,
  reorderDecision,
  scopeAccepts,
  withinValidityWindow,
} from './rules.ts';

const lipid = starterItemCatalog().find('LAB-LIPID')!; // 30-day window by the file default, 40 元
const PATIENT = 'patient-1';
/** 2026-12-01 09:00 in China. */
const NOW = new Date('2026-12-01T01:00:00.000Z');
/** The instant `days` calendar days before NOW, at 16:00 China time (later in the day than NOW). */
const daysBefore = (days: number) => new Date(Date.UTC(2026, 11, 1 - days, 8, 0, 0)).toISOString();
const query = { item: lipid, patientIds: [PATIENT], now: NOW };
const lipidResult = (days: number, overrides: Parameters<typeof makeResult>[0] = {}) =>
  makeResult({ patientId: PATIENT, itemCode: 'LAB-LIPID', itemName: '血脂四项', performedAt: daysBefore(days), ...overrides });

describe('the validity window (互认有效期)', () => {
  it('offers a result from day 30 and not one from day 31', () => {
    expect(lipid.validityDays).toBe(30);
    expect(findQualifyingResult([lipidResult(30)], query)?.ageDays).toBe(30);
    expect(findQualifyingResult([lipidResult(31)], query)).toBeUndefined();
    expect(disqualification(lipidResult(31), query)).toBe('outside-window');
  });

  it('counts calendar days in China, not 24-hour periods', () => {
    // 16:00 on 1 Nov to 09:00 on 1 Dec is under 30 × 24 h but 30 calendar days; 31 Oct is day 31.
    expect(daysSinceResult('2026-11-01T08:00:00.000Z', NOW)).toBe(30);
    expect(daysSinceResult('2026-10-31T08:00:00.000Z', NOW)).toBe(31);
    // 23:30 UTC on 30 Nov is already 1 Dec in China: day 0.
    expect(daysSinceResult('2026-11-30T23:30:00.000Z', NOW)).toBe(0);
  });

  it('uses each item\'s own window: a 7-day full blood count is not offered on day 8', () => {
    const cbc = starterItemCatalog().find('LAB-CBC')!;
    const cbcResult = (days: number) => makeResult({ patientId: PATIENT, itemCode: 'LAB-CBC', performedAt: daysBefore(days) });
    expect(findQualifyingResult([cbcResult(7)], { ...query, item: cbc })).toBeDefined();
    expect(findQualifyingResult([cbcResult(8)], { ...query, item: cbc })).toBeUndefined();
  });

  it('never offers a result dated in the future', () => {
    expect(withinValidityWindow(new Date(NOW.getTime() + 2 * 86_400_000).toISOString(), NOW, 30)).toBe(false);
  });
});

describe("the indicators' calendar (China's, whatever the computer's clock)", () => {
  it('counts an instant on its day in China: past 16:00 UTC it is already tomorrow there', () => {
    expect(chinaCalendarDay(new Date('2026-12-06T15:59:59Z'))).toBe('2026-12-06');
    expect(chinaCalendarDay(new Date('2026-12-06T16:00:00Z'))).toBe('2026-12-07');
  });

  it('selects the last six calendar months in China by default, this one included, across a year end', () => {
    expect(lastSixChinaMonths(new Date('2026-12-06T16:30:00Z'))).toEqual({ from: '2026-07-01', to: '2026-12-07' });
    expect(lastSixChinaMonths(new Date('2026-12-31T16:30:00Z'))).toEqual({ from: '2026-08-01', to: '2027-01-01' });
    expect(lastSixChinaMonths(new Date('2027-03-15T02:00:00Z'))).toEqual({ from: '2026-10-01', to: '2027-03-15' });
  });
});

describe('which result qualifies', () => {
  it('offers the newest qualifying result of the item for this patient', () => {
    const older = lipidResult(20);
    const newer = lipidResult(3);
    expect(findQualifyingResult([older, newer, lipidResult(40)], query)?.result.id).toBe(newer.id);
  });

  it('refuses a result without the HR quality-control mark', () => {
    expect(disqualification(lipidResult(2, { hrMark: false }), query)).toBe('no-hr-mark');
    expect(findQualifyingResult([lipidResult(2, { hrMark: false })], query)).toBeUndefined();
  });

  it('refuses another item or another patient, and accepts a result filed under the master record', () => {
    expect(disqualification(lipidResult(2, { itemCode: 'LAB-LFT' }), query)).toBe('other-item');
    expect(disqualification(lipidResult(2, { patientId: 'someone-else' }), query)).toBe('other-patient');
    expect(disqualification(lipidResult(2, { patientId: 'master-1' }), { ...query, patientIds: [PATIENT, 'master-1'] })).toBeNull();
  });

  it('honours the recognition scope: a community-only item refuses a result from elsewhere in the city', () => {
    expect(scopeAccepts('province', 'city')).toBe(true);
    expect(scopeAccepts('community', 'community')).toBe(true);
    expect(scopeAccepts('community', 'city')).toBe(false);
    const communityItem = loadItemCatalog({ version: 1, items: [{ code: 'LAB-LIPID', name: '血脂四项', category: 'lab', priceYuan: 40, recognitionScope: 'community' }] }).find('LAB-LIPID')!;
    const fromCity = { ...query, item: communityItem, originOf: () => 'city' as const };
    expect(disqualification(lipidResult(2), fromCity)).toBe('out-of-scope');
    expect(disqualification(lipidResult(2), { ...fromCity, originOf: () => 'community' as const })).toBeNull();
  });
});

describe('decisions and savings', () => {
  it('records the recognized result and the catalogue price in fen as the money saved', () => {
    const result = lipidResult(2);
    expect(recognizedDecision(lipid, result)).toEqual({ decision: 'recognized', resultId: result.id, priceSavedFen: 4000 });
  });

  it('re-orders with a standard reason, and insists on a note for "other"', () => {
    expect(reorderDecision('before-surgery-or-transfusion', '')).toEqual({ decision: 're-ordered', reason: 'before-surgery-or-transfusion', note: '' });
    expect(() => reorderDecision('other', '  ')).toThrow(RecognitionDecisionError);
    expect(reorderDecision('other', ' 患者要求 ')).toMatchObject({ reason: 'other', note: '患者要求' });
  });

  it('gives no rate when nothing was offered, and recognitions per reminder otherwise', () => {
    expect(recognitionRate(0, 0)).toBeNull();
    expect(recognitionRate(3, 4)).toBe(0.75);
  });
});
