/**
 * Builds the hub's Fastify application on an open, migrated database: plugins (helmet, CORS,
 * rate limiting for login), one error handler that gives every failure the `{ error: { code,
 * message, messageZh } }` shape, and the routes.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { DestinationStream } from 'pino';
import type { HubContext } from './context.ts';
import { errors, HubError } from './errors.ts';
import { loggerOptions } from './logging.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { normaliseUsername, registerAuthRoutes } from './routes/auth.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerReplicationRoutes } from './routes/replication.ts';
import { registerBlobRoutes } from './routes/blobs.ts';
import { registerTurnaroundRoutes } from './routes/turnaround.ts';
import { registerRecognitionRoutes } from './routes/recognition.ts';
import { registerEcgReadingRoutes } from './routes/ecg-reading.ts';
import { registerReadingRoom } from './reading-room.ts';
import { registerPatientAccessRoutes } from './routes/patient-access.ts';

export interface AppOptions {
  logLevel: string;
  logStream?: DestinationStream;
  https?: { cert: Buffer; key: Buffer };
  /** A demo hub: loopback browser origins are allowed (the browser-mode demo UI). */
  demo?: boolean;
  /** A renderer build (dist/renderer) to serve as the reading room at /reading-room/. */
  readingRoom?: { root: string; demo: boolean };
}

export async function buildApp(ctx: HubContext, options: AppOptions): Promise<FastifyInstance> {
  const serverOptions: FastifyServerOptions = {
    logger: loggerOptions(options.logLevel, options.logStream),
    bodyLimit: ctx.settings.bodyLimitBytes,
    // Clients retry over flaky links; a request that stalls this long is dropped, not held.
    requestTimeout: 120_000,
    // close() must not wait for idle keep-alive sockets and open live streams (up to 72 s): a demo
    // stopped with Ctrl-C or a hub restarted in tests closes at once.
    forceCloseConnections: true,
    ...(options.https ? { https: options.https } : {}),
  } as FastifyServerOptions;
  const app = Fastify(serverOptions) as unknown as FastifyInstance;

  await app.register(helmet, { contentSecurityPolicy: false }); // JSON API; the reading-room UI sets its own CSP
  // PUT: blob chunks from the browser-mode clinic UI (another origin); @fastify/cors allows only GET, HEAD and POST by default.
  // CORS from the configured allow-list only (settings.corsOrigins); a demo hub also answers loopback
  // origins, where the browser-mode demo UI runs. Echoing any origin would let any web page a clinic
  // PC opens read what the hub answers.
  const allowedOrigins = new Set(ctx.settings.corsOrigins);
  const loopback = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && (allowedOrigins.has(origin) || (options.demo === true && loopback.test(origin)))),
    methods: ['GET', 'HEAD', 'POST', 'PUT'],
  });
  // Patient data and files are never kept by browser or proxy caches on a shared PC (residual
  // information): every answer is no-store unless a route says otherwise (the reading-room page).
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  await app.register(rateLimit, {
    global: false,
    // Counted after the body is parsed, per client address, workstation and username: one PC
    // guessing one account is slowed down, the rest of a clinic behind the same NAT is not.
    hook: 'preHandler',
    // Keyed on the workstation and the *normalised* username (routes/auth.ts): " admin", "admin\t" and
    // "ａｄｍｉｎ" share one bucket. The account itself also locks after repeated failures (auth.ts).
    keyGenerator: (request) => {
      const body = request.body as { workstationId?: unknown; username?: unknown } | undefined;
      const part = (v: unknown) => (typeof v === 'string' ? v.slice(0, 100) : '');
      return `${part(body?.workstationId)}|${normaliseUsername(part(body?.username)).toLowerCase()}|${body?.username === undefined ? request.ip : ''}`;
    },
    errorResponseBuilder: () => errors.rateLimited(),
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const hubError = toHubError(error);
    if (hubError.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: hubError.code, status: hubError.status }, 'request refused');
    reply.code(hubError.status).type('application/json').send(hubError.toBody());
  });
  app.setNotFoundHandler((_request, reply) => {
    reply.code(404).send(HubError.because('not-found', 'no-such-route').toBody());
  });

  registerHealthRoutes(app, ctx);
  registerAuthRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerReplicationRoutes(app, ctx);
  registerBlobRoutes(app, ctx);
  registerTurnaroundRoutes(app, ctx);
  registerRecognitionRoutes(app, ctx, ctx.itemCatalog);
  registerEcgReadingRoutes(app, ctx);
  registerPatientAccessRoutes(app, ctx);
  if (options.readingRoom) await registerReadingRoom(app, options.readingRoom.root, { demo: options.readingRoom.demo });
  return app;
}

/** Maps Fastify's own errors (body too large, bad JSON, wrong content type) to the hub's shape. */
function toHubError(error: Error & { statusCode?: number; code?: string }): HubError {
  if (error instanceof HubError) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return HubError.because('payload-too-large', 'body-too-large');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return HubError.because('bad-request', 'body-not-json');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return HubError.because('bad-request', 'unsupported-content-type');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return HubError.because('bad-request', 'content-length-mismatch');
  }
  // Last net behind the schemas (core/records `text()`): a value PostgreSQL cannot store — a NUL
  // byte, an invalid escape, a number out of range (SQLSTATE class 22, data exception) — is the
  // request's fault, so a 400, never a 500 the client would retry forever.
  if (typeof error.code === 'string' && /^22[0-9A-Z]{3}$/.test(error.code)) {
    return HubError.because('bad-request', 'value-not-storable');
  }
  // The database was too busy for this request: a deadlock broken against it after retries, a lock
  // or statement that ran out of time (database.ts SESSION_LIMITS). Nothing was written; the client
  // tries again later, as it does when the hub is unreachable.
  if (typeof error.code === 'string' && ['40P01', '40001', '55P03', '57014'].includes(error.code)) {
    return HubError.because('unavailable', 'busy');
  }
  if (error.statusCode === 429) return errors.rateLimited();
  if (error.statusCode === 413) return new HubError('payload-too-large');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return errors.badRequest(error.message);
  return errors.internal();
}
