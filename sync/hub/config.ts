/**
 * `npm run hub` configuration: environment variables, optionally a JSON file named by HUB_CONFIG
 * (environment variables win over the file). Validated with zod; a bad value stops the hub with a
 * message naming the setting.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { StartHubOptions } from './start.ts';
import { pacsForwardConfigSchema } from './pacs/stow.ts';

const port = z.coerce.number().int().min(0).max(65535);

export const HubConfigFile = z.strictObject({
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://').optional(),
  dataDir: z.string().min(1).optional(),
  host: z.string().min(1).optional(),
  port: port.optional(),
  demo: z.boolean().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  itemCatalogFile: z.string().min(1).optional(),
  /** Forward received studies to a PACS by STOW-RS (pacs/stow.ts); off when absent. */
  pacsForward: pacsForwardConfigSchema.optional(),
  settings: z
    .strictObject({
      accessTokenTtlSeconds: z.number().int().min(60).max(3600).optional(),
      refreshTokenTtlSeconds: z.number().int().min(600).optional(),
      offlineGrantTtlSeconds: z.number().int().min(3600).optional(),
      enrolmentCodeTtlSeconds: z.number().int().min(300).optional(),
      bodyLimitBytes: z.number().int().min(1024).optional(),
      blobChunkLimitBytes: z.number().int().min(1024).optional(),
      blobMaxBytes: z.number().int().min(1024).optional(),
      loginAttemptsPerMinute: z.number().int().min(1).optional(),
      /** Browser origins allowed to call the hub (CORS), exact `scheme://host:port`. */
      corsOrigins: z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin: scheme://host[:port]')).optional(),
      accountLockoutThreshold: z.number().int().min(1).optional(),
      accountLockoutBaseSeconds: z.number().int().min(1).optional(),
      /** Seconds a spent refresh token may be retried after a lost answer (0: never; a retry is a replay). */
      refreshRetryGraceSeconds: z.number().int().min(0).max(600).optional(),
      /** Minutes before an unacknowledged 危急值 is escalated to the clinic's administrator and the signer. */
      criticalEscalationMinutes: z.number().int().min(1).max(24 * 60).optional(),
      /** How long a checked access token is trusted (ms); a revocation on another hub process bites within it. */
      callerCacheMs: z.number().int().min(0).max(5000).optional(),
    })
    .optional(),
});
export type HubConfigFile = z.infer<typeof HubConfigFile>;

const emptyToUndefined = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

export function loadHubConfig(env: NodeJS.ProcessEnv = process.env): StartHubOptions {
  let fromFile: unknown = {};
  const file = emptyToUndefined(env.HUB_CONFIG);
  if (file) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`HUB_CONFIG ${file}: cannot read JSON (${(error as Error).message})`, { cause: error });
    }
  }
  const merged = {
    ...(fromFile as object),
    ...Object.fromEntries(
      Object.entries({
        databaseUrl: emptyToUndefined(env.DATABASE_URL),
        dataDir: emptyToUndefined(env.HUB_DATA_DIR),
        host: emptyToUndefined(env.HUB_HOST),
        port: emptyToUndefined(env.HUB_PORT),
        demo: env.HUB_DEMO === undefined ? undefined : env.HUB_DEMO === '1' || env.HUB_DEMO === 'true',
        logLevel: emptyToUndefined(env.HUB_LOG_LEVEL),
        tlsCert: emptyToUndefined(env.HUB_TLS_CERT),
        tlsKey: emptyToUndefined(env.HUB_TLS_KEY),
        itemCatalogFile: emptyToUndefined(env.HUB_ITEM_CATALOG),
      }).filter(([, v]) => v !== undefined),
    ),
  };
  // HUB_PACS_URL (and its credentials) switch forwarding on, or override the file's pacsForward.
  const pacsEnv = Object.fromEntries(
    Object.entries({ url: env.HUB_PACS_URL, username: env.HUB_PACS_USERNAME, password: env.HUB_PACS_PASSWORD }).filter(([, v]) => emptyToUndefined(v) !== undefined),
  );
  if (Object.keys(pacsEnv).length > 0) {
    const fromFilePacs = (merged as { pacsForward?: unknown }).pacsForward;
    Object.assign(merged, { pacsForward: { ...(typeof fromFilePacs === 'object' && fromFilePacs ? fromFilePacs : {}), ...pacsEnv } });
  }
  const parsed = HubConfigFile.safeParse(merged);
  if (!parsed.success) {
    throw new Error(`Invalid hub configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const c = parsed.data;
  if (Boolean(c.tlsCert) !== Boolean(c.tlsKey)) throw new Error('Invalid hub configuration: set both HUB_TLS_CERT and HUB_TLS_KEY, or neither');
  return {
    ...(c.databaseUrl ? { databaseUrl: c.databaseUrl } : {}),
    dataDir: c.dataDir ?? (c.databaseUrl ? undefined : '.hub-data'),
    host: c.host ?? '127.0.0.1',
    port: c.port ?? 8787,
    demo: c.demo ?? false,
    logLevel: c.logLevel ?? 'info',
    ...(c.tlsCert && c.tlsKey ? { tls: { cert: readFileSync(c.tlsCert), key: readFileSync(c.tlsKey) } } : {}),
    ...(c.settings ? { settings: c.settings } : {}),
    ...(c.pacsForward ? { pacsForward: c.pacsForward } : {}),
    ...(c.itemCatalogFile ? { itemCatalogFile: c.itemCatalogFile } : {}),
  };
}
