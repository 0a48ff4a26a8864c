/**
 * Content-addressed, resumable blob upload (ECG DICOM files) per sync/protocol/wire.ts. Chunks are
 * kept contiguous (a chunk may overlap what is held; the overlap is ignored), so receivedBytes is
 * simply the bytes held. On completion the bytes are hashed; a mismatch drops the partial upload
 * (422) and nothing is kept. Blobs live in the database (bytea) so one backup holds everything and
 * both engines behave the same.
 */
import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import type { HubContext } from '../context.ts';
import { errors, HubError, parseOr400 } from '../errors.ts';
import { callerOf, requireCaller } from '../auth/authenticate.ts';
import { appendAudit } from '../audit.ts';
import { blobChunkParamsSchema, blobCompleteSchema, blobParamsSchema, routes, BLOB_CHUNK_MAX, BLOB_SIZE_MAX, type BlobStatus } from '../../protocol/wire.ts';
import type { Queryable } from '../db/database.ts';
import { visibleSql } from '../replication/scope.ts';
import { writeRecord, type Doc } from '../replication/store.ts';
import { writeTransaction } from '../replication/write-transaction.ts';

/**
 * A file's status as the caller's institution may know it. The bytes are shared (stored once per
 * hash), but the hub answers only institutions entitled to the file — it uploaded the same bytes, or
 * it may see a study of an institution that did; to anyone else a complete file answers like one
 * never seen (receivedBytes 0), so a status call confirms no hash. An upload in progress is per
 * institution: two clinics uploading the same bytes never meet.
 */
async function statusOf(db: Queryable, sha256: string, institutionId: string): Promise<BlobStatus> {
  if (await entitled(db, sha256, institutionId)) {
    const done = await db.query<{ size: string }>('select size from blobs where sha256 = $1', [sha256]);
    const size = Number(done.rows[0]!.size);
    return { sha256, receivedBytes: size, complete: true, size };
  }
  const { rows } = await db.query<{ received: string | null }>(
    'select sum(length(data)) as received from blob_chunks where sha256 = $1 and institution_id = $2',
    [sha256, institutionId],
  );
  return { sha256, receivedBytes: Number(rows[0]?.received ?? 0), complete: false, size: null };
}

/** May `institutionId` have the complete file? (It uploaded it, or sees a study of an institution that did.) */
async function entitled(db: Queryable, sha256: string, institutionId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `select 1 from blob_owners where sha256 = $1 and institution_id = $2
     union all
     select 1 from records r join blob_owners o on o.sha256 = $1 and o.institution_id = r.owner_institution_id
      where r.collection = 'ecgStudies' and r.doc->>'dicomSha256' = $1 and ${visibleSql(2)}
     limit 1`,
    [sha256, institutionId],
  );
  return rowCount > 0;
}

/** Bytes an institution holds at the hub: its files plus its uploads in progress. */
async function storedBytes(db: Queryable, institutionId: string): Promise<number> {
  const { rows } = await db.query<{ n: string | null }>(
    `select (select coalesce(sum(b.size), 0) from blob_owners o join blobs b on b.sha256 = o.sha256 where o.institution_id = $1)
          + (select coalesce(sum(length(c.data)), 0) from blob_chunks c where c.institution_id = $1) as n`,
    [institutionId],
  );
  return Number(rows[0]?.n ?? 0);
}

