/** 医嘱/检查检验申请 — an ordered test, with the mutual-recognition (互认) decision taken for it. */
import { z } from 'zod';
import { isoDateTime, longText, recordBase, recordId, shortText } from './common.ts';

export const orderStatuses = ['ordered', 'recognized', 'resulted', 'cancelled'] as const;

/** Reasons for ordering again despite a recognizable result, per the national 互认 rules. */
export const reorderReasons = [
  'condition-changed', // 病情变化
  'fast-changing-result', // 检查检验结果变化快
  'before-surgery-or-transfusion', // 手术、输血等重大医疗措施前
  'emergency', // 急诊、急救
  'forensic-or-disability-assessment', // 司法鉴定、伤残鉴定
  'other', // 其他（须注明）
] as const;
export type ReorderReason = (typeof reorderReasons)[number];

export const recognitionDecisionSchema = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('recognized'),
    /** The result accepted instead of testing again. */
    resultId: recordId,
    /** Price of the test not performed, in fen (分), for the money-saved indicator. */
    priceSavedFen: z.number().int().min(0).max(10_000_000),
  }),
  z.object({
    decision: z.literal('re-ordered'),
    reason: z.enum(reorderReasons),
    note: longText(500),
  }),
]);
export type RecognitionDecision = z.infer<typeof recognitionDecisionSchema>;

export const orderSchema = z
  .object({
    ...recordBase,
    visitId: recordId,
    patientId: recordId,
    /** Catalog item code (core/catalog). */
    itemCode: shortText(32).min(1),
    itemName: shortText(100),
    orderedAt: isoDateTime,
    orderedBy: shortText(64).min(1),
    status: z.enum(orderStatuses),
    /** null when no recognizable result existed, so no decision was asked for. */
    recognition: recognitionDecisionSchema.nullable(),
  })
  .superRefine((o, ctx) => {
    const r = o.recognition;
    if (r?.decision === 're-ordered' && r.reason === 'other' && r.note.trim() === '') {
      ctx.addIssue({ code: 'custom', path: ['recognition', 'note'], message: 'Say why the test is ordered again', params: { messageZh: '选择"其他"时请注明重新检查的原因' } });
    }
    if ((o.status === 'recognized') !== (r?.decision === 'recognized')) {
      ctx.addIssue({ code: 'custom', path: ['status'], message: 'Status "recognized" goes with a recognized result, and only with one', params: { messageZh: '"已互认"状态须与互认结果一致' } });
    }
  });
export type Order = z.infer<typeof orderSchema>;
