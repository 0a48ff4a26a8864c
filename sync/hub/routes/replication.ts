/**
 * Replication endpoints exactly as sync/protocol/wire.ts declares them: pull by the hub's sequence,
 * push with assumedMasterState (conflicts answered per sync/protocol/conflicts.ts), and the live
 * stream (SSE). Every read and write is scoped to the caller's institution (replication/scope.ts)
 * and written to the audit trail.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HubContext } from '../context.ts';
import { errors, parseOr400, HubError } from '../errors.ts';
import { authenticate, callerOf, requireCaller, type Caller } from '../auth/authenticate.ts';
import { appendAudit, type AuditEntry } from '../audit.ts';
import { collectionParamSchema, pullQuerySchema, pushRequestSchema, routes, formatStreamEvent, STREAM_KEEPALIVE_LINE, STREAM_KEEPALIVE_MS, wireDocumentSchema } from '../../protocol/wire.ts';
import { checkWrite } from '../../protocol/conflicts.ts';
import { sameDocumentState } from '../../protocol/documents.ts';
import { toRecordIssues, type CollectionName, text } from '../../../core/records/index.ts';
import { z } from 'zod';
import { visibleSql, writerOf, masterPatientOf, patientVisible } from '../replication/scope.ts';
import { guardRoles } from '../replication/write-guard.ts';
import { recordIdentityDiscrepancy } from '../replication/identity.ts';
import { fileHeldResults } from '../recognition/held-results.ts';
import type { RegistrationMethod } from '../../protocol/wire.ts';
import { auditingRefusals } from '../replication/refusals.ts';
import { ChangeSet, indexPatient, institutionsSeeing, linkPatient, loadRecords, lockWrites, settleMasterPatient, toWire, writeRecord, ecgCenterId, type Doc } from '../replication/store.ts';
import type { Queryable } from '../db/database.ts';

const CollectionParams = z.object({ collection: text() });

function collectionOf(request: FastifyRequest): CollectionName {
  const { collection } = parseOr400(CollectionParams, request.params, 'params');
  const parsed = collectionParamSchema.safeParse(collection);
  if (!parsed.success) throw new HubError('unknown-collection', `Unknown collection`, '未知的数据集合');
  return parsed.data;
}

export function registerReplicationRoutes(app: FastifyInstance, ctx: HubContext): void {
  const auth = { preHandler: requireCaller(ctx) };

  app.get(routes.pull, auth, async (request) => {
    const caller = callerOf(request);
    const collection = collectionOf(request);
    const query = parseOr400(pullQuerySchema, request.query, 'query');
    const { rows } = await ctx.db.query<{ doc: Doc; deleted: boolean; seq: string; patient_id: string | null; id: string }>(
      `select r.id, r.doc, r.deleted, r.seq, r.patient_id from records r
        where r.collection = $1 and r.seq > $2 and ${visibleSql(3)}
        order by r.seq limit $4`,
      [collection, query.checkpoint.seq, caller.institutionId, query.limit],
    );
    // One audit row per patient per pull (not per document): who received which patient's records.
    const perPatient = new Map<string, string[]>();
    for (const r of rows) if (r.patient_id) perPatient.set(r.patient_id, [...(perPatient.get(r.patient_id) ?? []), r.id]);
    await appendAudit(
      ctx.db,
      caller,
      [...perPatient].map(([patientId, ids]): AuditEntry => ({ action: 'read', collection, patientId, detail: { recordIds: ids.slice(0, 50), count: ids.length } })),
    );
    const last = rows.at(-1);
    return { documents: rows.map(toWire), checkpoint: { seq: last ? Number(last.seq) : query.checkpoint.seq } };
  });

  app.post(routes.push, auth, async (request) => {
    const caller = callerOf(request);
    const collection = collectionOf(request);
    const body = parsePush(collection, request.body);
    const writer = writerOf(caller);
    const changes = new ChangeSet();
    const conflicts = await auditingRefusals(ctx, caller, collection, () => ctx.db.transaction(async (tx) => {
      await lockWrites(tx);
      const masters = await loadRecords(tx, collection, [...new Set(body.rows.map((r) => r.newDocumentState.id))]);
      const center = await ecgCenterId(tx);
      const conflicts: Doc[] = [];
      const audit: AuditEntry[] = [];
      const forbidden = (ids: string[], why: string, whyZh: string) => errors.forbidden(why, whyZh, ids);
      for (const row of body.rows) {
        const next = row.newDocumentState as unknown as Doc;
        const stored = masters.get(next.id);
        const master = stored?.doc;
        // A record the caller cannot see is not answered as a conflict: that would hand it over.
        if (stored && !(await recordVisible(tx, collection, next.id, caller.institutionId))) {
          throw forbidden([next.id], 'This record belongs to another institution', '该记录属于其他机构，无权修改');
        }
        // Idempotent: a repeated push (lost answer, retried request) finds its own state as master.
        if (master && sameDocumentState(master, next)) continue;
        // A stale assumption is answered with the master; with no master there is nothing to conflict
        // with (a hub restored from an older backup): the write goes ahead as a creation. Answering it
        // as a conflict would have sent `undefined`, which the client cannot read.
        if (master && !sameDocumentState(master, row.assumedMasterState ?? undefined)) {
          conflicts.push(master);
          continue;
        }
        const check = checkWrite(collection, master as never, next as never, writer);
        if (!check.ok) {
          if (master) {
            // A differing identity from outside the home institution waits for the patient-index administrator.
            if (collection === 'patients' && master.institutionId !== caller.institutionId) await recordIdentityDiscrepancy(tx, master, next, 'edit', caller);
            conflicts.push(master);
            audit.push({ action: 'refused', collection, recordId: next.id, patientId: stored?.patientId ?? null, detail: { reason: check.reason } });
            continue;
          }
          throw forbidden([next.id], `Refused: ${check.reason}`, '无权写入该记录（只能写入本机构的记录）');
        }
        // Who may write which fields (sync/protocol/role-rules.ts): a 403 naming the rule, nothing stored.
        await guardRoles(tx, collection, master, next, caller);
        // A record about a patient the caller does not see would attach it to that patient's history.
        const rawPatient = collection === 'patients' ? next.id : (next.patientId as string | undefined);
        const patientId = rawPatient ? await masterPatientOf(tx, rawPatient) : null;
        if (patientId && collection !== 'patients' && !(await patientVisible(tx, patientId, caller.institutionId))) {
          throw forbidden([next.id], 'The patient of this record belongs to another institution', '该患者不属于本机构，无权写入');
        }
        await writeRecord(tx, changes, collection, next, caller);
        audit.push({ action: next._deleted ? 'delete' : master ? 'update' : 'create', collection, recordId: next.id, patientId });
        if (patientId && !next._deleted) {
          if (writer.role === 'clinic') await linkPatient(tx, changes, patientId, caller.institutionId, 'treating', collection === 'patients' ? 'registered' : 'record-written', caller);
          if (collection === 'ecgStudies' && center) await linkPatient(tx, changes, patientId, center, 'ecg-reading', 'ecg-reading', caller);
        }
        masters.set(next.id, { doc: next, ownerInstitutionId: next.institutionId, patientId });
        if (collection === 'patients') {
          await fileHeldResults(tx, changes, next);
          const merge = await mergePatient(tx, changes, next, caller, row.registration ?? 'hand-typed');
          const rewritten = changes.mergeWrites.splice(0);
          // The hub may just have rewritten records of this push (the alias, the master): later rows see them.
          for (const w of rewritten) if (masters.has(w.doc.id)) masters.set(w.doc.id, { ...masters.get(w.doc.id)!, doc: w.doc });
          const filledFields = rewritten.flatMap((w) => w.filledFields);
          if (merge) audit.push({ action: 'merge', collection, recordId: merge.aliasId, patientId: merge.masterId, detail: { alias: merge.aliasId, filledFields } });
        }
      }
      await appendAudit(tx, caller, audit);
      for (const i of await institutionsSeeing(tx, [...changes.patients])) changes.institutions.add(i);
      return conflicts;
    }));
    if (changes.maxSeq > 0) {
      ctx.notifier.changed({ seq: changes.maxSeq, collections: [...changes.collections], institutions: [...changes.institutions] });
    }
    return { conflicts };
  });

  app.get(routes.stream, auth, async (request, reply) => openStream(ctx, request, reply));

  const openStreams = new Set<() => void>();
  ctx.streams = openStreams;
  app.addHook('preClose', async () => {
    for (const end of [...openStreams]) end();
  });
}

function parsePush(collection: CollectionName, body: unknown) {
  const result = pushRequestSchema(collection).safeParse(body);
  if (result.success) return result.data;
  // Name the offending rows (their ids, never their contents) so the client can show which record failed.
  const rows = (body as { rows?: unknown[] } | null)?.rows;
  const documentIds = Array.isArray(rows)
    ? rows
        .filter((r) => !wireDocumentSchema(collection).safeParse((r as { newDocumentState?: unknown })?.newDocumentState).success)
        .map((r) => String((r as { newDocumentState?: { id?: unknown } })?.newDocumentState?.id ?? '?'))
    : undefined;
  throw errors.validation(toRecordIssues(result.error), documentIds);
}

/**
 * Master-patient index after a patient write: a new registration of a known document merges into its
 * master; an edit of an alias record refills the master's empty fields. Null when nothing merged.
 */
