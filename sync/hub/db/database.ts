/**
 * One small storage interface over two engines: a PostgreSQL server (pg Pool) or an embedded PGlite
 * data directory. The hub writes plain SQL against `Queryable`, so both engines run the very same
 * statements and migrations (architecture.md: "The same migrations serve both").
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { ReconnectPolicy } from '../../../core/async/reconnect.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** A connection that hears NOTIFY on one channel; it also answers short queries of its own. */
export interface ChangeListener extends Pick<Queryable, 'query'> {
  close(): Promise<void>;
}

export interface ListenHandlers {
  notice(payload: string): void;
  /** The connection was lost and is back: notices sent meanwhile were missed. */
  reconnected(): void;
}

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /**
   * Short statements that must not queue behind a burst of writes (the health check): a separate
   * small pool on PostgreSQL; the same connection on PGlite, which has only one.
   */
  readonly priority: Queryable;
  /**
   * Reads that must not queue behind a burst of pushes (pulls: the reading room learning of an
   * urgent study mid-rush): a pool of their own on PostgreSQL; the same connection on PGlite.
   */
  readonly reads: Queryable;
  listen(channel: string, handlers: ListenHandlers): Promise<ChangeListener>;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. An
   * `urgent` one (an urgent ECG study or a critical report) takes a connection kept for such
   * writes on PostgreSQL, so it never waits behind a county's morning registration burst.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>, options?: { urgent?: boolean }): Promise<T>;
  close(): Promise<void>;
}

export async function openPglite(dataDir: string | undefined): Promise<Database> {
  // No dataDir: an in-memory database (tests, throwaway demos).
  const db = await PGlite.create(dataDir ?? 'memory://');
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await q.query<Row>(sql, params as unknown[]);
      // PGlite reports affectedRows = 0 for a SELECT; a RETURNING clause yields one row per affected row.
      return { rows: result.rows, rowCount: result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0) };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const plain = wrap(db);
  return {
    kind: 'pglite',
    query: plain.query,
    exec: plain.exec,
    priority: plain,
    reads: plain,
    async listen(channel, handlers) {
      // PGlite delivers NOTIFY to listeners of the same instance: one process, one database.
      const unlisten = await db.listen(channel, handlers.notice);
      return { query: plain.query, close: () => unlisten() };
    },
    // PGlite has one connection; its transaction() holds a mutex, so concurrent callers queue.
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    async close() {
      await db.close();
    },
  };
}

/**
 * Settings of every connection of the hub. Limits, so that one stuck statement or forgotten transaction
 * never starves the others (nor holds back the change feed's watermark, which waits for the oldest
 * running transaction); migrations lift them for their own transaction (migrate.ts).
 */
export const SESSION_LIMITS = {
  statement_timeout: '30s',
  lock_timeout: '10s',
  idle_in_transaction_session_timeout: '60s',
} as const;

/**
 * How each lane plans its prepared statements (preparedName). Reads — pulls on the read lane, the health
 * check, the listener's watermark — plan every run for its own values: a pull's plan depends on its
 * checkpoint and page size. Writes (pushes, and the statements on the main pool) let PostgreSQL keep a
 * generic plan once it costs no more than the custom ones (`auto`): their lookups by id and by arrays of
 * ids plan the same whatever the values, and planning was a tenth of PostgreSQL's CPU in the ingest
 * (perf). The danger of a generic plan — made while a table was small, kept as it grows (the ingest
 * once saw a lookup turn into a scan of every link) — is bounded by the statistics the hub keeps
 * (statistics.ts): PostgreSQL plans a prepared statement anew whenever the statistics of a table it uses
 * are updated. Ingest 40k and rush, two interleaved pairs each: PostgreSQL's CPU per record −9 % with
 * `auto` on the write lanes, the rush 200–222 → 240–241 pushes/s.
 */
const PLANS = { reads: 'force_custom_plan', writes: 'auto' } as const;
const sessionOptions = (plans: keyof typeof PLANS) =>
  Object.entries({ ...SESSION_LIMITS, plan_cache_mode: PLANS[plans] })
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');

const LISTEN_RETRY = { initialMs: 250, maxMs: 5_000 };

/**
 * The hub's statements are a fixed set of texts run thousands of times (a push is six of them): each
 * is prepared once per connection under a name, so PostgreSQL parses and analyses it once. How they
 * are planned depends on the lane (PLANS); one without parameters, like the feed's watermark that every
 * pull and the notifier's polls evaluate, keeps its plan (0.30 → 0.05 ms of server CPU). A text is
 * named the first time it is seen; should texts ever be built per call in numbers, they stop being
 * named once PREPARED_STATEMENTS_MAX are known, so a connection's prepared statements stay bounded.
 */
