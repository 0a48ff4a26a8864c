/**
 * The two storage engines every hub suite runs against: a real PostgreSQL server (a fresh database
 * per run, dropped afterwards, so parallel runs never collide) and an embedded PGlite data directory
 * in a temp folder, copied from a migrated template.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { postgresProbe, requireSystemDependency } from '../../../support/system-deps.ts';
import { copyPgliteTemplate } from '../../../support/pglite-template.ts';
import { startHub, type StartedHub, type StartHubOptions } from '../../../../sync/hub/start.ts';

export interface BackendStore {
  /** startHub options selecting this store (same store across restarts). */
  options: { dataDir?: string; databaseUrl?: string };
  /** Runs SQL straight against the store, to count rows behind the hub's back. PostgreSQL only; PGlite uses the hub's own handle. */
  dispose(): Promise<void>;
}

export interface Backend {
  name: 'pglite' | 'postgres';
  available: boolean;
  /**
   * A store of its own. On PGlite it starts as a copy of the migrated template
   * (tests/support/pglite-template.ts) unless `fresh` asks for an empty folder, as a new county's hub
   * finds it (initdb and every migration on first start).
   */
  createStore(options?: { fresh?: boolean }): Promise<BackendStore>;
}

await postgresProbe;
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const backends: Backend[] = [
  {
    name: 'postgres',
    available: requireSystemDependency('postgres'),
    async createStore() {
      const name = `hub_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return {
        options: { databaseUrl: url.toString() },
        async dispose() {
          const c = new pg.Client({ connectionString: adminUrl });
          await c.connect();
          await c.query(`drop database if exists ${name} with (force)`);
          await c.end();
        },
      };
    },
  },
  {
    name: 'pglite',
    available: true,
    async createStore({ fresh = false } = {}) {
      const dir = await mkdtemp(join(tmpdir(), 'hub-pglite-'));
      if (!fresh) await copyPgliteTemplate(join(dir, 'data'));
      return {
        options: { dataDir: join(dir, 'data') },
        dispose: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
];

export interface DemoHub extends StartedHub {
  /** The store under the hub: SQL behind the hub's back, or another hub on the same data. */
  store: BackendStore;
}

/** The demo county's hub (quiet, any free port) on a store of its own; `close()` stops it and removes the store. */
export async function startDemoHub(backend: Backend, options: Omit<StartHubOptions, 'dataDir' | 'databaseUrl'> = {}): Promise<DemoHub> {
  const store = await backend.createStore();
  const hub = await startHub({ ...store.options, port: 0, demo: true, logLevel: 'silent', ...options }).catch(async (error: unknown) => {
    await store.dispose();
    throw error;
  });
  return {
    ...hub,
    store,
    close: async () => {
      await hub.close();
      await store.dispose();
    },
  };
}
