/**
 * The hub's mutual-recognition (互认) indicators as the administrator's dashboard reads them:
 *   GET /admin/recognition/indicators?from=YYYY-MM-DD&to=YYYY-MM-DD&period=day|month[&institutionId=]
 * Administrators only; an institution's administrator sees their institution, the county hospital's
 * (牵头医院) sees every member institution. Declared once here, used by hub and renderer alike.
 */
import { z } from 'zod';
import { text } from '../../core/records/index.ts';

export const recognitionPaths = {
  indicators: '/admin/recognition/indicators',
  /** FHIR R4 result upload: a DiagnosticReport (contained Observations) or a Bundle of them. */
  fhirDiagnosticReport: '/fhir/r4/DiagnosticReport',
  fhirBundle: '/fhir/r4',
} as const;

const day = z.iso.date({ message: 'a calendar date YYYY-MM-DD' });

export const indicatorQuerySchema = z
  .strictObject({
    from: day,
    to: day,
    period: z.enum(['day', 'month']).default('month'),
    institutionId: text().min(1).max(32).optional(),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'], params: { messageZh: '开始日期不能晚于结束日期' } })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 3 * 366 * 86_400_000, { message: 'at most three years at a time', path: ['to'], params: { messageZh: '一次最多查询三年' } });
export type IndicatorQuery = z.input<typeof indicatorQuerySchema>;

const counts = {
  reminders: z.number().int().min(0),
  views: z.number().int().min(0),
  recognitions: z.number().int().min(0),
  refusals: z.number().int().min(0),
  /** Recognitions per reminder (0–1); null when there was no reminder. */
  recognitionRate: z.number().min(0).max(1).nullable(),
  /** Money saved by recognitions, in fen (分). */
  savedFen: z.number().int().min(0),
};

export const indicatorRowSchema = z.object({ institutionId: text(), institutionName: text(), period: text(), ...counts });
export type IndicatorRow = z.infer<typeof indicatorRowSchema>;
export const indicatorTotalsSchema = z.object(counts);
export type IndicatorTotals = z.infer<typeof indicatorTotalsSchema>;

export const indicatorResponseSchema = z.object({
  from: text(),
  to: text(),
  period: z.enum(['day', 'month']),
  rows: z.array(indicatorRowSchema),
  totals: indicatorTotalsSchema,
});
export type IndicatorResponse = z.infer<typeof indicatorResponseSchema>;
