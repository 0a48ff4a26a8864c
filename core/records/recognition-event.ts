/**
 * 互认事件 — one step of a mutual-recognition (检查检验结果互认) decision, counted by the county
 * indicators: a reminder shown at order time, the doctor opening the prior result, the result
 * recognized (no new test), or the test ordered again with a standard reason.
 *
 * Events are their own append-only collection rather than fields on the order: a reminder the doctor
 * dismisses creates no order at all, yet the county counts it. Written by the clinic, replicated to
 * the hub, aggregated there (sync/hub/routes/recognition.ts).
 */
import { z } from 'zod';
import { isoDateTime, longText, recordBase, recordId, shortText } from './common.ts';
import { reorderReasons } from './order.ts';

export const recognitionEventKinds = ['reminder', 'view', 'recognized', 'refused'] as const;
export type RecognitionEventKind = (typeof recognitionEventKinds)[number];

export const recognitionEventSchema = z
  .object({
    ...recordBase, // institutionId: the clinic where the doctor ordered
    kind: z.enum(recognitionEventKinds),
    patientId: recordId,
    visitId: recordId,
    /** The order the decision produced; null for reminders and views (no order yet). */
    orderId: recordId.nullable(),
    itemCode: shortText(32).min(1),
    /** The prior result the reminder offered. */
    resultId: recordId,
    /** The institution that performed the prior result. */
    resultInstitutionId: shortText(32).min(1),
    at: isoDateTime,
    by: shortText(64).min(1),
    /** 'refused' only: why the test is ordered again. */
    reason: z.enum(reorderReasons).nullable(),
    note: longText(500),
    /** 'recognized' only: the price of the test not performed, in fen (分). */
    priceSavedFen: z.number().int().min(0).max(10_000_000),
  })
  .superRefine((e, ctx) => {
    if ((e.kind === 'refused') !== (e.reason !== null)) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'A refusal, and only a refusal, carries a reason', params: { messageZh: '仅"不互认重新检查"需要填写原因' } });
    }
    if (e.kind !== 'recognized' && e.priceSavedFen !== 0) {
      ctx.addIssue({ code: 'custom', path: ['priceSavedFen'], message: 'Only a recognition saves money', params: { messageZh: '仅互认时记录节省费用' } });
    }
    if ((e.kind === 'recognized' || e.kind === 'refused') && e.orderId === null) {
      ctx.addIssue({ code: 'custom', path: ['orderId'], message: 'A decision names the order it produced', params: { messageZh: '互认决定须关联医嘱' } });
    }
    if (e.reason === 'other' && e.note.trim() === '') {
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'Say why the test is ordered again', params: { messageZh: '选择"其他"时请注明重新检查的原因' } });
    }
  });
export type RecognitionEvent = z.infer<typeof recognitionEventSchema>;
