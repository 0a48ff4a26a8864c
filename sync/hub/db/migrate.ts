/**
 * Applies sync/hub/migrations/NNN_name.sql in order, each in its own transaction, and records it in
 * `hub_migrations`. Running it again applies nothing. An advisory lock keeps two hubs starting at
 * once against one PostgreSQL server from applying the same file twice.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));
const MIGRATION_LOCK = 7_420_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: await readFile(`${dir}${file}`, 'utf8'),
    })),
  );
}

export interface MigrationOutcome {
  version: number;
  applied: string[];
}

export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<MigrationOutcome> {
  const migrations = await loadMigrations(dir);
  await db.exec(`create table if not exists hub_migrations (
    version integer primary key,
    name text not null,
    applied_at timestamptz not null default now()
  )`);
  const applied: string[] = [];
  for (const migration of migrations) {
    await db.transaction(async (tx) => {
      // A migration may rebuild an index over millions of records: no session limits (database.ts) for it.
      await tx.exec("set local statement_timeout = 0; set local lock_timeout = 0");
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const done = await tx.query('select 1 from hub_migrations where version = $1', [migration.version]);
      if (done.rowCount > 0) return;
      await tx.exec(migration.sql);
      await tx.query('insert into hub_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
      applied.push(`${String(migration.version).padStart(3, '0')}_${migration.name}`);
    });
  }
  return { version: await migrationVersion(db), applied };
}

export async function migrationVersion(db: Pick<Database, 'query'>): Promise<number> {
  const { rows } = await db.query<{ version: number | null }>('select max(version) as version from hub_migrations');
  return Number(rows[0]?.version ?? 0);
}
