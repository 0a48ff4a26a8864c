/**
 * The hub's HTTP API as the workstation uses it. The hub (sync/hub) implements exactly these routes
 * and validates every body with these schemas; the client (sync/client) parses every answer with them.
 *
 * All routes need `Authorization: Bearer <token>` (AUTH_HEADER); without it → 401 auth-missing.
 * Errors: status + ErrorBody (errors.ts).
 *
 * Replication follows RxDB's replication protocol (replicateRxCollection):
 *   GET  /sync/:collection/pull?checkpoint=<seq>&tx=<tx>&limit=<n>  → PullResponse
 *   POST /sync/:collection/push   body PushRequest            → PushResponse (conflicts)
 *   GET  /sync/stream             text/event-stream of StreamEvent
 * Content-addressed, resumable file upload (DICOM ECG files):
 *   GET  /blobs/:sha256/status                  → BlobStatus
 *   PUT  /blobs/:sha256/chunks/:offset  bytes   → BlobStatus
 *   POST /blobs/:sha256/complete  BlobComplete  → BlobStatus (complete: true)
 *   GET  /blobs/:sha256                         → the file (application/octet-stream)
 */
import { z } from 'zod';
import { collectionNames, recordDefinitions, sha256Hex, type CollectionName, type RecordTypes } from '../../core/records/index.ts';

export const AUTH_HEADER = 'authorization';
export const bearer = (token: string): string => `Bearer ${token}`;

// ---------------------------------------------------------------------------------------------
// Checkpoints: a position in the hub's change feed. Every accepted write (client push or the hub's
// own write, such as a master-patient merge or a reading-state change) stores its records at
// (tx, seq): the id of the hub's writing transaction, then the hub's sequence number. A pull
// returns documents after the checkpoint in (tx, seq) order, and only from transactions older than
// any still running, so a later commit never lands behind a checkpoint already handed out
// (sync/hub/replication/position.ts). Clinic clocks never order anything. A checkpoint without `tx`
// (taken before the hub ordered by transaction) is the position (0, seq).

export const checkpointSchema = z.object({ tx: z.number().int().min(0).default(0), seq: z.number().int().min(0) });
export type SyncCheckpoint = z.infer<typeof checkpointSchema>;
export const INITIAL_CHECKPOINT: SyncCheckpoint = { tx: 0, seq: 0 };

/** `?checkpoint=<seq>&tx=<tx>`: decimal numbers; absent or '' means from the beginning. */
export const encodeCheckpointParam = (c: Partial<SyncCheckpoint> | undefined): string => `${c?.seq ?? 0}&tx=${c?.tx ?? 0}`;

export const collectionParamSchema = z.enum(collectionNames as [CollectionName, ...CollectionName[]]);

export const PULL_LIMIT_DEFAULT = 100;
export const PULL_LIMIT_MAX = 1000;
export const pullQuerySchema = z.object({
  checkpoint: z
    .string()
    .regex(/^\d{0,15}$/, { message: 'checkpoint is a decimal sequence number' })
    .optional()
    .transform((s) => (s ? Number(s) : 0)),
  tx: z
    .string()
    .regex(/^\d{0,15}$/, { message: 'tx is a decimal transaction id' })
    .optional()
    .transform((s) => (s ? Number(s) : 0)),
  limit: z.coerce.number().int().min(1).max(PULL_LIMIT_MAX).default(PULL_LIMIT_DEFAULT),
}).transform(({ checkpoint, tx, limit }): { checkpoint: SyncCheckpoint; limit: number } => ({ checkpoint: { tx, seq: checkpoint }, limit }));

/** A document on the wire: the record plus RxDB's deletion flag (no _rev, _meta, _attachments). */
export type WireDocument<C extends CollectionName> = RecordTypes[C] & { _deleted: boolean };

const wireDocumentSchemas = new Map<CollectionName, z.ZodType>();
/** The record schema of a collection extended with `_deleted`; refinements still apply. */
export const wireDocumentSchema = <C extends CollectionName>(collection: C): z.ZodType<WireDocument<C>> => {
  let schema = wireDocumentSchemas.get(collection);
  if (!schema) {
    // safeExtend, not z.intersection: one object keeps the record's refinements and parses each
    // document once (an intersection parsed it twice and merged the results: a third of a push's time).
    schema = (recordDefinitions[collection].schema as z.ZodObject).safeExtend({ _deleted: z.boolean() });
    wireDocumentSchemas.set(collection, schema);
  }
  return schema as z.ZodType<WireDocument<C>>;
};