export function registerBlobRoutes(app: FastifyInstance, ctx: HubContext): void {
  const chunkLimit = Math.min(ctx.settings.blobChunkLimitBytes, BLOB_CHUNK_MAX);
  const blobMax = Math.min(ctx.settings.blobMaxBytes, BLOB_SIZE_MAX);
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: chunkLimit }, (_request, body, done) => done(null, body));
  const auth = { preHandler: requireCaller(ctx) };

  app.get(routes.blobStatus, auth, async (request) => {
    const caller = callerOf(request);
    const { sha256 } = parseOr400(blobParamsSchema, request.params, 'params');
    return statusOf(ctx.db, sha256, caller.institutionId);
  });

  app.put(routes.blobChunk, { ...auth, bodyLimit: chunkLimit }, async (request) => {
    const caller = callerOf(request);
    const { sha256, offset } = parseOr400(blobChunkParamsSchema, request.params, 'params');
    if (!Buffer.isBuffer(request.body)) throw HubError.because('bad-request', 'chunk-content-type');
    const chunk = request.body;
    if (offset + chunk.length > blobMax) throw errors.tooLarge(blobMax);
    return ctx.db.transaction(async (tx) => {
      // Unfinished uploads expire: a PC that never came back does not hold storage for ever.
      await tx.query('delete from blob_uploads where started_at < now() - make_interval(secs => $1)', [ctx.settings.blobUploadTtlSeconds]);
      await tx.query(
        `insert into blob_uploads (sha256, size, media_type, institution_id) values ($1, 0, 'application/dicom', $2) on conflict (sha256, institution_id) do nothing`,
        [sha256, caller.institutionId],
      );
      // Serialises concurrent chunks of one upload (a retried request racing the original).
      await tx.query('select 1 from blob_uploads where sha256 = $1 and institution_id = $2 for update', [sha256, caller.institutionId]);
      const status = await statusOf(tx, sha256, caller.institutionId);
      if (status.complete) return status;
      if (offset > status.receivedBytes) {
        throw new HubError('blob-offset-mismatch', undefined, undefined, { receivedBytes: status.receivedBytes });
      }
      const fresh = chunk.subarray(status.receivedBytes - offset);
      if (fresh.length > 0) {
        const quota = ctx.settings.blobQuotaBytesPerInstitution;
        if ((await storedBytes(tx, caller.institutionId)) + fresh.length > quota) {
          throw HubError.because('payload-too-large', 'storage-quota-full', { quota });
        }
        await tx.query('insert into blob_chunks (sha256, institution_id, byte_offset, data) values ($1, $2, $3, $4)', [sha256, caller.institutionId, status.receivedBytes, fresh]);
      }
      return { sha256, receivedBytes: status.receivedBytes + fresh.length, complete: false, size: null } satisfies BlobStatus;
    });
  });

  app.post(routes.blobComplete, auth, async (request) => {
    const caller = callerOf(request);
    const { sha256 } = parseOr400(blobParamsSchema, request.params, 'params');
    const { size } = parseOr400(blobCompleteSchema, request.body, 'body');
    if (size > blobMax) throw errors.tooLarge(blobMax);
    const outcome = await writeTransaction(ctx, async (tx, changes) => {
      // may advance ECG studies' reading state: a hub write with a new position
      const status = await statusOf(tx, sha256, caller.institutionId);
      if (status.complete) return { status, mismatch: false };
      if (status.receivedBytes !== size) {
        throw HubError.because('blob-incomplete', 'upload-incomplete', { received: status.receivedBytes, size }, { receivedBytes: status.receivedBytes });
      }
      const { rows } = await tx.query<{ data: Uint8Array }>('select data from blob_chunks where sha256 = $1 and institution_id = $2 order by byte_offset', [sha256, caller.institutionId]);
      const content = Buffer.concat(rows.map((r) => Buffer.from(r.data)));
      const actual = createHash('sha256').update(content).digest('hex');
      await tx.query('delete from blob_uploads where sha256 = $1 and institution_id = $2', [sha256, caller.institutionId]); // chunks cascade
      if (actual !== sha256) return { status: null, mismatch: true };
      // The same bytes from a second institution: stored once, owned by both.
      await tx.query(
        'insert into blobs (sha256, size, media_type, content, owner_institution_id) values ($1, $2, $3, $4, $5) on conflict (sha256) do nothing',
        [sha256, content.length, 'application/dicom', content, caller.institutionId],
      );
      await tx.query('insert into blob_owners (sha256, institution_id) values ($1, $2) on conflict do nothing', [sha256, caller.institutionId]);
      // The file is at the hub: studies waiting for it are now 'received' (the centre can read them).
      const studies = await tx.query<{ doc: Doc; deleted: boolean; patient_id: string | null }>(
        `select doc, deleted, patient_id from records where collection = 'ecgStudies' and doc->>'dicomSha256' = $1
            and owner_institution_id = $2 and doc->>'readingState' in ('queued', 'uploading') for update`,
        [sha256, caller.institutionId],
      );
      for (const s of studies.rows) {
        await writeRecord(tx, changes, 'ecgStudies', { ...s.doc, _deleted: s.deleted, readingState: 'received' } as Doc, { userId: null, workstationId: null });
      }
      await appendAudit(tx, caller, [{ action: 'blob_write', patientId: studies.rows[0]?.patient_id ?? null, detail: { sha256, size } }]);
      return { status: { sha256, receivedBytes: size, complete: true, size } satisfies BlobStatus, mismatch: false };
    });
    if (outcome.mismatch) throw new HubError('blob-hash-mismatch');
    return outcome.status;
  });

  app.get(routes.blob, auth, async (request, reply) => {
    const caller = callerOf(request);
    const { sha256 } = parseOr400(blobParamsSchema, request.params, 'params');
    // Served only to institutions entitled to a record that references it (decided here, at the hub).
    if (!(await entitled(ctx.db, sha256, caller.institutionId))) {
      await appendAudit(ctx.db, caller, [{ action: 'refused', detail: { rule: 'blobs.by-entitlement', sha256 } }]);
      throw HubError.because('not-found', 'no-file');
    }
    const { rows } = await ctx.db.query<{ content: Uint8Array }>('select content from blobs where sha256 = $1', [sha256]);
    const blob = rows[0]!;
    const study = await ctx.db.query<{ patient_id: string | null }>(
      `select r.patient_id from records r where r.collection = 'ecgStudies' and r.doc->>'dicomSha256' = $1 and ${visibleSql(2)} limit 1`,
      [sha256, caller.institutionId],
    );
    await appendAudit(ctx.db, caller, [{ action: 'blob_read', patientId: study.rows[0]?.patient_id ?? null, detail: { sha256 } }]);
    // A patient's ECG: never kept in a shared PC's browser cache (the workstation keeps its own copy).
    reply.header('content-type', 'application/octet-stream').header('cache-control', 'no-store');
    return reply.send(Buffer.from(blob.content));
  });
}
