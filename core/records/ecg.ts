/** 心电检查 and 心电报告 — a captured 12-lead ECG sent for remote diagnosis, and its signed report. */
import { z } from 'zod';
import { isoDateTime, longText, recordBase, recordId, shortText, text } from './common.ts';

/** Remote-diagnosis states, in the only order they may advance (see sync/protocol conflict rules). */
export const readingStates = ['queued', 'uploading', 'received', 'being-read', 'reported'] as const;
export type ReadingState = (typeof readingStates)[number];

export const ecgMeasurementsSchema = z.object({
  heartRate: z.number().int().min(10).max(350).optional(), // beats/min
  prMs: z.number().int().min(0).max(1000).optional(),
  qrsMs: z.number().int().min(0).max(400).optional(),
  qtMs: z.number().int().min(100).max(800).optional(),
  qtcMs: z.number().int().min(100).max(900).optional(),
  pAxisDeg: z.number().int().min(-180).max(360).optional(),
  qrsAxisDeg: z.number().int().min(-180).max(360).optional(),
  tAxisDeg: z.number().int().min(-180).max(360).optional(),
});

export const sha256Hex = text().regex(/^[0-9a-f]{64}$/, { message: 'SHA-256 must be 64 lower-case hex digits' });

export const ecgStudySchema = z.object({
  ...recordBase,
  visitId: recordId,
  patientId: recordId,
  capturedAt: isoDateTime,
  /** Urgent when the patient has chest pain: read first in the center's worklist. */
  priority: z.enum(['urgent', 'routine']),
  clinicalNote: longText(2000),
  /** The canonical DICOM 12-Lead ECG Waveform file, stored and uploaded by content hash. */
  dicomSha256: sha256Hex,
  dicomSizeBytes: z.number().int().min(1).max(100 * 1024 * 1024),
  measurements: ecgMeasurementsSchema,
  readingState: z.enum(readingStates),
});
export type EcgStudy = z.infer<typeof ecgStudySchema>;

export const ecgReportSchema = z
  .object({
    ...recordBase, // institutionId: the remote-ECG center
    studyId: recordId,
    patientId: recordId,
    statements: z.array(z.object({ code: shortText(32), text: shortText(300).min(1) })).max(50),
    freeText: longText(4000),
    /** 危急值 — flagged to the clinic at once. */
    critical: z.boolean(),
    signedBy: shortText(64).nullable(),
    signedAt: isoDateTime.nullable(),
    /**
     * The clinic's acknowledgement of a 危急值 (who, when), stamped by the hub when a doctor of the
     * clinic acknowledges (POST /ecg/reports/:id/acknowledge) and replicated with the report, so the
     * alert closes on every PC of the clinic and the reading room sees the loop closed. Never pushed.
     */
    acknowledgedBy: shortText(64).optional(),
    acknowledgedAt: isoDateTime.optional(),
  })
  .superRefine((r, ctx) => {
    if ((r.signedBy === null) !== (r.signedAt === null)) {
      ctx.addIssue({ code: 'custom', path: ['signedAt'], message: 'A signature needs both the signer and the time', params: { messageZh: '签名需同时包含签名人和签名时间' } });
    }
    if (r.signedBy !== null && r.statements.length === 0 && r.freeText.trim() === '') {
      ctx.addIssue({ code: 'custom', path: ['statements'], message: 'A signed report needs at least one statement or text', params: { messageZh: '签发的报告需至少包含一条诊断或文字描述' } });
    }
  });
export type EcgReport = z.infer<typeof ecgReportSchema>;
export const isSignedReport = (r: Pick<EcgReport, 'signedAt'>): boolean => r.signedAt !== null;