/**
 * Pull answer. `documents` in feed order, at most `limit`; `checkpoint` is the position of the last
 * document, or the request's checkpoint when there is nothing new. Deleted documents are included
 * with `_deleted: true` (tombstones) so deletions replicate.
 */
const pullResponseSchemas = new Map<CollectionName, z.ZodType>();
export const pullResponseSchema = <C extends CollectionName>(collection: C): z.ZodType<PullResponse<C>> => {
  // Built once per collection, like the wire document: zod compiles a schema on its first parse, and
  // a workstation's first sync parses a hundred pages or more.
  let schema = pullResponseSchemas.get(collection);
  if (!schema) {
    schema = z.object({ documents: z.array(wireDocumentSchema(collection)), checkpoint: checkpointSchema });
    pullResponseSchemas.set(collection, schema);
  }
  return schema as z.ZodType<PullResponse<C>>;
};
export type PullResponse<C extends CollectionName> = { documents: WireDocument<C>[]; checkpoint: SyncCheckpoint };

// ---------------------------------------------------------------------------------------------
// Push. Per row, in order, inside one transaction (all rows or none are written):
//   master = the hub's current state of newDocumentState.id (undefined if none)
//   1. if !sameDocumentState(master, assumedMasterState)  → conflict: answer master, write nothing
//   2. if checkWrite(collection, master, newDocumentState, writer) refuses:
//        – master exists → answer master as a conflict (the client's conflict handler, applying
//          the same rules, resolves to the master: a forbidden local edit is reverted, not retried)
//        – no master (a forbidden insert) → 403 forbidden for the whole request, nothing written
//   3. else store newDocumentState at the next position of the feed.
// A body that fails validation → 400 validation-failed, nothing written. After the transaction the
// hub may make its own writes (master-patient merge, see conflicts.ts), each with a new seq.

export const PUSH_ROWS_MAX = 200;
/**
 * How the workstation registered a patient row (patients only, optional): 'card-read' when the
 * identity came from the card reader at that workstation, 'hand-typed' otherwise (the default). The
 * hub records it as how a treating relationship with another clinic's patient began (issue 13).
 */
export const registrationMethods = ['card-read', 'hand-typed'] as const;
export type RegistrationMethod = (typeof registrationMethods)[number];
export const pushRowSchema = <C extends CollectionName>(collection: C) =>
  z.object({
    newDocumentState: wireDocumentSchema(collection),
    assumedMasterState: wireDocumentSchema(collection).nullable().optional(),
    registration: z.enum(registrationMethods).optional(),
  });
const pushRequestSchemas = new Map<CollectionName, z.ZodType>();
/** Built once per collection: zod compiles an object schema on its first parse (3 ms), so never per request. */
export const pushRequestSchema = <C extends CollectionName>(collection: C): z.ZodType<PushRequest<C>> => {
  let schema = pushRequestSchemas.get(collection);
  if (!schema) {
    schema = z.object({ rows: z.array(pushRowSchema(collection)).min(1).max(PUSH_ROWS_MAX) });
    pushRequestSchemas.set(collection, schema);
  }
  return schema as z.ZodType<PushRequest<C>>;
};
export type PushRow<C extends CollectionName> = {
  newDocumentState: WireDocument<C>;
  assumedMasterState?: WireDocument<C> | null | undefined;
  registration?: RegistrationMethod | undefined;
};
export type PushRequest<C extends CollectionName> = { rows: PushRow<C>[] };

/** The hub's current state of every conflicting row (RxDB semantics: empty when all were written). */
export const pushResponseSchema = <C extends CollectionName>(collection: C) => z.object({ conflicts: z.array(wireDocumentSchema(collection)) });
export type PushResponse<C extends CollectionName> = { conflicts: WireDocument<C>[] };