async function mergePatient(tx: Queryable, changes: ChangeSet, patient: Doc, caller: Caller, registration: RegistrationMethod): Promise<{ masterId: string; aliasId: string } | null> {
  if (patient.mergedInto) {
    const masterId = patient.mergedInto as string;
    const filled = (await settleMasterPatient(tx, changes, masterId)).some((w) => w.filledFields.length > 0);
    return filled ? { masterId, aliasId: patient.id } : null;
  }
  if ((await indexPatient(tx, changes, patient, caller.institutionId, registration, caller)) !== 'merged') return null;
  const masterId = await masterPatientOf(tx, patient.id);
  // The duplicate's name, sex or birth date differing from the master's: kept for the patient-index administrator.
  const master = (await loadRecords(tx, 'patients', [masterId])).get(masterId)?.doc;
  if (master && master.institutionId !== caller.institutionId) await recordIdentityDiscrepancy(tx, master, patient, 'duplicate-registration', caller, registration);
  return { masterId, aliasId: patient.id };
}

async function recordVisible(tx: Parameters<typeof loadRecords>[0], collection: string, id: string, institutionId: string): Promise<boolean> {
  const { rowCount } = await tx.query(`select 1 from records r where r.collection = $1 and r.id = $2 and ${visibleSql(3)}`, [collection, id, institutionId]);
  return rowCount > 0;
}

