/** Replication helpers for the hub tests: wire documents, push, pull, row counts. */
import type { CollectionName } from '../../../../core/records/index.ts';
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

export async function countRows(hub: StartedHub, table: 'records' | 'audit_log' | 'blobs' | 'blob_chunks' | 'patient_links', where = 'true', params: unknown[] = []): Promise<number> {
  const { rows } = await hub.context.db.query<{ n: string }>(`select count(*) as n from ${table} where ${where}`, params);
  return Number(rows[0]!.n);
}