const PREPARED_STATEMENTS_MAX = 400;
const statementNames = new Map<string, string>();
function preparedName(sql: string): string | undefined {
  if (sql.includes(';')) return undefined; // several statements (or a literal ';'): the simple protocol, unnamed
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < PREPARED_STATEMENTS_MAX) statementNames.set(sql, (name = `hub_${statementNames.size + 1}`));
  return name;
}

/** One statement on a pool or connection, prepared under its name. */
async function runStatement<Row>(client: pg.Pool | pg.PoolClient | pg.Client, sql: string, params: readonly unknown[]): Promise<QueryResult<Row>> {
  const name = preparedName(sql);
  const result = await client.query({ text: sql, values: params as unknown[], ...(name ? { name } : {}) });
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
}

export async function openPostgres(databaseUrl: string, maxConnections = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: maxConnections, options: sessionOptions('writes') });
  const priorityPool = new pg.Pool({ connectionString: databaseUrl, max: 2, options: sessionOptions('reads') });
  const readPool = new pg.Pool({ connectionString: databaseUrl, max: 3, options: sessionOptions('reads') });
  const urgentPool = new pg.Pool({ connectionString: databaseUrl, max: 2, options: sessionOptions('writes') });
  // A client that errors (server restart, pg_terminate_backend) must not crash the hub: the pool drops
  // an idle one ('error' on the pool); one in use rejects its query, and needs a listener of its own
  // or Node treats its 'error' event as uncaught (the soak run saw the hub exit).
  for (const p of [pool, priorityPool, readPool, urgentPool]) {
    p.on('error', () => {});
    p.on('connect', (client) => client.on('error', () => {}));
  }
  const listeners = new Set<ChangeListener>();
  const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
    query: (sql, params = []) => runStatement(client, sql, params),
    async exec(sql: string) {
      await client.query(sql); // no parameters: simple protocol, several statements allowed
    },
  });
  await pool.query('select 1'); // fail fast on a bad URL
  const plain = wrap(pool);
  return {
    kind: 'postgres',
    query: plain.query,
    exec: plain.exec,
    priority: wrap(priorityPool),
    reads: wrap(readPool),
    async listen(channel, handlers) {
      const listener = await listenPostgres(databaseUrl, channel, handlers);
      listeners.add(listener);
      return {
        query: listener.query,
        close: async () => {
          listeners.delete(listener);
          await listener.close();
        },
      };
    },
    async transaction(work, options) {
      const client = await (options?.urgent ? urgentPool : pool).connect();
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await Promise.all([...listeners].map((l) => l.close()));
      await Promise.all([pool.end(), priorityPool.end(), readPool.end(), urgentPool.end()]);
    },
  };
}

/** One dedicated connection LISTENing on `channel`, reconnected with backoff when the server goes away. */
async function listenPostgres(databaseUrl: string, channel: string, handlers: ListenHandlers): Promise<ChangeListener> {
  const policy = new ReconnectPolicy({ ...LISTEN_RETRY });
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<pg.Client> => {
    const next = new pg.Client({ connectionString: databaseUrl, options: sessionOptions('reads') });
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) handlers.notice(message.payload);
    });
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    await next.connect();
    await next.query(`listen ${pg.escapeIdentifier(channel)}`);
    return next;
  };
  const lost = (which: pg.Client) => {
    if (closed || client !== which) return;
    client = undefined;
    which.end().catch(() => {});
    const again = () => {
      retry = undefined;
      if (closed) return;
      connect().then(
        (next) => {
          if (closed) return void next.end().catch(() => {});
          client = next;
          policy.reset();
          handlers.reconnected();
        },
        () => (retry = setTimeout(again, policy.nextDelayMs())),
      );
    };
    retry = setTimeout(again, policy.nextDelayMs());
  };
  client = await connect();
  // One statement at a time on the connection (the watermark polls and the relayed notices share it).
  let previous: Promise<unknown> = Promise.resolve();
  return {
    query<Row>(sql: string, params: readonly unknown[] = []) {
      const run = previous.then(async () => {
        if (!client) throw new Error('The change listener is reconnecting');
        return runStatement<Row>(client, sql, params);
      });
      previous = run.catch(() => {});
      return run;
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}

export async function openDatabase(options: { databaseUrl?: string; dataDir?: string }): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}
