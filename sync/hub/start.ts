/**
 * Starts the county hub: opens PostgreSQL (databaseUrl) or an embedded PGlite data directory
 * (dataDir; in memory when neither is given), applies the migrations, optionally seeds the demo
 * community, and listens. `port: 0` picks a free port. The demo launcher and `npm run hub` call it.
 */
import type { DestinationStream } from 'pino';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { loadOrCreateSigningKeys } from './auth/tokens.ts';
import { buildApp } from './app.ts';
import { defaultSettings, type HubContext, type HubSettings } from './context.ts';
import { CallerCache } from './auth/authenticate.ts';
import { ChangeNotifier } from './replication/notifier.ts';
import { seedDemo } from './demo-seed.ts';
import { keepStatistics } from './db/statistics.ts';
import { PacsForwarder } from './pacs/forwarder.ts';
import { pacsForwardConfigSchema, type PacsForwardConfig } from './pacs/stow.ts';
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { loadItemCatalog } from '../../core/catalog/index.ts';

export interface StartHubOptions {
  /** PGlite data directory; ignored when databaseUrl is set. Neither: an in-memory database. */
  dataDir?: string;
  /** postgres://… — run on a PostgreSQL server instead of PGlite. */
  databaseUrl?: string;
  host?: string;
  port?: number;
  demo?: boolean;
  logLevel?: string;
  /** Where logs go (default stdout); tests capture them to prove no patient data is logged. */
  logStream?: DestinationStream;
  tls?: { cert: Buffer; key: Buffer };
  settings?: Partial<HubSettings>;
  /** The administrator's item catalogue JSON (core/catalog format); the bundled starter set when unset. */
  itemCatalogFile?: string;
  /** A renderer build to serve as the ECG reading room at /reading-room/ (dist/renderer). */
  readingRoomDir?: string;
  /** Forward received studies' DICOM files to a PACS by STOW-RS (off when unset; see README.md). */
  pacsForward?: z.input<typeof pacsForwardConfigSchema>;
}

export interface RunningHub {
  url: string;
  close(): Promise<void>;
}

export interface StartedHub extends RunningHub {
  /** For tests and tools in this process: the open database and settings. */
  context: HubContext;
}

export async function startHub(options: StartHubOptions = {}): Promise<StartedHub> {
  // A bad catalogue file stops the hub before the database opens, with the catalogue's own message
  // naming the item and field (core/catalog).
  const itemCatalog = options.itemCatalogFile ? loadItemCatalog(JSON.parse(await readFile(options.itemCatalogFile, 'utf8'))) : undefined;
  const db = await openDatabase(options);
  try {
    await migrate(db);
    const settings = { ...defaultSettings, ...options.settings };
    const ctx: HubContext = {
      db,
      keys: await loadOrCreateSigningKeys(db),
      settings,
      notifier: new ChangeNotifier(db),
      callers: new CallerCache(settings.callerCacheMs),
      ...(itemCatalog ? { itemCatalog } : {}),
    };
    await ctx.notifier.start();
    if (options.demo) await seedDemo(ctx);
    const stopStatistics = await keepStatistics(db, ctx.notifier);
    const pacsConfig: PacsForwardConfig | undefined = options.pacsForward ? pacsForwardConfigSchema.parse(options.pacsForward) : undefined;
    const app = await buildApp(ctx, {
      logLevel: options.logLevel ?? 'info',
      demo: options.demo === true,
      ...(options.logStream ? { logStream: options.logStream } : {}),
      ...(options.tls ? { https: options.tls } : {}),
      ...(options.readingRoomDir ? { readingRoom: { root: options.readingRoomDir, demo: options.demo === true } } : {}),
    });
    if (pacsConfig) ctx.pacs = new PacsForwarder(db, pacsConfig, app.log);
    const host = options.host ?? '127.0.0.1';
    await app.listen({ host, port: options.port ?? 0 });
    // Started once listening: its log goes where the app's does, and it never delays start-up.
    if (ctx.pacs) ctx.pacs.start(ctx.notifier);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
    let closed: Promise<void> | undefined;
    return {
      url: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
      context: ctx,
      close: () =>
        (closed ??= (async () => {
          await app.close(); // ends live streams (onClose) and waits for in-flight requests
          await ctx.pacs?.stop(); // lets a forward in flight record its outcome
          stopStatistics();
          await ctx.notifier.close();
          await db.close();
        })()),
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}
