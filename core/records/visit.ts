/** 就诊 — one visit: queued by the nurse, recorded by the doctor, closed, amended only by addition. */
import { z } from 'zod';
import { isoDate, isoDateTime, longText, newRecordId, nowIso, recordBase, recordId, shortText, text } from './common.ts';

export const visitStatuses = ['waiting', 'in-consultation', 'closed', 'cancelled'] as const;
export type VisitStatus = (typeof visitStatuses)[number];
/** A closed or cancelled visit is final: only amendments may be added, and only by its owner. */
export const isFinalVisitStatus = (s: VisitStatus): boolean => s === 'closed' || s === 'cancelled';

/**
 * Plausible physiological ranges: values outside them are typing errors (a systolic of 1200), not
 * patients. Wide on purpose — a clinic sees shock and hypertensive crisis.
 */
export const vitalsSchema = z
  .object({
    systolic: z.number().int().min(50).max(260).optional(), // mmHg
    diastolic: z.number().int().min(20).max(160).optional(), // mmHg
    heartRate: z.number().int().min(20).max(250).optional(), // beats/min
    temperature: z.number().min(34).max(43).optional(), // °C
    spo2: z.number().int().min(50).max(100).optional(), // %
    respiratoryRate: z.number().int().min(4).max(80).optional(), // breaths/min
    weightKg: z.number().min(0.3).max(400).optional(),
    heightCm: z.number().min(20).max(260).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.systolic !== undefined && v.diastolic !== undefined && v.diastolic >= v.systolic) {
      ctx.addIssue({ code: 'custom', path: ['diastolic'], message: 'Diastolic pressure must be below systolic', params: { messageZh: '舒张压应低于收缩压' } });
    }
  });
export type Vitals = z.infer<typeof vitalsSchema>;

/**
 * ICD-10 code: WHO (I10, J06.9) or China's national clinical edition (国家临床版 2.0), which adds
 * digits and writes a missing fourth character as x (I25.103, I10.x00x002).
 */
export const icd10Code = text().regex(/^[A-Z]\d{2}(\.[0-9A-Zx]{1,4})?(x\d{3})?$/, {
  message: 'Not an ICD-10 code (e.g. I10, J06.9)',
});

export const diagnosisSchema = z.object({ code: icd10Code, name: shortText(200) });

/** 更正记录 — text appended after a visit is closed; the closed record itself never changes. */
export const amendmentSchema = z.object({
  id: recordId,
  at: isoDateTime,
  by: shortText(64).min(1),
  text: longText(2000).min(1),
});
export type Amendment = z.infer<typeof amendmentSchema>;

export const visitSchema = z
  .object({
    ...recordBase,
    patientId: recordId,
    /** The clinic's local calendar day of the visit; indexed with status for the day's queue. */
    visitDate: isoDate,
    /** 排队号 — per institution and day. */
    queueNumber: z.number().int().min(1).max(9999),
    status: z.enum(visitStatuses),
    registeredAt: isoDateTime,
    complaint: longText(2000), // 主诉
    vitals: vitalsSchema,
    diagnoses: z.array(diagnosisSchema).max(20),
    notes: longText(8000),
    /** 接诊医生 user id; '' while waiting. */
    doctorId: shortText(64),
    closedAt: isoDateTime.nullable(),
    amendments: z.array(amendmentSchema).max(200),
  })
  .superRefine((v, ctx) => {
    if (v.status === 'closed' && v.closedAt === null) {
      ctx.addIssue({ code: 'custom', path: ['closedAt'], message: 'A closed visit needs its closing time', params: { messageZh: '已结束的就诊需要结束时间' } });
    }
    if (v.status !== 'closed' && v.closedAt !== null) {
      ctx.addIssue({ code: 'custom', path: ['closedAt'], message: 'Only a closed visit has a closing time', params: { messageZh: '仅已结束的就诊有结束时间' } });
    }
    if (v.status === 'closed' && v.diagnoses.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['diagnoses'], message: 'Record at least one diagnosis before closing the visit', params: { messageZh: '结束就诊前请至少填写一个诊断' } });
    }
    if (!isFinalVisitStatus(v.status) && v.amendments.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['amendments'], message: 'Amendments are added only after a visit is closed', params: { messageZh: '仅在就诊结束后才能添加更正' } });
    }
  });
export type Visit = z.infer<typeof visitSchema>;

/**
 * A visit as registration creates it: waiting in the queue, nothing recorded yet. The one place that
 * says what a new visit holds (the app's registration and the test builders both start here).
 */
export function newVisit(fields: Pick<Visit, 'institutionId' | 'patientId' | 'visitDate' | 'queueNumber'> & Partial<Pick<Visit, 'id' | 'registeredAt'>>): Visit {
  const now = nowIso();
  return {
    id: fields.id ?? newRecordId(),
    institutionId: fields.institutionId,
    updatedAt: now,
    patientId: fields.patientId,
    visitDate: fields.visitDate,
    queueNumber: fields.queueNumber,
    status: 'waiting',
    registeredAt: fields.registeredAt ?? now,
    complaint: '',
    vitals: {},
    diagnoses: [],
    notes: '',
    doctorId: '',
    closedAt: null,
    amendments: [],
  };
}

