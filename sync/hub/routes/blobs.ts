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
import { callerOf, requireCaller, type Caller } from '../auth/authenticate.ts';
import { appendAudit } from '../audit.ts';
import { blobChunkParamsSchema, blobCompleteSchema, blobParamsSchema, routes, BLOB_CHUNK_MAX, BLOB_SIZE_MAX, type BlobStatus } from '../../protocol/wire.ts';
import type { Queryable } from '../db/database.ts';
import { visibleSql } from '../replication/scope.ts';
import { ChangeSet, lockWrites, writeRecord, type Doc } from '../replication/store.ts';

async function statusOf(db: Queryable, sha256: string): Promise<BlobStatus & { uploader: string | null }> {
  const done = await db.query<{ size: string }>('select size from blobs where sha256 = $1', [sha256]);
  if (done.rows[0]) {
    const size = Number(done.rows[0].size);
    return { sha256, receivedBytes: size, complete: true, size, uploader: null };
  }
  const { rows } = await db.query<{ received: string | null; institution_id: string }>(
    `select u.institution_id, (select sum(length(c.data)) from blob_chunks c where c.sha256 = u.sha256) as received
       from blob_uploads u where u.sha256 = $1`,
    [sha256],
  );
  return { sha256, receivedBytes: Number(rows[0]?.received ?? 0), complete: false, size: null, uploader: rows[0]?.institution_id ?? null };
}

const publicStatus = ({ uploader: _uploader, ...status }: BlobStatus & { uploader: string | null }): BlobStatus => status;

function requireUploader(caller: Caller, uploader: string | null) {
  // Two institutions never produce the same ECG file; an upload in progress belongs to its starter.
  if (uploader && uploader !== caller.institutionId) throw errors.forbidden('Another institution is uploading this file', '其他机构正在上传此文件');
}

