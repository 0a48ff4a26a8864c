/**
 * Dates as every screen and printout shows them: YYYY-MM-DD, and YYYY-MM-DD HH:mm (24-hour) for a
 * moment — the national standard form (GB/T 7408), whatever the browser's locale, never mm/dd/yyyy.
 * A moment is shown in the workstation's local time (the clinic's day), not UTC: a result taken at
 * 07:30 in Beijing is that day's, though its ISO string still says the day before.
 */
const two = (n: number) => String(n).padStart(2, '0');
const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

const toDate = (value: string | Date): Date | undefined => {
  const date = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/** 2026-12-06. A date-only string (a visit day, a birth date) is returned as it is, never shifted. */
export function formatDate(value: string | Date): string {
  if (typeof value === 'string' && dateOnly.test(value)) return value;
  const date = toDate(value);
  return date ? `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}` : '';
}

/** 2026-12-06 14:05, local time; with seconds when asked (14:05:09). */
export function formatDateTime(value: string | Date, { seconds = false }: { seconds?: boolean } = {}): string {
  const date = toDate(value);
  if (!date) return '';
  const time = `${two(date.getHours())}:${two(date.getMinutes())}${seconds ? `:${two(date.getSeconds())}` : ''}`;
  return `${formatDate(date)} ${time}`;
}
