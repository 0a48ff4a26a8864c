/**
 * Administration: enrol workstations (one-time codes), manage users, revoke, read the audit trail.
 * An administrator manages their own institution; an administrator of the county hospital (牵头医院,
 * the lead of the county medical community) manages every institution.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { text } from '../../../core/records/index.ts';
import type { HubContext } from '../context.ts';
import { parseOr400, HubError } from '../errors.ts';
import { callerOf, requireCaller, type Caller } from '../auth/authenticate.ts';
import { hashPassword, hashSecret } from '../auth/passwords.ts';
import { appendAudit, type AuditAction } from '../audit.ts';
import { normaliseEnrolmentCode } from './auth.ts';
import { adminPaths, syncReportSchema, type AdminUser, type Directory, type WorkstationHealth } from '../../protocol/admin.ts';

const Id = text().min(1).max(100);
const CreateWorkstation = z.strictObject({ name: text().trim().min(1).max(100), institutionId: Id.optional() });
const CreateUser = z.strictObject({
  username: text().trim().min(1).max(100).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only'),
  displayName: text().trim().min(1).max(100),
  role: z.enum(['nurse', 'doctor', 'cardiologist', 'administrator']),
  password: text().min(8).max(200),
  institutionId: Id.optional(),
});
const IdParams = z.strictObject({ id: Id });
const ResetPassword = z.strictObject({ password: text().min(8).max(200) });
/** Lists: the caller's institution, or (county administrators) one named institution or all. */
const ListQuery = z.strictObject({ institutionId: Id.optional() });

/** The institutions a list answers for: null = every institution (county administrator, none named). */
function listScope(caller: Caller, institutionId: string | undefined): string | null {
  if (caller.role !== 'administrator') throw HubError.because('forbidden', 'administrators-only');
  if (caller.institutionKind === 'county_hospital') return institutionId ?? null;
  if (institutionId && institutionId !== caller.institutionId) throw HubError.because('forbidden', 'admins-manage-own-institution');
  return caller.institutionId;
}

const iso = (value: unknown): string | null => (value === null || value === undefined ? null : new Date(value as string | Date).toISOString());
const auditActions = ['read', 'create', 'update', 'delete', 'merge', 'refused', 'blob_read', 'blob_write', 'login', 'login_failed', 'enrol', 'admin', 'first_access', 'emergency_access', 'lockout'] as const satisfies readonly AuditAction[];
const AuditQuery = z
  .strictObject({
    patientId: Id.optional(),
    userId: Id.optional(),
    workstationId: Id.optional(),
    institutionId: Id.optional(),
    action: z.enum(auditActions).optional(),
    /** Period: entries at or after `from` and before `to` (ISO 8601 with offset). */
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    /** Paging, newest first: the `nextBefore` of the previous page. */
    before: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: '`from` must be before `to`', path: ['from'] });

/** The user named by `:id`, once the caller is found to administer that user's institution. */
async function administeredUser(ctx: HubContext, request: FastifyRequest, caller: Caller): Promise<string> {
  const { id } = parseOr400(IdParams, request.params, 'params');
  const { rows } = await ctx.db.query<{ institution_id: string }>('select institution_id from users where id = $1', [id]);
  if (!rows[0]) throw HubError.because('not-found', 'no-user');
  requireAdmin(caller, rows[0].institution_id);
  return id;
}

function requireAdmin(caller: Caller, institutionId: string): void {
  if (caller.role !== 'administrator') throw HubError.because('forbidden', 'administrators-only');
  if (institutionId !== caller.institutionId && caller.institutionKind !== 'county_hospital') {
    throw HubError.because('forbidden', 'admins-manage-own-institution');
  }
}