// ---------------------------------------------------------------------------------------------
// Live stream: Server-Sent Events on GET /sync/stream (Authorization header, so clients read it with
// fetch, not EventSource). Each event is one `data: <json>` line then a blank line, the JSON being
// either a change notice or the string "RESYNC" (the hub lost track, e.g. after a restart: pull
// everything from the checkpoints). The hub sends a comment line `: keep-alive` every
// STREAM_KEEPALIVE_MS; a client that hears nothing for 2.5× that reconnects. On every (re)connect the
// client itself pulls all collections (RxDB 'RESYNC'), so nothing missed while offline is lost.
// Notices carry no documents: the client pulls from its own checkpoint.

export const STREAM_KEEPALIVE_MS = 15_000;
export const streamChangeSchema = z.object({ collection: collectionParamSchema, checkpoint: checkpointSchema });
export const streamEventSchema = z.union([z.literal('RESYNC'), streamChangeSchema]);
export type StreamEvent = z.infer<typeof streamEventSchema>;
/** The exact bytes the hub writes for one event. */
export const formatStreamEvent = (event: StreamEvent): string => `data: ${JSON.stringify(event)}\n\n`;
export const STREAM_KEEPALIVE_LINE = ': keep-alive\n\n';

// ---------------------------------------------------------------------------------------------
// Blobs: files stored under their SHA-256 (lower-case hex), uploaded in chunks so a dropped link
// resumes where it stopped. Idempotent: uploading a file the hub already has is a status call.
//   GET status → receivedBytes (contiguous bytes held) and complete.
//   PUT chunk at :offset (decimal) with Content-Type application/octet-stream, at most
//     BLOB_CHUNK_MAX bytes. offset must be ≤ receivedBytes (else 409 blob-offset-mismatch with
//     details.receivedBytes); bytes before receivedBytes are ignored, so resending a chunk is safe.
//     A chunk to a complete blob is a no-op answering its status.
//   POST complete with { size }: the hub checks receivedBytes === size (else 409 blob-incomplete)
//     and the SHA-256 of the bytes (else 422 blob-hash-mismatch and the partial upload is dropped:
//     start again at 0). Then the blob is immutable and complete: true.

export const BLOB_CHUNK_MAX = 1024 * 1024;
/** What the client sends per request: small enough for a few-hundred-kbit/s link to finish in seconds. */
export const BLOB_CHUNK_DEFAULT = 256 * 1024;
export const BLOB_SIZE_MAX = 100 * 1024 * 1024;

export const blobParamsSchema = z.object({ sha256: sha256Hex });
export const blobChunkParamsSchema = z.object({ sha256: sha256Hex, offset: z.coerce.number().int().min(0).max(BLOB_SIZE_MAX) });
export const blobStatusSchema = z.object({
  sha256: sha256Hex,
  receivedBytes: z.number().int().min(0),
  complete: z.boolean(),
  /** Known once complete, else null. */
  size: z.number().int().min(0).nullable(),
});
export type BlobStatus = z.infer<typeof blobStatusSchema>;
export const blobCompleteSchema = z.object({ size: z.number().int().min(1).max(BLOB_SIZE_MAX) });
export type BlobComplete = z.infer<typeof blobCompleteSchema>;

// ---------------------------------------------------------------------------------------------
// Paths, so neither side spells them by hand.
export const paths = {
  pull: (c: CollectionName, checkpoint: Partial<SyncCheckpoint> | undefined, limit: number) =>
    `/sync/${c}/pull?checkpoint=${encodeCheckpointParam(checkpoint)}&limit=${limit}`,
  push: (c: CollectionName) => `/sync/${c}/push`,
  stream: () => '/sync/stream',
  blobStatus: (sha256: string) => `/blobs/${sha256}/status`,
  blobChunk: (sha256: string, offset: number) => `/blobs/${sha256}/chunks/${offset}`,
  blobComplete: (sha256: string) => `/blobs/${sha256}/complete`,
  blob: (sha256: string) => `/blobs/${sha256}`,
} as const;

/** Route patterns for the hub's router (Fastify syntax). */
export const routes = {
  pull: '/sync/:collection/pull',
  push: '/sync/:collection/push',
  stream: '/sync/stream',
  blobStatus: '/blobs/:sha256/status',
  blobChunk: '/blobs/:sha256/chunks/:offset',
  blobComplete: '/blobs/:sha256/complete',
  blob: '/blobs/:sha256',
} as const;
