/**
 * One small storage interface over two engines: a PostgreSQL server (pg Pool) or an embedded PGlite
 * data directory. The hub writes plain SQL against `Queryable`, so both engines run the very same
 * statements and migrations (architecture.md: "The same migrations serve both").
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

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

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
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
    // PGlite has one connection; its transaction() holds a mutex, so concurrent callers queue.
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    async close() {
      await db.close();
    },
  };
}

export async function openPostgres(databaseUrl: string, maxConnections = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: maxConnections });
  // An idle client that errors (server restart) must not crash the hub; the pool drops it.
  pool.on('error', () => {});
  const wrap = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, params as unknown[]);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
    },
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
    async transaction(work) {
      const client = await pool.connect();
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
      await pool.end();
    },
  };
}

export async function openDatabase(options: { databaseUrl?: string; dataDir?: string }): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}
