/**
 * Replication endpoints exactly as sync/protocol/wire.ts declares them: pull by position in the hub's
 * change feed, push with assumedMasterState (stored by replication/push.ts) (conflicts answered per sync/protocol/conflicts.ts), and the live
 * stream (SSE). Every read and write is scoped to the caller's institution (replication/scope.ts)
 * and written to the audit trail.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HubContext } from '../context.ts';
import { errors, parseOr400, HubError } from '../errors.ts';
import { authenticate, callerOf, requireCaller, type Caller } from '../auth/authenticate.ts';
import { collectionParamSchema, pullQuerySchema, pushRequestSchema, routes, formatStreamEvent, STREAM_KEEPALIVE_LINE, STREAM_KEEPALIVE_MS, wireDocumentSchema } from '../../protocol/wire.ts';
import { toRecordIssues, type CollectionName, text } from '../../../core/records/index.ts';
import { z } from 'zod';
import { visibleSql } from '../replication/scope.ts';
import { auditingRefusals } from '../replication/refusals.ts';
import { toWire, type Doc } from '../replication/store.ts';
import { storePush, type PushRow } from '../replication/push.ts';
import { writeTransaction } from '../replication/write-transaction.ts';
import { WATERMARK_SQL } from '../replication/position.ts';

const CollectionParams = z.object({ collection: text() });

function collectionOf(request: FastifyRequest): CollectionName {
  const { collection } = parseOr400(CollectionParams, request.params, 'params');
  const parsed = collectionParamSchema.safeParse(collection);
  if (!parsed.success) throw new HubError('unknown-collection');
  return parsed.data;
}

export function registerReplicationRoutes(app: FastifyInstance, ctx: HubContext): void {
  const auth = { preHandler: requireCaller(ctx) };

  app.get(routes.pull, auth, async (request) => {
    const caller = callerOf(request);
    const collection = collectionOf(request);
    const query = parseOr400(pullQuerySchema, request.query, 'query');
    // After the checkpoint in feed order, and only below the watermark: a transaction still running
    // may yet commit records at a position this pull would otherwise step over (position.ts).
    // One audit row per pull, in the same statement: which patients' records went to whom (the access
    // report searches patient_ids), written only when the page holds patients' records. On the read
    // lane: a pull never queues behind a burst of pushes (database.ts).
    const { rows } = await ctx.db.reads.query<{ doc: Doc; deleted: boolean; seq: string; tx: string; id: string }>(
      `with page as (
         select r.id, r.doc, r.deleted, r.seq, r.tx, r.patient_id from records r
          where r.collection = $1 and (r.tx, r.seq) > ($2::bigint, $3::bigint) and r.tx < ${WATERMARK_SQL} and ${visibleSql(4)}
          order by r.tx, r.seq limit $5),
       audited as (
         insert into audit_log (institution_id, user_id, workstation_id, action, collection, patient_ids, detail)
         select $4, $6, $7, 'read', $1, array_agg(distinct p.patient_id),
                jsonb_build_object('count', (select count(*) from page), 'recordIds', (select jsonb_agg(f.id order by f.tx, f.seq) from (select id, tx, seq from page order by tx, seq limit 50) as f))
           from page as p where p.patient_id is not null having count(*) > 0)
       select id, doc, deleted, seq, tx from page order by tx, seq`,
      [collection, query.checkpoint.tx, query.checkpoint.seq, caller.institutionId, query.limit, caller.userId, caller.workstationId],
    );
    const last = rows.at(-1);
    return { documents: rows.map(toWire), checkpoint: last ? { tx: Number(last.tx), seq: Number(last.seq) } : query.checkpoint };
  });

  app.post(routes.push, auth, async (request) => {
    const caller = callerOf(request);
    const collection = collectionOf(request);
    const body = parsePush(collection, request.body);
    const rows = body.rows as unknown as PushRow[];
    const conflicts = await auditingRefusals(ctx, caller, collection, () =>
      writeTransaction(ctx, (tx, changes) => storePush(tx, changes, collection, rows, caller), { urgent: isUrgent(collection, rows) }),
    );
    return { conflicts };
  });

  app.get(routes.stream, auth, async (request, reply) => openStream(ctx, request, reply));

  const openStreams = new Set<() => void>();
  ctx.streams = openStreams;
  app.addHook('preClose', async () => {
    for (const end of [...openStreams]) end();
  });
}

/** An urgent ECG study or a critical report: written ahead of the registration burst (database.ts). */
function isUrgent(collection: CollectionName, rows: PushRow[]): boolean {
  if (collection === 'ecgStudies') return rows.some((r) => r.newDocumentState.priority === 'urgent');
  if (collection === 'ecgReports') return rows.some((r) => r.newDocumentState.critical === true);
  return false;
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
  // Notices arriving together (a burst of commits) become one per collection: each makes the client pull.
  const due = new Map<CollectionName, { tx: number; seq: number }>();
  let resync = false;
  const flush = () => {
    if (ended) return;
    if (resync) res.write(formatStreamEvent('RESYNC'));
    else for (const [collection, checkpoint] of due) res.write(formatStreamEvent({ collection, checkpoint }));
    due.clear();
    resync = false;
  };
  const unsubscribe = ctx.notifier.subscribe((event) => {
    if (event.institutions.length > 0 && !event.institutions.includes(caller.institutionId)) return;
    const first = due.size === 0 && !resync;
    // A notice naming no collection: the relay lost track, pull everything.
    if (event.collections.length === 0) resync = true;
    for (const collection of event.collections) {
      if (collectionParamSchema.safeParse(collection).success) due.set(collection as CollectionName, { tx: event.tx, seq: event.seq });
    }
    if (first) setImmediate(flush);
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