/** 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), shown as XXXX-XXXX-XXXX. */
export function newEnrolmentCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const chars = Array.from({ length: 12 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

export async function createEnrolmentCode(ctx: HubContext, workstationId: string, createdBy: string | null, code = newEnrolmentCode()) {
  await ctx.db.query(
    `insert into enrolment_codes (code_hash, workstation_id, created_by, expires_at) values ($1, $2, $3, now() + make_interval(secs => $4))`,
    [hashSecret(normaliseEnrolmentCode(code)), workstationId, createdBy, ctx.settings.enrolmentCodeTtlSeconds],
  );
  return code;
}

export function registerAdminRoutes(app: FastifyInstance, ctx: HubContext): void {
  const auth = { preHandler: requireCaller(ctx) };

  // Scoped like the rest: a county-hospital administrator sees every institution of the community;
  // anyone else sees their own, the ECG centres (a clinic may send a study to any of them) and the
  // institutions whose studies were sent to them (the reading room names the clinic of a study).
  app.get('/admin/institutions', auth, async (request) => {
    const caller = callerOf(request);
    if (caller.role === 'administrator' && caller.institutionKind === 'county_hospital') {
      const { rows } = await ctx.db.query('select id, kind, name from institutions order by id');
      return { institutions: rows };
    }
    const { rows } = await ctx.db.query(
      `select id, kind, name from institutions i
        where i.id = $1 or i.kind = 'ecg_center'
           or exists (select 1 from records r where r.collection = 'ecgStudies' and r.target_institution_id = $1 and r.owner_institution_id = i.id)
        order by id`,
      [caller.institutionId],
    );
    return { institutions: rows };
  });

  app.post('/admin/workstations', auth, async (request, reply) => {
    const caller = callerOf(request);
    const body = parseOr400(CreateWorkstation, request.body, 'body');
    const institutionId = body.institutionId ?? caller.institutionId;
    requireAdmin(caller, institutionId);
    const workstationId = `ws-${randomUUID()}`;
    await ctx.db.query('insert into workstations (id, institution_id, name) values ($1, $2, $3)', [workstationId, institutionId, body.name]);
    const code = await createEnrolmentCode(ctx, workstationId, caller.userId);
    await appendAudit(ctx.db, caller, [{ action: 'admin', detail: { op: 'create_workstation', workstationId } }]);
    reply.code(201);
    return { workstationId, institutionId, enrolmentCode: code, expiresInSeconds: ctx.settings.enrolmentCodeTtlSeconds };
  });

  app.post('/admin/workstations/:id/revoke', auth, async (request) => {
    const caller = callerOf(request);
    const { id } = parseOr400(IdParams, request.params, 'params');
    const { rows } = await ctx.db.query<{ institution_id: string }>('select institution_id from workstations where id = $1', [id]);
    if (!rows[0]) throw HubError.because('not-found', 'no-workstation');
    requireAdmin(caller, rows[0].institution_id);
    await ctx.db.transaction(async (tx) => {
      await tx.query('update workstations set revoked_at = coalesce(revoked_at, now()) where id = $1', [id]);
      await tx.query('update refresh_tokens set revoked_at = now() where workstation_id = $1 and revoked_at is null', [id]);
      await appendAudit(tx, caller, [{ action: 'admin', detail: { op: 'revoke_workstation', workstationId: id } }]);
    });
    ctx.callers?.clear(); // their very next request is checked again (auth/authenticate.ts)
    return { ok: true };
  });

  app.post('/admin/users', auth, async (request, reply) => {
    const caller = callerOf(request);
    const body = parseOr400(CreateUser, request.body, 'body');
    const institutionId = body.institutionId ?? caller.institutionId;
    requireAdmin(caller, institutionId);
    const id = `user-${randomUUID()}`;
    const inserted = await ctx.db.query(
      `insert into users (id, institution_id, username, display_name, role, password_hash) values ($1, $2, $3, $4, $5, $6)
       on conflict (institution_id, username) do nothing`,
      [id, institutionId, body.username, body.displayName, body.role, await hashPassword(body.password)],
    );
    if (inserted.rowCount === 0) throw HubError.because('bad-request', 'username-taken');
    await appendAudit(ctx.db, caller, [{ action: 'admin', detail: { op: 'create_user', userId: id } }]);
    reply.code(201);
    return { id, institutionId, username: body.username, displayName: body.displayName, role: body.role };
  });

  app.post('/admin/users/:id/disable', auth, async (request) => {
    const caller = callerOf(request);
    const id = await administeredUser(ctx, request, caller);
    await ctx.db.transaction(async (tx) => {
      await tx.query('update users set disabled_at = coalesce(disabled_at, now()) where id = $1', [id]);
      await tx.query('update refresh_tokens set revoked_at = now() where user_id = $1 and revoked_at is null', [id]);
      await appendAudit(tx, caller, [{ action: 'admin', detail: { op: 'disable_user', userId: id } }]);
    });
    ctx.callers?.clear(); // their very next request is checked again (auth/authenticate.ts)
    return { ok: true };
  });

  // A locked account (repeated wrong passwords) is unlocked by its institution's administrator.
  app.post('/admin/users/:id/unlock', auth, async (request) => {
    const caller = callerOf(request);
    const id = await administeredUser(ctx, request, caller);
    await ctx.db.transaction(async (tx) => {
      await tx.query('delete from login_failures where user_id = $1', [id]);
      await appendAudit(tx, caller, [{ action: 'admin', detail: { op: 'unlock_user', userId: id } }]);
    });
    return { ok: true };
  });

  app.get(adminPaths.users, auth, async (request): Promise<{ users: AdminUser[] }> => {
    const caller = callerOf(request);
    const scope = listScope(caller, parseOr400(ListQuery, request.query, 'query').institutionId);
    const { rows } = await ctx.db.query<Record<string, unknown>>(
      `select u.id, u.institution_id, u.username, u.display_name, u.role, u.disabled_at, u.created_at, f.locked_until
         from users u left join login_failures f on f.user_id = u.id and f.locked_until > now()
        where ($1::text is null or u.institution_id = $1) order by u.institution_id, u.username`,
      [scope],
    );
    return {
      users: rows.map((r) => ({
        id: String(r.id),
        institutionId: String(r.institution_id),
        username: String(r.username),
        displayName: String(r.display_name),
        role: r.role as AdminUser['role'],
        disabled: r.disabled_at !== null,
        locked: r.locked_until !== null,
        lockedUntil: iso(r.locked_until),
        createdAt: iso(r.created_at)!,
      })),
    };
  });

  app.post('/admin/users/:id/enable', auth, async (request) => {
    const caller = callerOf(request);
    const id = await administeredUser(ctx, request, caller);
    await ctx.db.transaction(async (tx) => {
      await tx.query('update users set disabled_at = null where id = $1', [id]);
      await appendAudit(tx, caller, [{ action: 'admin', detail: { op: 'enable_user', userId: id } }]);
    });
    return { ok: true };
  });

  // A forgotten password: the administrator sets a temporary one. The user's sessions end (refresh
  // tokens revoked) and a lockout is lifted, so the new password works at once.
  app.post('/admin/users/:id/password', auth, async (request) => {
    const caller = callerOf(request);
    const body = parseOr400(ResetPassword, request.body, 'body');
    const id = await administeredUser(ctx, request, caller);
    const hash = await hashPassword(body.password);
    await ctx.db.transaction(async (tx) => {
      await tx.query('update users set password_hash = $2 where id = $1', [id, hash]);
      await tx.query('update refresh_tokens set revoked_at = now() where user_id = $1 and revoked_at is null', [id]);
      await tx.query('delete from login_failures where user_id = $1', [id]);
      await appendAudit(tx, caller, [{ action: 'admin', detail: { op: 'reset_password', userId: id } }]);
    });
    ctx.callers?.clear(); // their very next request is checked again (auth/authenticate.ts)
    return { ok: true };
  });

  // Workstations with their sync health: enrolment state, when the hub last heard from each, what
  // each last reported about its queue, and how many of its writes the hub refused lately.
  app.get(adminPaths.workstations, auth, async (request): Promise<{ workstations: WorkstationHealth[] }> => {
    const caller = callerOf(request);
    const scope = listScope(caller, parseOr400(ListQuery, request.query, 'query').institutionId);
    const { rows } = await ctx.db.query<Record<string, unknown>>(
      `select w.id, w.institution_id, w.name, w.credential_hash is not null as enrolled, w.created_at, w.enrolled_at, w.revoked_at,
              r.reported_at, r.pending, r.set_aside, r.last_synced_at,
              (select max(created_at) from refresh_tokens t where t.workstation_id = w.id) as last_token,
              (select max(at) from audit_log a where a.workstation_id = w.id) as last_audit,
              (select count(*) from audit_log a where a.workstation_id = w.id and a.action = 'refused' and a.at > now() - interval '30 days') as refused
         from workstations w left join workstation_sync_reports r on r.workstation_id = w.id
        where ($1::text is null or w.institution_id = $1) order by w.institution_id, w.name`,
      [scope],
    );
    const latest = (...values: unknown[]) => {
      const times = values.filter((v) => v !== null && v !== undefined).map((v) => new Date(v as string | Date).getTime());
      return times.length ? new Date(Math.max(...times)).toISOString() : null;
    };
    return {
      workstations: rows.map((r) => ({
        id: String(r.id),
        institutionId: String(r.institution_id),
        name: String(r.name),
        state: r.revoked_at !== null ? 'revoked' : r.enrolled ? 'enrolled' : 'awaiting-enrolment',
        createdAt: iso(r.created_at)!,
        enrolledAt: iso(r.enrolled_at),
        revokedAt: iso(r.revoked_at),
        lastSeenAt: latest(r.reported_at, r.last_token, r.last_audit),
        pending: r.pending === null || r.pending === undefined ? null : Number(r.pending),
        setAside: r.set_aside === null || r.set_aside === undefined ? null : Number(r.set_aside),
        lastSyncedAt: iso(r.last_synced_at),
        refusedLast30Days: Number(r.refused),
      })),
    };
  });

  // Any signed-in workstation reports its own queue; the token says which workstation it is.
  app.post(adminPaths.syncReport, auth, async (request) => {
    const caller = callerOf(request);
    const body = parseOr400(syncReportSchema, request.body, 'body');
    await ctx.db.query(
      `insert into workstation_sync_reports (workstation_id, reported_at, pending, set_aside, last_synced_at) values ($1, now(), $2, $3, $4)
       on conflict (workstation_id) do update set reported_at = now(), pending = $2, set_aside = $3, last_synced_at = $4`,
      [caller.workstationId, body.pending, body.setAside, body.lastSyncedAt],
    );
    return { ok: true };
  });

  // Names, never ids (issue 14 item 4): every signed-in user may read the institutions and the
  // display names and roles of the community's staff (no usernames, no state).
  app.get(adminPaths.directory, auth, async (): Promise<Directory> => {
    const institutions = await ctx.db.query<Directory['institutions'][number]>('select id, kind, name from institutions order by id');
    const people = await ctx.db.query<{ id: string; institution_id: string; display_name: string; role: Directory['people'][number]['role'] }>(
      'select id, institution_id, display_name, role from users order by institution_id, id',
    );
    return {
      institutions: institutions.rows.map((r) => ({ id: r.id, kind: r.kind, name: r.name })),
      people: people.rows.map((r) => ({ id: r.id, institutionId: r.institution_id, displayName: r.display_name, role: r.role })),
    };
  });

  app.get('/admin/audit', auth, async (request) => {
    const caller = callerOf(request);
    if (caller.role !== 'administrator') throw HubError.because('forbidden', 'administrators-only');
    const query = parseOr400(AuditQuery, request.query, 'query');
    const params: unknown[] = [];
    const where: string[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.patientId) {
      // A patient's trail includes its merged registrations (主索引): entries written under the
      // duplicate's id before the merge, and under the master's when asked about a duplicate.
      const p = param(query.patientId);
      const family = `select ${p} union select alias_id from patient_aliases where master_patient_id = ${p}
                      union select master_patient_id from patient_aliases where alias_id = ${p}`;
      // A pull lists the patients it handed out in patient_ids (one entry per pull).
      where.push(`(patient_id in (${family}) or patient_ids && array(${family}))`);
    }
    if (query.userId) where.push(`user_id = ${param(query.userId)}`);
    if (query.workstationId) where.push(`workstation_id = ${param(query.workstationId)}`);
    if (query.institutionId) where.push(`institution_id = ${param(query.institutionId)}`);
    if (query.action) where.push(`action = ${param(query.action)}`);
    if (query.from) where.push(`at >= ${param(query.from)}::timestamptz`);
    if (query.to) where.push(`at < ${param(query.to)}::timestamptz`);
    if (query.before) where.push(`id < ${param(query.before)}`);
    // The county sees everything. An institution's administrator sees what happened at the
    // institution and what anyone did with the patients it registered or treats (who at another
    // clinic read our patient), nothing about other patients.
    if (caller.institutionKind !== 'county_hospital') {
      const me = param(caller.institutionId);
      where.push(`(institution_id = ${me}
        or patient_id in (select patient_id from patient_links where institution_id = ${me} and kind = 'treating')
        or patient_ids && array(select patient_id from patient_links where institution_id = ${me} and kind = 'treating')
        or patient_id in (select a.alias_id from patient_aliases a join patient_links l on l.patient_id = a.master_patient_id
                           where l.institution_id = ${me} and l.kind = 'treating'))`);
    }
    // One row more than asked tells whether another page exists.
    const { rows } = await ctx.db.query<Record<string, unknown>>(
      `select id, at, institution_id, user_id, workstation_id, action, collection, record_id, patient_id, patient_ids, detail
         from audit_log ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit ${param(query.limit + 1)}`,
      params,
    );
    const page = rows.slice(0, query.limit);
    return {
      entries: page.map((r) => ({
        id: Number(r.id),
        at: (r.at as Date).toISOString(),
        institutionId: r.institution_id,
        userId: r.user_id,
        workstationId: r.workstation_id,
        action: r.action,
        collection: r.collection,
        recordId: r.record_id,
        patientId: r.patient_id,
        // A pull's entry names every patient whose records it handed out; asked about one patient, that one.
        // (An institution's administrator is not told which other patients another institution's pull held.)
        ...(r.patient_ids ? { patientIds: query.patientId ? [query.patientId] : caller.institutionKind === 'county_hospital' || r.institution_id === caller.institutionId ? r.patient_ids : [] } : {}),
        // Another institution's pull lists other patients' records too: an institution's administrator
        // sees that it happened, not what else it read.
        detail: caller.institutionKind !== 'county_hospital' && r.institution_id !== caller.institutionId && r.patient_id === null ? null : r.detail,
      })),
      /** Pass as `before` for the next (older) page; null on the last page. */
      nextBefore: rows.length > query.limit ? Number(page.at(-1)!.id) : null,
    };
  });
}
