/**
 * Remote-diagnosis turnaround (心电远程诊断时效): the wire types of the hub's turnaround endpoints,
 * shared by the hub (sync/hub/routes/turnaround.ts) and the centre dashboard
 * (renderer/reading-room/dashboard). Per study: captured → received → opened → signed. Every time
 * but `capturedAt` is the hub's clock; `capturedAt` is the capturing clinic's.
 */
import { z } from 'zod';
import { institutionId, isoDateTime, recordId } from '../../core/records/common.ts';

export const turnaroundPaths = {
  /** GET: median and p90 per interval, by priority and per clinic (ECG centre and county administrators). */
  summary: '/ecg/turnaround',
  /** POST: a cardiologist opened the study in the reading room (first call counts; later calls change nothing). */
  opened: '/ecg/studies/:studyId/opened',
  /** GET: one study's timestamps, for whoever may see the study. */
  study: '/ecg/studies/:studyId/turnaround',
} as const;

export const turnaroundPath = {
  opened: (studyId: string) => `/ecg/studies/${encodeURIComponent(studyId)}/opened`,
  study: (studyId: string) => `/ecg/studies/${encodeURIComponent(studyId)}/turnaround`,
  summary: (query: Partial<TurnaroundQuery> = {}) => {
    // Built by hand: sync/protocol is pure (no URLSearchParams in its lib).
    const qs = Object.entries(query)
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
    return `/ecg/turnaround${qs ? `?${qs}` : ''}`;
  },
};

/** The intervals the dashboard reports, in the order a study lives them. */
export const turnaroundIntervals = ['capturedToReceived', 'receivedToOpened', 'openedToSigned', 'receivedToSigned', 'capturedToSigned'] as const;
export type TurnaroundInterval = (typeof turnaroundIntervals)[number];

/** Longest period one query may cover. */
export const TURNAROUND_MAX_DAYS = 366;
/** Period when the query names none: the last 30 days. */
export const TURNAROUND_DEFAULT_DAYS = 30;
/** Most studies listed one by one in a summary (newest first); the figures count them all. */
export const TURNAROUND_STUDY_LIST_MAX = 200;

/**
 * `from`/`to` bound the hub's arrival time of the study record (not the clinic's capture time, whose
 * clock the hub cannot vouch for). Unknown keys are refused.
 */
export const turnaroundQuerySchema = z
  .strictObject({
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    clinicId: institutionId.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to) {
      const span = Date.parse(q.to) - Date.parse(q.from);
      if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must be after `from`', params: { messageZh: '结束时间须晚于开始时间' } });
      if (span > TURNAROUND_MAX_DAYS * 86_400_000) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: `The period may cover at most ${TURNAROUND_MAX_DAYS} days`, params: { messageZh: `统计区间最长 ${TURNAROUND_MAX_DAYS} 天` } });
      }
    }
  });
export type TurnaroundQuery = z.infer<typeof turnaroundQuerySchema>;

const durationMs = z.number().nonnegative().nullable();

export const intervalStatsSchema = z.object({
  /** Studies that reached both ends of the interval (with a non-negative duration). */
  count: z.number().int().nonnegative(),
  medianMs: durationMs,
  p90Ms: durationMs,
});
export type IntervalStats = z.infer<typeof intervalStatsSchema>;

export const turnaroundGroupSchema = z.object({
  studies: z.number().int().nonnegative(),
  signed: z.number().int().nonnegative(),
  /** Studies whose capture time lies after the hub received them: the clinic PC's clock is ahead. */
  clockSkewed: z.number().int().nonnegative(),
  intervals: z.record(z.enum(turnaroundIntervals), intervalStatsSchema),
});
export type TurnaroundGroup = z.infer<typeof turnaroundGroupSchema>;

export const studyTurnaroundSchema = z.object({
  studyId: recordId,
  clinicId: institutionId,
  priority: z.enum(['urgent', 'routine']),
  capturedAt: isoDateTime,
  receivedAt: isoDateTime.nullable(),
  openedAt: isoDateTime.nullable(),
  signedAt: isoDateTime.nullable(),
});
export type StudyTurnaround = z.infer<typeof studyTurnaroundSchema>;

const byPrioritySchema = z.object({ urgent: turnaroundGroupSchema, routine: turnaroundGroupSchema });

export const turnaroundSummarySchema = z.object({
  from: isoDateTime,
  to: isoDateTime,
  generatedAt: isoDateTime,
  overall: turnaroundGroupSchema,
  byPriority: byPrioritySchema,
  byClinic: z.array(z.object({ clinicId: institutionId, clinicName: z.string(), overall: turnaroundGroupSchema, byPriority: byPrioritySchema })),
  /** Newest first, at most TURNAROUND_STUDY_LIST_MAX. */
  studies: z.array(studyTurnaroundSchema),
});
export type TurnaroundSummary = z.infer<typeof turnaroundSummarySchema>;
