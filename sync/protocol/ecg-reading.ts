/**
 * The remote-ECG reading endpoints (远程心电阅片), used by the reading room and the clinic:
 *   GET  /ecg/claims                            → ClaimsResponse (the centre's open claims)
 *   POST /ecg/studies/:studyId/claim            → Claim; 409 ecg-study-claimed names the holder
 *   POST /ecg/studies/:studyId/release          → { released: boolean }
 *   POST /ecg/studies/:studyId/report  SignReportRequest → { report }  (signs: report + 'reported')
 *   POST /ecg/reports/:reportId/acknowledge  AcknowledgeRequest → Acknowledgement (clinic, 危急值)
 *
 * Why endpoints and not replication for claiming: two cardiologists opening the same study both
 * push readingState 'being-read' — the same state, so replication sees no conflict — and the study
 * record has no claimer field. Claiming needs one answer from one place at the moment a
 * cardiologist opens a study ("Dr Wang is reading it"), so the hub arbitrates it in one
 * transaction, and signing goes through the hub too so the report and the study's final state are
 * written together, only by the claim holder. The records still reach every workstation through
 * ordinary replication.
 */
import { z } from 'zod';
import { ecgReportSchema, isoDateTime, recordId, text } from '../../core/records/index.ts';

/** A claim left alone this long may be taken over (a cardiologist went home with a study open). */
export const CLAIM_TTL_MINUTES = 30;

export const ecgPaths = {
  claims: () => '/ecg/claims',
  claim: (studyId: string) => `/ecg/studies/${encodeURIComponent(studyId)}/claim`,
  release: (studyId: string) => `/ecg/studies/${encodeURIComponent(studyId)}/release`,
  report: (studyId: string) => `/ecg/studies/${encodeURIComponent(studyId)}/report`,
  acknowledge: (reportId: string) => `/ecg/reports/${encodeURIComponent(reportId)}/acknowledge`,
  escalated: () => '/ecg/critical/escalated',
};

export const ecgRoutes = {
  claims: '/ecg/claims',
  claim: '/ecg/studies/:studyId/claim',
  release: '/ecg/studies/:studyId/release',
  report: '/ecg/studies/:studyId/report',
  acknowledge: '/ecg/reports/:reportId/acknowledge',
  /** GET: 危急值 reports unacknowledged past the hub's escalation time (clinic administrators, the signer). */
  escalated: '/ecg/critical/escalated',
} as const;

/** One escalated 危急值: signed, critical, and not acknowledged by the clinic after the hub's limit. */
export const escalatedFindingSchema = z.object({
  reportId: recordId,
  studyId: recordId,
  clinicId: text(),
  patientName: text(),
  signedBy: text(),
  signedAt: isoDateTime,
  statements: z.array(z.string()),
  /** Whole minutes since signing, by the hub's clock. */
  minutesWaiting: z.number().int().nonnegative(),
});
export type EscalatedFinding = z.infer<typeof escalatedFindingSchema>;
export const escalatedResponseSchema = z.object({
  escalateAfterMinutes: z.number().int().positive(),
  findings: z.array(escalatedFindingSchema),
  /** Seconds until the next critical report still within its limit escalates (hub clock); null: none pending. Older hubs omit it. */
  nextDueInSeconds: z.number().int().nonnegative().nullable().optional(),
});
export type EscalatedResponse = z.infer<typeof escalatedResponseSchema>;

export const studyParamsSchema = z.object({ studyId: recordId });
export const reportParamsSchema = z.object({ reportId: recordId });

export const claimSchema = z.object({
  studyId: recordId,
  userId: text(),
  displayName: text(),
  claimedAt: isoDateTime,
});
export type Claim = z.infer<typeof claimSchema>;
export const claimsResponseSchema = z.object({ claims: z.array(claimSchema) });
export const releaseResponseSchema = z.object({ released: z.boolean() });

export const signReportRequestSchema = z.object({ report: ecgReportSchema });
export type SignReportRequest = z.infer<typeof signReportRequestSchema>;
export const signReportResponseSchema = z.object({ report: ecgReportSchema });

/**
 * The clinic's acknowledgement of a critical finding. `acknowledgedAt` is what the clinic's clock
 * said (kept for older clients, ignored): the hub stamps the time it receives the acknowledgement,
 * as it stamps the signing time of a report, so no clinical time can be set by a client.
 */
export const acknowledgeRequestSchema = z.object({ acknowledgedAt: isoDateTime.optional() });
export const acknowledgementSchema = z.object({
  reportId: recordId,
  userId: text(),
  acknowledgedAt: isoDateTime,
});
export type Acknowledgement = z.infer<typeof acknowledgementSchema>;
