/** 检查检验结果 — a result produced by one institution, visible county-wide for recognition. */
import { z } from 'zod';
import { isoDateTime, longText, recordBase, recordId, shortText } from './common.ts';

export const resultValueSchema = z.object({
  code: shortText(32).min(1),
  name: shortText(100),
  value: z.union([z.number(), shortText(200)]),
  unit: shortText(32),
  referenceRange: shortText(64),
  /** H / L / critical, as the lab flags it; '' when normal or not applicable. */
  flag: z.enum(['', 'H', 'L', 'HH', 'LL', 'A']),
});
export type ResultValue = z.infer<typeof resultValueSchema>;

export const resultSchema = z
  .object({
    ...recordBase, // institutionId: the performing institution
    patientId: recordId,
    orderId: recordId.nullable(),
    itemCode: shortText(32).min(1),
    itemName: shortText(100),
    performedAt: isoDateTime,
    values: z.array(resultValueSchema).max(200),
    /** Imaging or ECG report text, for results that are not a list of values. */
    reportText: longText(8000),
    /**
     * 互认标识 "HR": printed on results from a quality-controlled (质控合格) lab; only such
     * results may be recognized by another institution.
     */
    hrMark: z.boolean(),
  })
  .superRefine((r, ctx) => {
    if (r.values.length === 0 && r.reportText.trim() === '') {
      ctx.addIssue({ code: 'custom', path: ['values'], message: 'A result needs values or a report text', params: { messageZh: '结果需包含检验数值或报告文本' } });
    }
  });
export type Result = z.infer<typeof resultSchema>;
