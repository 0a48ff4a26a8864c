/**
 * Remote-ECG reading (sync/protocol/ecg-reading.ts): claiming a study, signing its report, and a
 * clinic's acknowledgement of a critical finding. Claims and signing are hub writes in one
 * transaction under the replication write lock, so the study's reading state and the report get
 * sequence numbers like any replicated write and reach the clinic and the centre by their pulls.
 */
import type { FastifyInstance } from 'fastify';
import type { HubContext } from '../context.ts';
import { HubError, parseOr400 } from '../errors.ts';
import { callerOf, requireCaller, type Caller } from '../auth/authenticate.ts';
import { appendAudit } from '../audit.ts';
import type { Queryable } from '../db/database.ts';
import { writeRecord, type Doc } from '../replication/store.ts';
import { writeTransaction } from '../replication/write-transaction.ts';
import {
  acknowledgeRequestSchema,
  CLAIM_TTL_MINUTES,
  ecgRoutes,
  reportParamsSchema,
  signReportRequestSchema,
  studyParamsSchema,
  type Acknowledgement,
  type Claim,
  type EscalatedResponse,
} from '../../protocol/ecg-reading.ts';
import { readingStates, type ReadingState } from '../../../core/records/index.ts';

const rank = (s: unknown) => readingStates.indexOf(s as ReadingState);

function requireCardiologist(caller: Caller) {
  if (caller.institutionKind !== 'ecg_center' || caller.role !== 'cardiologist') {
    throw HubError.because('forbidden', 'cardiologists-read-studies');
  }
}

interface StudyRow {
  doc: Doc;
  patient_id: string | null;
}

/** The study, addressed to the caller's centre, locked for this transaction. */
async function lockedStudy(tx: Queryable, studyId: string, caller: Caller): Promise<StudyRow> {
  const { rows } = await tx.query<StudyRow & { deleted: boolean }>(
    `select doc, deleted, patient_id from records where collection = 'ecgStudies' and id = $1 and target_institution_id = $2 for update`,
    [studyId, caller.institutionId],
  );
  const row = rows[0];
  if (!row || row.deleted) throw HubError.because('not-found', 'no-ecg-study');
  return { doc: { ...row.doc, _deleted: false }, patient_id: row.patient_id };
}

/** The current claim on a study, unless it lapsed. */
async function activeClaim(tx: Queryable, studyId: string): Promise<Claim | undefined> {
  const { rows } = await tx.query<{ study_id: string; user_id: string; display_name: string; claimed_at: Date }>(
    `select c.study_id, c.user_id, u.display_name, c.claimed_at from ecg_claims c join users u on u.id = c.user_id
      where c.study_id = $1 and c.claimed_at > now() - make_interval(mins => $2)`,
    [studyId, CLAIM_TTL_MINUTES],
  );
  const r = rows[0];
  return r ? { studyId: r.study_id, userId: r.user_id, displayName: r.display_name, claimedAt: new Date(r.claimed_at).toISOString() } : undefined;
}

const claimedByOther = (claim: Claim) =>
  HubError.because('ecg-study-claimed', 'study-claimed-by', { name: claim.displayName, since: claim.claimedAt });

const notReceived = () =>
  HubError.because('bad-request', 'ecg-file-not-uploaded');