/**
 * SSE: `data: {"collection":…,"checkpoint":{"seq":…}}` when changes the caller may see are
 * committed, `: keep-alive` every STREAM_KEEPALIVE_MS. The caller is re-authenticated at every
 * keep-alive, so a revoked workstation or user loses its stream within one interval.
 */
async function openStream(ctx: HubContext, request: FastifyRequest, reply: FastifyReply) {
  const caller: Caller = callerOf(request);
  // Headers set by plugins so far (CORS above all: the browser-mode UI runs on another origin) must
  // survive the hijack, which bypasses Fastify's reply pipeline.
  const pluginHeaders = Object.fromEntries(
    Object.entries(reply.getHeaders()).filter((entry): entry is [string, string | number | string[]] => entry[1] !== undefined),
  );
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...pluginHeaders,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(STREAM_KEEPALIVE_LINE);
  let ended = false;
  const unsubscribe = ctx.notifier.subscribe((event) => {
    if (event.institutions.length > 0 && !event.institutions.includes(caller.institutionId)) return;
    for (const collection of event.collections) {
      if (!collectionParamSchema.safeParse(collection).success) continue;
      res.write(formatStreamEvent({ collection: collection as CollectionName, checkpoint: { seq: event.seq } }));
    }
  });
  const keepAlive = setInterval(() => {
    authenticate(ctx, request).then(
      () => res.write(STREAM_KEEPALIVE_LINE),
      () => end(),
    );
  }, ctx.settings.streamKeepAliveMs ?? STREAM_KEEPALIVE_MS);
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(keepAlive);
    unsubscribe();
    ctx.streams?.delete(end);
    res.end();
  };
  ctx.streams?.add(end);
  request.raw.on('close', end);
}
