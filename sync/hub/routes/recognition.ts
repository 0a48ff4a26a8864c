/**
 * Mutual recognition (检查检验结果互认) on the hub:
 * - member hospitals post results as FHIR R4 (recognition/fhir-results.ts). An accepted result is an
 *   ordinary `results` record written into the replicated store with the next sequence number, so
 *   every clinic that treats the patient receives it through its normal pull — nothing else to sync;
 * - administrators read the indicators (recognition/indicators.ts), scoped to their institution, or
 *   to every member institution for the county hospital's administrators.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HubContext } from '../context.ts';
import { HubError, parseOr400 } from '../errors.ts';
import { callerOf, requireCaller, type Caller } from '../auth/authenticate.ts';
import { appendAudit, type AuditEntry } from '../audit.ts';
import { starterItemCatalog, type ItemCatalog } from '../../../core/catalog/index.ts';
import { validateRecord, nowIso, type RecordIssue } from '../../../core/records/index.ts';
import { indicatorQuerySchema, recognitionPaths } from '../../protocol/recognition.ts';
import { hubErrors } from '../../protocol/errors.ts';
import { institutionsSeeing, writeRecord, type Doc } from '../replication/store.ts';
import { writeTransaction } from '../replication/write-transaction.ts';
import { holdResult } from '../recognition/held-results.ts';
import { masterPatientOf } from '../replication/scope.ts';
import type { Queryable } from '../db/database.ts';
import { FhirInputError, resultIdFor, toResultDrafts, type SubjectRef } from '../recognition/fhir-results.ts';
import { recognitionIndicators } from '../recognition/indicators.ts';

const fhirValidationError = (issues: RecordIssue[]) =>
  new HubError(
    'validation-failed',
    `${hubErrors['validation-failed'].en}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
    `${hubErrors['validation-failed'].zh}：${issues.map((i) => `${i.path} ${i.messageZh}`).join('；')}`,
    { issues },
  );

/** The master patient a subject names, if the medical community knows them. */
async function resolveSubject(tx: Queryable, subject: SubjectRef): Promise<string | undefined> {
  if (subject.kind === 'resident-id') {
    const { rows } = await tx.query<{ master_patient_id: string }>("select master_patient_id from patient_master_index where document_type = 'resident' and id_number = $1", [subject.value]);
    return rows[0]?.master_patient_id;
  }
  const master = await masterPatientOf(tx, subject.value);
  const { rowCount } = await tx.query("select 1 from records where collection = 'patients' and id = $1 and not deleted", [master]);
  return rowCount > 0 ? master : undefined;
}

function requirePoster(caller: Caller): void {
  // Results come from the people who sign them off (or the institution's administrator running the
  // LIS/PACS interface), never from the registration desk.
  if (caller.role !== 'doctor' && caller.role !== 'administrator') {
    throw HubError.because('forbidden', 'results-doctors-and-admins');
  }
}

export function registerRecognitionRoutes(app: FastifyInstance, ctx: HubContext, catalog: ItemCatalog = starterItemCatalog()): void {
  const auth = { preHandler: requireCaller(ctx) };

  // FHIR clients send application/fhir+json; it is JSON.
  app.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(HubError.because('bad-request', 'body-not-json'), undefined);
    }
  });

  const postResults = async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = callerOf(request);
    requirePoster(caller);
    let drafts;
    try {
      drafts = toResultDrafts(request.body, catalog);
    } catch (error) {
      if (error instanceof FhirInputError) throw fhirValidationError(error.issues);
      throw error;
    }
    const stored = await writeTransaction(ctx, async (tx, changes) => {
      const out: Array<{ reportId: string; resultId: string; itemCode: string }> = [];
      const audit: AuditEntry[] = [];
      for (const draft of drafts) {
        const patientId = await resolveSubject(tx, draft.subject);
        // Known or not, the answer is the same: a result for someone not registered is held and
        // filed when they are (recognition/held-results.ts), so the endpoint tells nobody who is registered.
        const doc = { ...draft.result, id: resultIdFor(caller.institutionId, draft.reportId), institutionId: caller.institutionId, patientId: patientId ?? 'held', updatedAt: nowIso() };
        const valid = validateRecord('results', doc);
        if (!valid.ok) throw fhirValidationError(valid.error.issues.map((x) => ({ ...x, path: `result.${x.path}` })));
        const existing = await tx.query('select 1 from records where collection = $1 and id = $2', ['results', doc.id]);
        if (patientId) {
          // The result is the posting hospital's own record; it grants no access to the patient's history.
          await writeRecord(tx, changes, 'results', { ...(valid.value as unknown as Doc), _deleted: false }, caller);
        } else {
          await holdResult(tx, draft.subject, { ...(valid.value as unknown as Doc), _deleted: false }, caller.userId);
        }
        audit.push({ action: existing.rowCount > 0 ? 'update' : 'create', collection: 'results', recordId: doc.id, patientId: patientId ?? null, detail: { via: 'fhir', itemCode: doc.itemCode, ...(patientId ? {} : { held: true }) } });
        out.push({ reportId: draft.reportId, resultId: doc.id, itemCode: doc.itemCode });
      }
      await appendAudit(tx, caller, audit);
      for (const inst of await institutionsSeeing(tx, [...changes.patients])) changes.institutions.add(inst);
      return out;
    });
    reply.code(201);
    return { stored };
  };

  app.post(recognitionPaths.fhirDiagnosticReport, auth, postResults);
  app.post(recognitionPaths.fhirBundle, auth, postResults);

  app.get(recognitionPaths.indicators, auth, async (request) => {
    const caller = callerOf(request);
    if (caller.role !== 'administrator') throw HubError.because('forbidden', 'administrators-only-to-see');
    const query = parseOr400(indicatorQuerySchema, request.query, 'query');
    const county = caller.institutionKind === 'county_hospital';
    if (query.institutionId && query.institutionId !== caller.institutionId && !county) {
      throw HubError.because('forbidden', 'admins-see-own-institution');
    }
    const institutionIds = query.institutionId ? [query.institutionId] : county ? undefined : [caller.institutionId];
    const { rows, totals } = await recognitionIndicators(ctx.db, { from: query.from, to: query.to, period: query.period, institutionIds });
    return { from: query.from, to: query.to, period: query.period, rows, totals };
  });
}