export function registerEcgReadingRoutes(app: FastifyInstance, ctx: HubContext): void {
  const auth = { preHandler: requireCaller(ctx) };

  app.get(ecgRoutes.claims, auth, async (request) => {
    const caller = callerOf(request);
    requireCardiologist(caller);
    const { rows } = await ctx.db.query<{ study_id: string; user_id: string; display_name: string; claimed_at: Date }>(
      `select c.study_id, c.user_id, u.display_name, c.claimed_at from ecg_claims c join users u on u.id = c.user_id
        where c.institution_id = $1 and c.claimed_at > now() - make_interval(mins => $2) order by c.claimed_at`,
      [caller.institutionId, CLAIM_TTL_MINUTES],
    );
    return { claims: rows.map((r) => ({ studyId: r.study_id, userId: r.user_id, displayName: r.display_name, claimedAt: new Date(r.claimed_at).toISOString() })) };
  });

  app.post(ecgRoutes.claim, auth, async (request) => {
    const caller = callerOf(request);
    requireCardiologist(caller);
    const { studyId } = parseOr400(studyParamsSchema, request.params, 'params');
    const claim = await writeTransaction(ctx, async (tx, changes) => {
      const study = await lockedStudy(tx, studyId, caller);
      const state = rank(study.doc.readingState);
      if (state >= rank('reported')) throw new HubError('ecg-study-reported');
      if (state < rank('received')) throw notReceived();
      const held = await activeClaim(tx, studyId);
      if (held && held.userId !== caller.userId) throw claimedByOther(held);
      // A repeated claim by the holder renews it (the viewer re-claims while the study stays open).
      await tx.query(
        `insert into ecg_claims (study_id, institution_id, user_id, claimed_at) values ($1, $2, $3, now())
         on conflict (study_id) do update set user_id = excluded.user_id, institution_id = excluded.institution_id, claimed_at = now()`,
        [studyId, caller.institutionId, caller.userId],
      );
      if (state < rank('being-read')) {
        await writeRecord(tx, changes, 'ecgStudies', { ...study.doc, readingState: 'being-read' }, caller);
        await appendAudit(tx, caller, [{ action: 'update', collection: 'ecgStudies', recordId: studyId, patientId: study.patient_id, detail: { claimed: true } }]);
      }
      return (await activeClaim(tx, studyId))!;
    });
    return claim;
  });

  app.post(ecgRoutes.release, auth, async (request) => {
    const caller = callerOf(request);
    requireCardiologist(caller);
    const { studyId } = parseOr400(studyParamsSchema, request.params, 'params');
    const { rowCount } = await ctx.db.query('delete from ecg_claims where study_id = $1 and user_id = $2', [studyId, caller.userId]);
    return { released: rowCount > 0 };
  });

  app.post(ecgRoutes.report, auth, async (request) => {
    const caller = callerOf(request);
    requireCardiologist(caller);
    const { studyId } = parseOr400(studyParamsSchema, request.params, 'params');
    const { report: submitted } = parseOr400(signReportRequestSchema, request.body, 'body');
    // The signing time is the hub's clock when it accepts the signature, never the reading room's.
    const report = { ...submitted, signedAt: submitted.signedAt === null ? null : new Date().toISOString() };
    if (report.studyId !== studyId) throw HubError.because('bad-request', 'report-study-mismatch');
    if (report.institutionId !== caller.institutionId || report.signedBy !== caller.userId || report.signedAt === null) {
      throw HubError.because('bad-request', 'report-signer-mismatch');
    }
    await writeTransaction(ctx, async (tx, changes) => {
      const study = await lockedStudy(tx, studyId, caller);
      if (rank(study.doc.readingState) >= rank('reported')) throw new HubError('ecg-study-reported');
      if (report.patientId !== study.doc.patientId) throw HubError.because('bad-request', 'report-patient-mismatch');
      const held = await activeClaim(tx, studyId);
      if (!held || held.userId !== caller.userId) {
        if (held) throw claimedByOther(held);
        throw HubError.because('forbidden', 'claim-before-signing');
      }
      const existing = await tx.query<{ doc: Doc }>("select doc from records where collection = 'ecgReports' and id = $1", [report.id]);
      if (existing.rowCount > 0 && (existing.rows[0]!.doc.signedAt ?? null) !== null) throw new HubError('ecg-study-reported');
      await writeRecord(tx, changes, 'ecgReports', { ...report, _deleted: false } as unknown as Doc, caller);
      await writeRecord(tx, changes, 'ecgStudies', { ...study.doc, readingState: 'reported' }, caller);
      await tx.query('delete from ecg_claims where study_id = $1', [studyId]);
      await appendAudit(tx, caller, [
        { action: 'create', collection: 'ecgReports', recordId: report.id, patientId: study.patient_id, detail: { signed: true, critical: report.critical } },
        { action: 'update', collection: 'ecgStudies', recordId: studyId, patientId: study.patient_id, detail: { readingState: 'reported' } },
      ]);
    });
    return { report };
  });

  // 危急值 escalation: a critical report the clinic has not acknowledged within the hub's limit
  // (settings.criticalEscalationMinutes, default 10) is shown to the clinic's administrator (the
  // county's: every clinic's; the ECG centre's: the centre's) and to the cardiologist who signed it.
  app.get(ecgRoutes.escalated, auth, async (request): Promise<EscalatedResponse> => {
    const caller = callerOf(request);
    const minutes = ctx.settings.criticalEscalationMinutes;
    let scope: string;
    const params: unknown[] = [minutes];
    if (caller.role === 'administrator') {
      if (caller.institutionKind === 'county_hospital') scope = 'true';
      else if (caller.institutionKind === 'ecg_center') scope = `r.owner_institution_id = $${params.push(caller.institutionId)}`;
      else scope = `r.target_institution_id = $${params.push(caller.institutionId)}`;
    } else if (caller.role === 'cardiologist') {
      scope = `r.doc->>'signedBy' = $${params.push(caller.userId)}`;
    } else {
      throw HubError.because('forbidden', 'clinic-admins-and-signer');
    }
    const { rows } = await ctx.db.query<{ id: string; doc: Doc; target_institution_id: string; patient_name: string | null; minutes_waiting: number }>(
      `select r.id, r.doc, r.target_institution_id, p.doc->>'name' as patient_name,
              floor(extract(epoch from (now() - (r.doc->>'signedAt')::timestamptz)) / 60)::int as minutes_waiting
         from records r
         left join ecg_critical_acknowledgements a on a.report_id = r.id
         left join records p on p.collection = 'patients' and p.id = r.doc->>'patientId'
        where r.collection = 'ecgReports' and not r.deleted and (r.doc->>'critical')::boolean
          and r.doc->>'signedAt' is not null and a.report_id is null
          and (r.doc->>'signedAt')::timestamptz < now() - make_interval(mins => $1)
          and ${scope}
        order by r.doc->>'signedAt'`,
      params,
    );
    // When the next critical report still inside its limit will cross it: the client asks again then,
    // by the hub's clock, instead of polling.
    const next = await ctx.db.query<{ seconds: number | null }>(
      `select ceil(min(extract(epoch from ((r.doc->>'signedAt')::timestamptz + make_interval(mins => $1) - now()))))::int as seconds
         from records r
         left join ecg_critical_acknowledgements a on a.report_id = r.id
        where r.collection = 'ecgReports' and not r.deleted and (r.doc->>'critical')::boolean
          and r.doc->>'signedAt' is not null and a.report_id is null
          and (r.doc->>'signedAt')::timestamptz >= now() - make_interval(mins => $1)
          and ${scope}`,
      params,
    );
    const seconds = next.rows[0]?.seconds;
    return {
      escalateAfterMinutes: minutes,
      nextDueInSeconds: seconds === null || seconds === undefined ? null : Math.max(0, Number(seconds)),
      findings: rows.map((r) => ({
        reportId: r.id,
        studyId: String(r.doc.studyId),
        clinicId: r.target_institution_id,
        patientName: r.patient_name ?? '',
        signedBy: String(r.doc.signedBy),
        signedAt: String(r.doc.signedAt),
        statements: ((r.doc.statements ?? []) as { text: string }[]).map((s) => s.text),
        minutesWaiting: Number(r.minutes_waiting),
      })),
    };
  });

  app.post(ecgRoutes.acknowledge, auth, async (request) => {
    const caller = callerOf(request);
    const { reportId } = parseOr400(reportParamsSchema, request.params, 'params');
    parseOr400(acknowledgeRequestSchema, request.body ?? {}, 'body'); // the client's time is not trusted
    // Only the clinic the report went to (the owner of the study) acknowledges it, once it is signed:
    // an unsigned draft is the centre's and answers like an unknown report.
    const ack = await writeTransaction(ctx, async (tx, changes) => {
      const { rows } = await tx.query<{ doc: Doc; patient_id: string | null }>(
        `select doc, patient_id from records
          where collection = 'ecgReports' and id = $1 and target_institution_id = $2 and not deleted
            and coalesce(doc->>'signedAt', '') <> ''`,
        [reportId, caller.institutionId],
      );
      const report = rows[0];
      if (!report) throw HubError.because('not-found', 'no-ecg-report');
      const inserted = await tx.query<{ user_id: string; acknowledged_at: Date }>(
        `insert into ecg_critical_acknowledgements (report_id, institution_id, user_id, acknowledged_at) values ($1, $2, $3, clock_timestamp())
         on conflict (report_id) do nothing
         returning user_id, acknowledged_at`,
        [reportId, caller.institutionId, caller.userId],
      );
      const first = inserted.rows[0];
      if (!first) {
        // Acknowledged before (another PC of the clinic, or this one retrying): the first one stands.
        const stored = await tx.query<{ user_id: string; acknowledged_at: Date }>('select user_id, acknowledged_at from ecg_critical_acknowledgements where report_id = $1', [reportId]);
        return stored.rows[0]!;
      }
      // Stamped on the report itself, so it replicates: the alert closes on every PC of the clinic and
      // the reading room sees who acknowledged (role-rules.ts refuses these fields from pushes).
      const at = new Date(first.acknowledged_at).toISOString();
      await writeRecord(tx, changes, 'ecgReports', { ...report.doc, acknowledgedBy: first.user_id, acknowledgedAt: at, updatedAt: at }, caller);
      await appendAudit(tx, caller, [{ action: 'update', collection: 'ecgReports', recordId: reportId, patientId: report.patient_id, detail: { criticalAcknowledged: true } }]);
      return first;
    });
    return { reportId, userId: ack.user_id, acknowledgedAt: new Date(ack.acknowledged_at).toISOString() } satisfies Acknowledgement;
  });
}
