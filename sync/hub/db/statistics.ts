/**
 * Planner statistics that keep up with the hub's writes.
 *
 * The embedded PGlite has no autovacuum daemon to gather them: without them every pull page scanned
 * and sorted all remaining records (58 ms a page on 100k records; 3 ms after ANALYZE). It is analysed
 * at start and again after every so many committed write transactions, or a while after the last one.
 *
 * PostgreSQL's autovacuum gathers them, but looks only once a minute and waits for a tenth of a table
 * to change. A young table — a new county's first import, a morning's registrations into a hub that
 * was empty — grows many times over in that minute, while the planner still plans for its size at the
 * last analysis: lookups of a push's patients became scans of every record (in the hub bench's ingest,
 * PostgreSQL's CPU per 1,000 records fell from 176 to 132–147 ms once the statistics kept up and the
 * link statement was reshaped). So the hub checks, half a second after writes and then every half
 * second while they go on, how much each table it plans around has changed (PostgreSQL's own
 * counters, shared by every hub process), and analyses one that changed by more than CHANGES_BASE rows
 * and CHANGES_SHARE of its size at the last analysis: a handful of analyses while a table is young,
 * none once autovacuum's own rule comes first.
 */
import type { Database } from './database.ts';
import type { ChangeNotifier } from '../replication/notifier.ts';

const PGLITE_WRITES_BETWEEN = 500;
const PGLITE_QUIET_MS = 30_000;

/**
 * The tables a push's and a pull's plans depend on: the change feed, the links and indexes of patients.
 * Not the audit trail: those statements only append to it, and the administrators' searches of it can
 * wait for autovacuum's minute.
 */
export const WATCHED_TABLES = ['records', 'patient_links', 'patient_master_index', 'patient_aliases'] as const;
const CHECK_MS = 500;
const CHANGES_BASE = 1_000;
/**
 * A table that has doubled since its last analysis: plans flip when the statistics are off by orders of
 * magnitude (a table planned as empty), not by a fifth. At a fifth, the 60,000-record ingest analysed
 * each table some twenty times, a tenth of PostgreSQL's CPU (perf); at double, five or six times.
 */
const CHANGES_SHARE = 1;

export async function keepStatistics(db: Database, notifier: ChangeNotifier): Promise<() => void> {
  return db.kind === 'pglite' ? keepPgliteStatistics(db, notifier) : keepPostgresStatistics(db, notifier);
}

async function keepPgliteStatistics(db: Database, notifier: ChangeNotifier): Promise<() => void> {
  const analyze = () => db.exec('analyze').catch(() => {}); // a closing database: nothing to do
  await analyze();
  let writes = 0;
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe = notifier.subscribe(() => {
    writes++;
    if (writes >= PGLITE_WRITES_BETWEEN) {
      writes = 0;
      void analyze();
    }
    timer ??= setTimeout(() => {
      timer = undefined;
      if (writes > 0) {
        writes = 0;
        void analyze();
      }
    }, PGLITE_QUIET_MS).unref();
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}

/** Tables that changed by more than the rule allows since their last analysis (autovacuum's included). */
export async function tablesDueForAnalysis(db: Pick<Database, 'query'>): Promise<string[]> {
  const { rows } = await db.query<{ relname: string }>(
    `select s.relname from pg_stat_user_tables s join pg_class c on c.oid = s.relid
      where s.schemaname = current_schema() and s.relname = any($1)
        and s.n_mod_since_analyze > $2 + $3 * greatest(c.reltuples, 0)`,
    [WATCHED_TABLES, CHANGES_BASE, CHANGES_SHARE],
  );
  return rows.map((r) => r.relname);
}

function keepPostgresStatistics(db: Database, notifier: ChangeNotifier): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const check = async () => {
    for (const table of await tablesDueForAnalysis(db)) {
      if (stopped) return;
      await db.exec(`analyze ${table}`); // names from WATCHED_TABLES only
    }
  };
  // Writes schedule one check shortly after; a stream of writes, one check every CHECK_MS.
  const unsubscribe = notifier.subscribe(() => {
    timer ??= setTimeout(() => {
      check()
        .catch(() => {}) // a closing database, a statement timeout: the next writes check again
        .finally(() => (timer = undefined));
    }, CHECK_MS).unref();
  });
  return () => {
    stopped = true;
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}
