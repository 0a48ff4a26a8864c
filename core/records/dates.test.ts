import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from './dates.ts';

describe('dates as every screen shows them', () => {
  it('writes a day as YYYY-MM-DD and a moment as YYYY-MM-DD HH:mm, 24-hour', () => {
    const afternoon = new Date(2026, 2, 5, 14, 7, 9); // 5 March 2026, 14:07:09 local time
    expect(formatDate(afternoon)).toBe('2026-03-05');
    expect(formatDateTime(afternoon)).toBe('2026-03-05 14:07');
    expect(formatDateTime(afternoon, { seconds: true })).toBe('2026-03-05 14:07:09');
    expect(formatDateTime(new Date(2026, 0, 1, 0, 5))).toBe('2026-01-01 00:05');
  });

  it('shows a stored moment in local time, the clinic day', () => {
    const local = new Date(2026, 11, 6, 7, 30);
    expect(formatDate(local.toISOString())).toBe('2026-12-06');
    expect(formatDateTime(local.toISOString())).toBe('2026-12-06 07:30');
  });

  it('never shifts a date-only value such as a visit day or birth date, and shows nothing for garbage', () => {
    expect(formatDate('1968-04-12')).toBe('1968-04-12');
    expect(formatDate('not a date')).toBe('');
    expect(formatDateTime('')).toBe('');
  });
});
