/**
 * The CouchDB-protocol anchor the hub and sync benches compare against (issue 15): PouchDB on
 * leveldb served by express-pouchdb — the stack the Community Health Toolkit's offline clinics sync
 * with — and PouchDB clients replicating from it. devDependencies of the benches only, untyped
 * (couchdb-anchor-modules.d.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PouchDB database (the few methods the benches use). */
export interface PouchDatabase {
  bulkDocs(docs: object[]): Promise<unknown[]>;
  put(doc: object): Promise<unknown>;
  info(): Promise<{ doc_count: number }>;
  replicate: { from(source: PouchDatabase, options?: object): PouchReplication; to(target: PouchDatabase, options?: object): PouchReplication };
  changes(options: object): PouchReplication;
  close(): Promise<void>;
}
/** A replication (or change feed): a promise when one-off, an event emitter when live. */
export interface PouchReplication extends PromiseLike<unknown> {
  on(event: string, listener: (info: unknown) => void): PouchReplication;
  cancel(): void;
}

export interface CouchAnchor {
  /** The server's base URL; databases are `${url}/<name>`. */
  url: string;
  /** A database of the server, opened in-process (bulk seeding without HTTP). */
  serverDatabase(name: string): PouchDatabase;
  /** A new client database on leveldb in the anchor's folder (a fresh PC). */
  clientDatabase(name: string): PouchDatabase;
  /** A database of the server as a client reaches it: over HTTP. */
  remoteDatabase(name: string): PouchDatabase;
  close(): Promise<void>;
}

/**
 * Starts express-pouchdb on an ephemeral loopback port. Server and client databases live in
 * `folder` (default: a new temp folder; pass /dev/shm for leveldb in memory, as close as leveldb
 * gets to the RxDB memory storage the Node benches give the workstation).
 */
export async function startCouchAnchor(options: { folder?: string } = {}): Promise<CouchAnchor> {
  const { default: PouchDB } = await import('pouchdb-node');
  const { default: expressPouchdb } = await import('express-pouchdb');
  const { default: express } = await import('express');
  const dir = await mkdtemp(join(options.folder ?? tmpdir(), 'bench-couch-'));
  const ServerPouch = PouchDB.defaults({ prefix: `${dir}/server-` });
  const ClientPouch = PouchDB.defaults({ prefix: `${dir}/client-` });
  const app = express();
  app.use('/', expressPouchdb(ServerPouch, { mode: 'minimumForPouchDB', logPath: join(dir, 'log.txt') }));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const opened: PouchDatabase[] = [];
  const open = (Pouch: new (name: string) => PouchDatabase, name: string) => {
    const db = new Pouch(name);
    opened.push(db);
    return db;
  };
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    serverDatabase: (name) => open(ServerPouch, name),
    clientDatabase: (name) => open(ClientPouch, name),
    // The prefix of the defaults above would apply to URLs too: remote databases come from PouchDB itself.
    remoteDatabase: (name) => open(PouchDB, `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/${name}`),
    async close() {
      await Promise.all(opened.map((db) => db.close().catch(() => undefined)));
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A record as a CouchDB document: its id becomes `_id`. */
export const asCouchDocument = <T extends { id: string }>({ id, ...rest }: T) => ({ _id: id, ...rest });
