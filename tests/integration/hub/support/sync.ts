/** Replication helpers for the hub tests: wire documents, push, pull, row counts, an ECG study sent. */
import { createHash, randomBytes } from 'node:crypto';
import { makeEcgStudy } from '../../../../core/records/builders.ts';
import type { CollectionName, EcgStudy } from '../../../../core/records/index.ts';
import { INITIAL_CHECKPOINT, paths, type SyncCheckpoint } from '../../../../sync/protocol/wire.ts';
import type { StartedHub } from '../../../../sync/hub/start.ts';
import { call, type Reply, type Session } from './client.ts';

export type WireDoc = Record<string, unknown> & { id: string; _deleted: boolean };

export const wire = <T extends object>(doc: T, deleted = false): T & { _deleted: boolean } => ({ ...doc, _deleted: deleted });

export const insertRow = <T extends object>(doc: T) => ({ newDocumentState: wire(doc), assumedMasterState: null });

export function push(hubUrl: string, session: Session, collection: CollectionName, rows: { newDocumentState: object; assumedMasterState?: object | null }[]): Promise<Reply> {
  return call(hubUrl, 'POST', paths.push(collection), { token: session.accessToken, body: { rows } });
}

export async function pushOk(hubUrl: string, session: Session, collection: CollectionName, rows: { newDocumentState: object; assumedMasterState?: object | null }[]) {
  const reply = await push(hubUrl, session, collection, rows);
  if (reply.status !== 200) throw new Error(`push ${collection} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as { conflicts: WireDoc[] };
}

export function pull(hubUrl: string, session: Session, collection: CollectionName, checkpoint: SyncCheckpoint = INITIAL_CHECKPOINT, limit = 100): Promise<Reply> {
  return call(hubUrl, 'GET', paths.pull(collection, checkpoint, limit), { token: session.accessToken });
}

/** Pulls everything visible after `checkpoint`, page by page, as RxDB does. */
export async function pullAll(hubUrl: string, session: Session, collection: CollectionName, from: SyncCheckpoint = INITIAL_CHECKPOINT, limit = 100) {
  const documents: WireDoc[] = [];
  let checkpoint = from;
  for (;;) {
    const reply = await pull(hubUrl, session, collection, checkpoint, limit);
    if (reply.status !== 200) throw new Error(`pull ${collection} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    documents.push(...reply.body.documents);
    checkpoint = reply.body.checkpoint as SyncCheckpoint;
    if (reply.body.documents.length < limit) return { documents, checkpoint };
  }
}

export async function countRows(hub: StartedHub, table: 'records' | 'audit_log' | 'blobs' | 'blob_chunks' | 'patient_links' | 'institutions', where = 'true', params: unknown[] = []): Promise<number> {
  const { rows } = await hub.context.db.query<{ n: string }>(`select count(*) as n from ${table} where ${where}`, params);
  return Number(rows[0]!.n);
}

/**
 * A clinic sends an ECG study as the app does: the study record is pushed, then its DICOM file (2 kB of
 * random bytes here) is uploaded in one chunk and completed, so the hub holds it as received.
 */
export async function sendEcgStudy(hubUrl: string, session: Session, studyFields: Partial<EcgStudy> & Pick<EcgStudy, 'institutionId' | 'patientId'>): Promise<EcgStudy> {
  const file = new Uint8Array(randomBytes(2000));
  const hash = createHash('sha256').update(file).digest('hex');
  const study = makeEcgStudy({ dicomSha256: hash, dicomSizeBytes: file.length, readingState: 'uploading', ...studyFields });
  await pushOk(hubUrl, session, 'ecgStudies', [insertRow(study)]);
  const chunk = await call(hubUrl, 'PUT', paths.blobChunk(hash, 0), { token: session.accessToken, rawBody: file, contentType: 'application/octet-stream' });
  const complete = await call(hubUrl, 'POST', paths.blobComplete(hash), { token: session.accessToken, body: { size: file.length } });
  if (chunk.status >= 300 || complete.status >= 300) throw new Error(`ECG file upload failed: ${chunk.status}/${complete.status} ${JSON.stringify(complete.body)}`);
  return study;
}