export function registerBlobRoutes(app: FastifyInstance, ctx: HubContext): void {
  const chunkLimit = Math.min(ctx.settings.blobChunkLimitBytes, BLOB_CHUNK_MAX);
  const blobMax = Math.min(ctx.settings.blobMaxBytes, BLOB_SIZE_MAX);
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: chunkLimit }, (_request, body, done) => done(null, body));
  const auth = { preHandler: requireCaller(ctx) };

  app.get(routes.blobStatus, auth, async (request) => {
    const { sha256 } = parseOr400(blobParamsSchema, request.params, 'params');
    return publicStatus(await statusOf(ctx.db, sha256));
  });

  app.put(routes.blobChunk, { ...auth, bodyLimit: chunkLimit }, async (request) => {
    const caller = callerOf(request);
    const { sha256, offset } = parseOr400(blobChunkParamsSchema, request.params, 'params');
    if (!Buffer.isBuffer(request.body)) throw errors.badRequest('Send the chunk as application/octet-stream', '文件分块须以 application/octet-stream 发送');
    const chunk = request.body;
    if (offset + chunk.length > blobMax) throw errors.tooLarge(blobMax);
    return ctx.db.transaction(async (tx) => {
      await tx.query(
        `insert into blob_uploads (sha256, size, media_type, institution_id) values ($1, 0, 'application/dicom', $2) on conflict (sha256) do nothing`,
        [sha256, caller.institutionId],
      );
      // Serialises concurrent chunks of one upload (a retried request racing the original).
      await tx.query('select 1 from blob_uploads where sha256 = $1 for update', [sha256]);
      const status = await statusOf(tx, sha256);
      if (status.complete) return publicStatus(status);
      requireUploader(caller, status.uploader);
      if (offset > status.receivedBytes) {
        throw new HubError('blob-offset-mismatch', undefined, undefined, { receivedBytes: status.receivedBytes });
      }
      const fresh = chunk.subarray(status.receivedBytes - offset);
      if (fresh.length > 0) {
        await tx.query('insert into blob_chunks (sha256, byte_offset, data) values ($1, $2, $3)', [sha256, status.receivedBytes, fresh]);
      }
      return { sha256, receivedBytes: status.receivedBytes + fresh.length, complete: false, size: null } satisfies BlobStatus;
    });
  });

  app.post(routes.blobComplete, auth, async (request) => {
    const caller = callerOf(request);
    const { sha256 } = parseOr400(blobParamsSchema, request.params, 'params');
    const { size } = parseOr400(blobCompleteSchema, request.body, 'body');
    if (size > blobMax) throw errors.tooLarge(blobMax);
    const changes = new ChangeSet();
    const outcome = await ctx.db.transaction(async (tx) => {
      await lockWrites(tx); // may advance ECG studies' reading state: a hub write with a new seq
      const status = await statusOf(tx, sha256);
      if (status.complete) return { status: publicStatus(status), mismatch: false };
      requireUploader(caller, status.uploader);
      if (status.receivedBytes !== size) {
        throw new HubError('blob-incomplete', `The file has not been uploaded completely (${status.receivedBytes} of ${size} bytes)`, undefined, {
          receivedBytes: status.receivedBytes,
        });
      }
      const { rows } = await tx.query<{ data: Uint8Array }>('select data from blob_chunks where sha256 = $1 order by byte_offset', [sha256]);
      const content = Buffer.concat(rows.map((r) => Buffer.from(r.data)));
      const actual = createHash('sha256').update(content).digest('hex');
      await tx.query('delete from blob_uploads where sha256 = $1', [sha256]); // chunks cascade
      if (actual !== sha256) return { status: null, mismatch: true };
      await tx.query('insert into blobs (sha256, size, media_type, content, owner_institution_id) values ($1, $2, $3, $4, $5)', [
        sha256,
        content.length,
        'application/dicom',
        content,
        caller.institutionId,
      ]);
      await tx.query('insert into blob_owners (sha256, institution_id) values ($1, $2) on conflict do nothing', [sha256, caller.institutionId]);
      // The file is at the hub: studies waiting for it are now 'received' (the centre can read them).
      const studies = await tx.query<{ doc: Doc; deleted: boolean; patient_id: string | null }>(
        `select doc, deleted, patient_id from records where collection = 'ecgStudies' and doc->>'dicomSha256' = $1
            and doc->>'readingState' in ('queued', 'uploading') for update`,
        [sha256],
      );
      for (const s of studies.rows) {
        await writeRecord(tx, changes, 'ecgStudies', { ...s.doc, _deleted: s.deleted, readingState: 'received' } as Doc, { userId: null, workstationId: null });
      }
      await appendAudit(tx, caller, [{ action: 'blob_write', patientId: studies.rows[0]?.patient_id ?? null, detail: { sha256, size } }]);
      return { status: { sha256, receivedBytes: size, complete: true, size } satisfies BlobStatus, mismatch: false };
    });
    if (outcome.mismatch) throw new HubError('blob-hash-mismatch');
    if (changes.maxSeq > 0) ctx.notifier.changed({ seq: changes.maxSeq, collections: [...changes.collections], institutions: [...changes.institutions] });
    return outcome.status;
  });

  app.get(routes.blob, auth, async (request, reply) => {
    const caller = callerOf(request);
    const { sha256 } = parseOr400(blobParamsSchema, request.params, 'params');
    const { rows } = await ctx.db.query<{ content: Uint8Array; owner_institution_id: string }>('select content, owner_institution_id from blobs where sha256 = $1', [sha256]);
    const blob = rows[0];
    // Readable by the uploader and by whoever may see a study that references the file.
    const study = await ctx.db.query<{ patient_id: string | null }>(
      `select r.patient_id from records r where r.collection = 'ecgStudies' and r.doc->>'dicomSha256' = $1 and ${visibleSql(2)} limit 1`,
      [sha256, caller.institutionId],
    );
    if (!blob || (blob.owner_institution_id !== caller.institutionId && study.rowCount === 0)) throw errors.notFound('File', '文件');
    await appendAudit(ctx.db, caller, [{ action: 'blob_read', patientId: study.rows[0]?.patient_id ?? null, detail: { sha256 } }]);
    // A patient's ECG: never kept in a shared PC's browser cache (the workstation keeps its own copy).
    reply.header('content-type', 'application/octet-stream').header('cache-control', 'no-store');
    return reply.send(Buffer.from(blob.content));
  });
}
