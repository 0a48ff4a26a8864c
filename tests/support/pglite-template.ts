/**
 * A new PGlite store runs initdb in WebAssembly and then every migration before the hub answers:
 * 8–20 s on a 2-core machine, paid by each of the ~60 hubs the test suite starts on PGlite. Tests
 * start instead from a copy of one migrated data directory (≈ 0.5 s), made once per machine and
 * migration set and kept in the temp folder under a name hashed from the migration files and the
 * PGlite version, so a changed migration gets a new template.
 *
 * A copy is exactly what a hub finds when it restarts on its own store. The path a new county takes
 * (initdb, then every migration) keeps its own tests: `createStore({ fresh: true })` in
 * tests/integration/hub/hub-start.test.ts.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../sync/hub/db/database.ts';
import { loadMigrations, migrate } from '../../sync/hub/db/migrate.ts';
import { startHub, type StartedHub, type StartHubOptions } from '../../sync/hub/start.ts';

let template: Promise<string> | undefined;

/** The migrated template's data directory, made on first use (by whichever test process gets there first). */
export function pgliteTemplate(): Promise<string> {
  return (template ??= makeTemplate());
}

async function makeTemplate(): Promise<string> {
  const finalDir = join(tmpdir(), `cw-pglite-template-${await templateKey()}`);
  const dataDir = join(finalDir, 'data');
  if (await exists(join(finalDir, 'ready'))) return dataDir;
  // Built beside its final name and renamed into place: test processes racing here never see half a
  // template; the loser of the rename throws its own copy away.
  const building = await mkdtemp(`${finalDir}-building-`);
  const db = await openDatabase({ dataDir: join(building, 'data') });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  await writeFile(join(building, 'ready'), new Date().toISOString());
  try {
    await rename(building, finalDir);
  } catch {
    await rm(building, { recursive: true, force: true });
    if (!(await exists(join(finalDir, 'ready')))) throw new Error(`PGlite template ${finalDir} exists but is incomplete: remove it`);
  }
  return dataDir;
}

/** Hash of every migration file and the PGlite build: a new migration or engine means a new template. */
async function templateKey(): Promise<string> {
  const hash = createHash('sha256');
  for (const m of await loadMigrations()) hash.update(`${m.version}:${m.name}:${m.sql}\n`);
  // The package's exports hide its package.json from require.resolve: read it from node_modules.
  const pgliteManifest = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url);
  hash.update(JSON.parse(await readFile(pgliteManifest, 'utf8')).version);
  return hash.digest('hex').slice(0, 16);
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/** Fills `dataDir` (which must not exist yet) with a copy of the migrated template. */
export async function copyPgliteTemplate(dataDir: string): Promise<void> {
  await cp(await pgliteTemplate(), dataDir, { recursive: true, errorOnExist: true, force: false });
}

/**
 * A hub on its own PGlite store copied from the template, for tests that would otherwise start one in
 * memory. The store's folder goes with the hub's close().
 */
export async function startTestHub(options: Omit<StartHubOptions, 'dataDir' | 'databaseUrl'> = {}): Promise<StartedHub> {
  const folder = await mkdtemp(join(tmpdir(), 'cw-test-hub-'));
  const dataDir = join(folder, 'data');
  await copyPgliteTemplate(dataDir);
  const hub = await startHub({ ...options, dataDir }).catch(async (error: unknown) => {
    await rm(folder, { recursive: true, force: true });
    throw error;
  });
  return {
    ...hub,
    close: async () => {
      await hub.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
