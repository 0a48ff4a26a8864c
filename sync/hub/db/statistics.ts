/**
 * Planner statistics for the embedded PGlite, which has no autovacuum daemon to gather them: without
 * them every pull page scanned and sorted all remaining records (58 ms a page on 100k records; 3 ms
 * after ANALYZE). Gathered at start and again after every so many committed write transactions, or
 * a while after the last one. PostgreSQL's autovacuum does this itself.
 */
import type { Database } from './database.ts';
import type { ChangeNotifier } from '../replication/notifier.ts';

const WRITES_BETWEEN = 500;
const QUIET_MS = 30_000;

export async function keepPgliteStatistics(db: Database, notifier: ChangeNotifier): Promise<() => void> {
  if (db.kind !== 'pglite') return () => {};
  const analyze = () => db.exec('analyze').catch(() => {}); // a closing database: nothing to do
  await analyze();
  let writes = 0;
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe = notifier.subscribe(() => {
    writes++;
    if (writes >= WRITES_BETWEEN) {
      writes = 0;
      void analyze();
    }
    timer ??= setTimeout(() => {
      timer = undefined;
      if (writes > 0) {
        writes = 0;
        void analyze();
      }
    }, QUIET_MS).unref();
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}
