/**
 * Who may open a patient, and who did (issue 13): emergency access ("break the glass"), the patient
 * access report for the home institution and the county, and the county patient-index
 * administrator's queue of identity discrepancies (sync/protocol/access.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { HubContext } from '../context.ts';
import { errors, parseOr400, HubError } from '../errors.ts';
import { callerOf, requireCaller, type Caller } from '../auth/authenticate.ts';
import { appendAudit } from '../audit.ts';
import { auditingRefusals } from '../replication/refusals.ts';
import { institutionsSeeing, linkPatient, loadRecords, writeRecord, type Doc } from '../replication/store.ts';
import { writeTransaction } from '../replication/write-transaction.ts';
import { masterPatientOf } from '../replication/scope.ts';
import {
  accessPaths,
  discrepancyParamsSchema,
  discrepancyQuerySchema,
  emergencyAccessRequestSchema,
  patientParamsSchema,
  resolveDiscrepancySchema,
} from '../../protocol/access.ts';
import { withPinyinKeys } from '../../../core/records/index.ts';

const isCountyAdmin = (caller: Caller) => caller.role === 'administrator' && caller.institutionKind === 'county_hospital';

export function registerPatientAccessRoutes(app: FastifyInstance, ctx: HubContext): void {
  const auth = { preHandler: requireCaller(ctx) };

  app.post(accessPaths.emergencyAccess, auth, async (request) => {
    const caller = callerOf(request);
    const body = parseOr400(emergencyAccessRequestSchema, request.body, 'body');
    const patientId = await auditingRefusals(ctx, caller, 'patients', () =>
      writeTransaction(ctx, async (tx, changes) => {
        if (caller.role !== 'doctor' || caller.institutionKind === 'ecg_center') {
          throw errors.refusedByRule('access.emergency-by-clinic-doctors', 'emergency-by-clinic-doctors', []);
        }
        let masterId: string | undefined;
        if (body.patientId) masterId = await masterPatientOf(tx, body.patientId);
        else {
          const { rows } = await tx.query<{ master_patient_id: string }>('select master_patient_id from patient_master_index where document_type = $1 and id_number = $2', [body.documentType, body.idNumber]);
          masterId = rows[0]?.master_patient_id;
        }
        const live = masterId ? await tx.query("select 1 from records where collection = 'patients' and id = $1 and not deleted", [masterId]) : undefined;
        if (!masterId || !live || live.rowCount === 0) throw HubError.because('not-found', 'no-patient');
        await linkPatient(tx, changes, masterId, caller.institutionId, 'treating', 'break-the-glass', caller, body.reason);
        await appendAudit(tx, caller, [{ action: 'emergency_access', collection: 'patients', recordId: masterId, patientId: masterId, detail: { reason: body.reason } }]);
        for (const i of await institutionsSeeing(tx, [masterId])) changes.institutions.add(i);
        return masterId;
      }),
    );
    return { patientId };
  });

  // PIPL: who opened this record, when, and how the relationship began. The home institution's
  // administrator and the county's administrators may ask; nobody else.
  app.get(accessPaths.accessReport, auth, async (request) => {
    const caller = callerOf(request);
    const { patientId } = parseOr400(patientParamsSchema, request.params, 'params');
    const masterId = await masterPatientOf(ctx.db, patientId);
    const home = await ctx.db.query<{ owner: string }>("select owner_institution_id as owner from records where collection = 'patients' and id = $1", [masterId]);
    const allowed = isCountyAdmin(caller) || (caller.role === 'administrator' && home.rows[0]?.owner === caller.institutionId);
    if (!allowed || !home.rows[0]) {
      await appendAudit(ctx.db, caller, [{ action: 'refused', collection: 'patients', recordId: patientId, patientId: home.rows[0] ? masterId : null, detail: { rule: 'access.report-for-home-or-county-admin' } }]);
      throw HubError.because('forbidden', 'access-report-home-or-county', {}, { rule: 'access.report-for-home-or-county-admin' });
    }
    const links = await ctx.db.query<{ institution_id: string; name: string; kind: string; began: string; began_at: Date; began_by_user: string | null; reason: string | null }>(
      `select l.institution_id, i.name, l.kind, l.began, l.began_at, l.began_by_user, l.reason from patient_links l join institutions i on i.id = l.institution_id
        where l.patient_id = $1 order by l.began_at`,
      [masterId],
    );
    const accesses = await ctx.db.query<{ at: Date; institution_id: string | null; user_id: string | null; workstation_id: string | null; action: string; collection: string | null; detail: Record<string, unknown> | null }>(
      `select at, institution_id, user_id, workstation_id, action, collection, detail from audit_log
        where (patient_id in (select $1::text union select alias_id from patient_aliases where master_patient_id = $1)
               or patient_ids && array(select $1::text union select alias_id from patient_aliases where master_patient_id = $1))
          and action in ('read', 'blob_read', 'first_access', 'emergency_access', 'create', 'update', 'delete', 'merge', 'refused')
        order by id desc limit 1000`,
      [masterId],
    );
    await appendAudit(ctx.db, caller, [{ action: 'read', collection: 'audit_log', patientId: masterId, detail: { accessReport: true } }]);
    return {
      patientId: masterId,
      homeInstitutionId: home.rows[0].owner,
      relationships: links.rows.map((l) => ({ institutionId: l.institution_id, institutionName: l.name, kind: l.kind, began: l.began, beganAt: new Date(l.began_at).toISOString(), beganBy: l.began_by_user, reason: l.reason })),
      accesses: accesses.rows.map((a) => ({ at: new Date(a.at).toISOString(), institutionId: a.institution_id, userId: a.user_id, workstationId: a.workstation_id, action: a.action, collection: a.collection, how: (a.detail?.began as string | undefined) ?? null, reason: (a.detail?.reason as string | undefined) ?? null })),
    };
  });

  app.get(accessPaths.discrepancies, auth, async (request) => {
    const caller = callerOf(request);
    if (!isCountyAdmin(caller)) throw HubError.because('forbidden', 'patient-index-county-admins', {}, { rule: 'patient-index.county-admin' });
    const { state } = parseOr400(discrepancyQuerySchema, request.query, 'query');
    const where = state === 'open' ? 'where d.resolved_at is null' : state === 'resolved' ? 'where d.resolved_at is not null' : '';
    const { rows } = await ctx.db.query<Record<string, unknown>>(
      `select d.*, r.doc as master, i.name as reported_by_institution_name, u.display_name as reported_by_user_name
         from identity_discrepancies d
         left join records r on r.collection = 'patients' and r.id = d.master_patient_id
         left join institutions i on i.id = d.reported_by_institution
         left join users u on u.id = d.reported_by_user
        ${where} order by d.id desc limit 500`,
    );
    await appendAudit(ctx.db, caller, [{ action: 'read', collection: 'identity_discrepancies', detail: { count: rows.length } }]);
    return {
      discrepancies: rows.map((d) => {
        const master = (d.master ?? {}) as Record<string, unknown>;
        const proposed = d.proposed as Record<string, unknown>;
        return {
          id: Number(d.id),
          masterPatientId: d.master_patient_id,
          patientName: master.name ?? null,
          homeInstitutionId: master.institutionId ?? null,
          sourceRecordId: d.source_record_id,
          source: d.source,
          registration: d.registration,
          reportedByInstitution: d.reported_by_institution,
          reportedByInstitutionName: d.reported_by_institution_name ?? null,
          reportedByUser: d.reported_by_user,
          reportedByUserName: d.reported_by_user_name ?? null,
          current: Object.fromEntries(Object.keys(proposed).map((f) => [f, master[f] ?? null])),
          proposed,
          createdAt: new Date(d.created_at as Date).toISOString(),
          resolvedAt: d.resolved_at ? new Date(d.resolved_at as Date).toISOString() : null,
          resolution: d.resolution,
        };
      }),
    };
  });

  app.post(accessPaths.resolveDiscrepancy, auth, async (request) => {
    const caller = callerOf(request);
    if (!isCountyAdmin(caller)) throw HubError.because('forbidden', 'patient-index-county-admins', {}, { rule: 'patient-index.county-admin' });
    const { id } = parseOr400(discrepancyParamsSchema, request.params, 'params');
    const { resolution } = parseOr400(resolveDiscrepancySchema, request.body, 'body');
    const outcome = await writeTransaction(ctx, async (tx, changes) => {
      const { rows } = await tx.query<{ master_patient_id: string; proposed: Record<string, unknown>; resolved_at: Date | null }>(
        'select master_patient_id, proposed, resolved_at from identity_discrepancies where id = $1 for update',
        [id],
      );
      const d = rows[0];
      if (!d) throw HubError.because('not-found', 'no-discrepancy');
      if (d.resolved_at) throw HubError.because('bad-request', 'discrepancy-resolved');
      if (resolution === 'accepted') {
        const master = (await loadRecords(tx, 'patients', [d.master_patient_id])).get(d.master_patient_id)?.doc;
        if (!master) throw HubError.because('not-found', 'no-patient');
        const next: Doc = withPinyinKeys({ ...master, ...d.proposed, name: String(d.proposed.name ?? master.name), updatedAt: new Date().toISOString() });
        if (next.idNumber !== master.idNumber || next.documentType !== master.documentType) {
          await tx.query('delete from patient_master_index where master_patient_id = $1', [master.id]);
          await tx.query('insert into patient_master_index (document_type, id_number, master_patient_id) values ($1, $2, $3) on conflict do nothing', [next.documentType, next.idNumber, master.id]);
        }
        await writeRecord(tx, changes, 'patients', next, caller);
        for (const i of await institutionsSeeing(tx, [master.id])) changes.institutions.add(i);
      }
      await tx.query('update identity_discrepancies set resolved_at = now(), resolved_by = $2, resolution = $3 where id = $1', [id, caller.userId, resolution]);
      await appendAudit(tx, caller, [{ action: 'admin', collection: 'patients', recordId: d.master_patient_id, patientId: d.master_patient_id, detail: { op: 'resolve_identity_discrepancy', discrepancyId: id, resolution, fields: Object.keys(d.proposed) } }]);
      return { id, masterPatientId: d.master_patient_id, resolution };
    });
    return outcome;
  });
}
