/**
 * CSV export of the recognition indicators. UTF-8 with a byte-order mark and CRLF line ends: without
 * the BOM, Excel on a Chinese Windows PC opens UTF-8 as GBK and the institution names turn to
 * mojibake. Fields are quoted per RFC 4180 when they hold a comma, quote or line break.
 */
import type { IndicatorResponse } from '../../sync/protocol/recognition.ts';

export const CSV_BOM = '\uFEFF';

export interface CsvLabels {
  institution: string;
  period: string;
  reminders: string;
  views: string;
  recognitions: string;
  refusals: string;
  rate: string;
  saved: string;
  totals: string;
}

const field = (value: string | number): string => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const rate = (r: number | null) => (r === null ? '' : `${(r * 100).toFixed(1)}%`);
const yuan = (fen: number) => (fen / 100).toFixed(2);

export function indicatorsCsv(report: IndicatorResponse, labels: CsvLabels): string {
  const header = [labels.institution, labels.period, labels.reminders, labels.views, labels.recognitions, labels.refusals, labels.rate, labels.saved];
  const rows = report.rows.map((r) => [r.institutionName, r.period, r.reminders, r.views, r.recognitions, r.refusals, rate(r.recognitionRate), yuan(r.savedFen)]);
  const t = report.totals;
  const totals = [labels.totals, `${report.from}~${report.to}`, t.reminders, t.views, t.recognitions, t.refusals, rate(t.recognitionRate), yuan(t.savedFen)];
  return CSV_BOM + [header, ...rows, totals].map((line) => line.map(field).join(',')).join('\r\n') + '\r\n';
}
