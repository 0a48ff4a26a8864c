/**
 * Remote-diagnosis turnaround endpoints (paths in sync/protocol/turnaround.ts):
 * - GET  /ecg/turnaround            median and p90 per interval, by priority and per clinic. ECG-centre
 *   cardiologists and administrators see the studies sent to their centre; county-hospital
 *   administrators see every study of the community. Anyone else: 403.
 * - POST /ecg/studies/:studyId/opened    the reading room reports that a cardiologist opened the study;
 *   only the centre the study is addressed to; the first call sets the time (hub clock).
 * - GET  /ecg/studies/:studyId/turnaround one study's timestamps, for whoever may see the study.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { HubContext } from '../context.ts';
import { parseOr400, HubError } from '../errors.ts';
import { callerOf, requireCaller, type Caller } from '../auth/authenticate.ts';
import { appendAudit } from '../audit.ts';
import type { Queryable } from '../db/database.ts';
import { visibleSql } from '../replication/scope.ts';
import { recordId } from '../../../core/records/common.ts';
import {
  TURNAROUND_DEFAULT_DAYS,
  TURNAROUND_STUDY_LIST_MAX,
  turnaroundPaths,
  turnaroundQuerySchema,
  type StudyTurnaround,
  type TurnaroundSummary,
} from '../../protocol/turnaround.ts';
import { summariseTurnaround } from '../turnaround/aggregate.ts';
import { markOpened } from '../turnaround/record.ts';

// Same parameter name as the reading routes at this position (routes/ecg-reading.ts).
const StudyParams = z.strictObject({ studyId: recordId });
/** The reading room may post nothing or an empty JSON object. */
const OpenedBody = z.strictObject({}).optional();
/** A period with more studies than this is refused rather than summarised slowly. */
const SUMMARY_ROWS_MAX = 200_000;

type Row = {
  study_id: string;
  clinic_institution_id: string;
  priority: 'urgent' | 'routine';
  captured_at: Date;
  received_at: Date | null;
  opened_at: Date | null;
  signed_at: Date | null;
};

// received = the later of record and file at the hub; greatest() alone would ignore a missing file.
const SELECT_TURNAROUND = `select t.study_id, t.clinic_institution_id, t.priority, t.captured_at,
    case when t.file_at is null then null else greatest(t.study_at, t.file_at) end as received_at,
    t.opened_at, t.signed_at
  from ecg_turnaround t`;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const toStudy = (r: Row): StudyTurnaround => ({
  studyId: r.study_id,
  clinicId: r.clinic_institution_id,
  priority: r.priority,
  capturedAt: iso(r.captured_at)!,
  receivedAt: iso(r.received_at),
  openedAt: iso(r.opened_at),
  signedAt: iso(r.signed_at),
});

/** Which studies the caller's figures cover: its own centre's, or (county administrators) all; null = not allowed. */
function summaryScope(caller: Caller): { centerId: string | null } | null {
  if (caller.institutionKind === 'ecg_center' && (caller.role === 'cardiologist' || caller.role === 'administrator')) return { centerId: caller.institutionId };
  if (caller.institutionKind === 'county_hospital' && caller.role === 'administrator') return { centerId: null };
  return null;
}

async function studyTurnaround(db: Queryable, studyId: string): Promise<StudyTurnaround | null> {
  const { rows } = await db.query<Row>(`${SELECT_TURNAROUND} where t.study_id = $1 and not t.backfilled`, [studyId]);
  return rows[0] ? toStudy(rows[0]) : null;
}

export function registerTurnaroundRoutes(app: FastifyInstance, ctx: HubContext): void {
  const auth = { preHandler: requireCaller(ctx) };

  app.get(turnaroundPaths.summary, auth, async (request): Promise<TurnaroundSummary> => {
    const caller = callerOf(request);
    const scope = summaryScope(caller);
    if (!scope) {
      throw HubError.because('forbidden', 'turnaround-center-and-county');
    }
    const query = parseOr400(turnaroundQuerySchema, request.query, 'query');
    const to = query.to ?? new Date().toISOString();
    const from = query.from ?? new Date(Date.parse(to) - TURNAROUND_DEFAULT_DAYS * 86_400_000).toISOString();
    if (Date.parse(from) >= Date.parse(to)) throw HubError.because('bad-request', 'period-reversed');
    const params: unknown[] = [from, to];
    const where = ['t.study_at >= $1', 't.study_at < $2', 'not t.backfilled'];
    if (scope.centerId) where.push(`t.center_institution_id = $${params.push(scope.centerId)}`);
    if (query.clinicId) where.push(`t.clinic_institution_id = $${params.push(query.clinicId)}`);
    const { rows } = await ctx.db.query<Row>(`${SELECT_TURNAROUND} where ${where.join(' and ')} limit ${SUMMARY_ROWS_MAX + 1}`, params);
    if (rows.length > SUMMARY_ROWS_MAX) throw HubError.because('bad-request', 'period-too-many-studies');
    const names = await ctx.db.query<{ id: string; name: string }>('select id, name from institutions');
    return summariseTurnaround(
      rows.map(toStudy),
      { from: new Date(from).toISOString(), to: new Date(to).toISOString(), generatedAt: new Date().toISOString() },
      new Map(names.rows.map((r) => [r.id, r.name])),
      TURNAROUND_STUDY_LIST_MAX,
    );
  });

  app.post(turnaroundPaths.opened, auth, async (request): Promise<StudyTurnaround> => {
    const caller = callerOf(request);
    const { studyId: id } = parseOr400(StudyParams, request.params, 'params');
    parseOr400(OpenedBody, request.body ?? undefined, 'body');
    if (caller.institutionKind !== 'ecg_center') throw HubError.because('forbidden', 'center-opens-studies');
    const { rows } = await ctx.db.query<{ center: string | null; patient_id: string | null }>(
      `select t.center_institution_id as center, r.patient_id from ecg_turnaround t
         join records r on r.collection = 'ecgStudies' and r.id = t.study_id where t.study_id = $1`,
      [id],
    );
    // A study addressed to another centre is answered like an unknown one: nothing to learn from it.
    if (!rows[0] || rows[0].center !== caller.institutionId) throw HubError.because('not-found', 'no-ecg-study');
    await ctx.db.transaction(async (tx) => {
      await markOpened(tx, id, caller.userId);
      await appendAudit(tx, caller, [{ action: 'read', collection: 'ecgStudies', recordId: id, patientId: rows[0]!.patient_id, detail: { op: 'opened' } }]);
    });
    return (await studyTurnaround(ctx.db, id))!;
  });

  app.get(turnaroundPaths.study, auth, async (request): Promise<StudyTurnaround> => {
    const caller = callerOf(request);
    const { studyId: id } = parseOr400(StudyParams, request.params, 'params');
    const visible = await ctx.db.query(`select 1 from records r where r.collection = 'ecgStudies' and r.id = $1 and ${visibleSql(2)}`, [id, caller.institutionId]);
    const study = visible.rowCount > 0 ? await studyTurnaround(ctx.db, id) : null;
    if (!study) throw HubError.because('not-found', 'no-ecg-study');
    return study;
  });
}
