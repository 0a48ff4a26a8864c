/**
 * HTTP to the county hub with fetch (Chromium, Electron renderer and Node 20 alike). Every answer is
 * parsed with the protocol's zod schemas; every failure becomes a SyncError with a stable code and
 * a message the sync-status panel shows as is, in Chinese and English.
 */
import type { z } from 'zod';
import { CodedError, errorText, type ErrorCodeOf } from '../../core/errors/index.ts';
import { bearer, errorBodySchema, type ErrorBody, type HubErrorCode } from '../protocol/index.ts';

export type SyncErrorCode = HubErrorCode | 'network' | 'bad-response' | 'stopped';

type ClientOnlyCode = Extract<SyncErrorCode, ErrorCodeOf<'sync'>>;
const isClientOnly = (code: SyncErrorCode): code is ClientOnlyCode => code === 'network' || code === 'bad-response' || code === 'stopped';

/**
 * A failed exchange with the hub: the hub's code and words when it answered with an error body, else
 * this side's (`sync.*` in the catalogue: network, bad-response, stopped).
 */
export class SyncError extends CodedError<`hub.${HubErrorCode}` | `sync.${ErrorCodeOf<'sync'>}`> {
  override readonly name = 'SyncError';
  declare readonly code: SyncErrorCode;
  constructor(
    code: SyncErrorCode,
    /** HTTP status, 0 when the request never got an answer. */
    readonly status: number,
    /** The hub's own words (or a more precise English one), when there are any. */
    message?: string,
    messageZh?: string,
    options?: {
      cause?: unknown;
      details?: ErrorBody['error']['details'];
      /** This side's more precise reason (`sync.*`), said under `code` (auth-missing: sign in again with a password). */
      reason?: ErrorCodeOf<'sync'>;
    },
  ) {
    const key = options?.reason ? (`sync.${options.reason}` as const) : isClientOnly(code) ? (`sync.${code}` as const) : (`hub.${code}` as const);
    const text = message !== undefined || messageZh !== undefined ? { en: message ?? errorText(key, {}, 'en'), zh: messageZh ?? errorText(key, {}, 'zh-CN') } : undefined;
    super(key, {}, { cause: options?.cause, text, code });
    this.details = options?.details;
  }

  /** What the hub said about the request (which rows, which fields); never values. */
  readonly details: ErrorBody['error']['details'];
}

/**
 * The hub refused the request itself (4xx) and the same request will be refused again: bad data, a
 * rule the writer may not break, a body too large. Not a refusal of the credentials (those wait for
 * a sign-in), an expired token, a rate limit, or a route this hub does not know (a version mismatch
 * an update fixes): those are retried.
 */
export const isRequestRefusal = (error: SyncError): boolean =>
  error.status >= 400 &&
  error.status < 500 &&
  ![401, 404, 408, 429].includes(error.status) &&
  !['auth-invalid', 'auth-missing', 'auth-expired', 'rate-limited', 'unknown-collection', 'not-found'].includes(error.code);

export interface HubConnection {
  hubUrl: string;
  /**
   * Called before every request, so a refreshed token is used on the next retry. A SyncError it
   * throws is reported as is; anything else means no credentials are at hand (nobody signed in)
   * and is reported as auth-missing.
   */
  getToken: () => string | Promise<string>;
  fetch?: typeof fetch;
}

const url = (hubUrl: string, path: string) => hubUrl.replace(/\/+$/, '') + path;

export async function hubFetch(conn: HubConnection, path: string, init: RequestInit = {}): Promise<Response> {
  let token: string;
  try {
    token = await conn.getToken();
  } catch (cause) {
    if (cause instanceof SyncError) throw cause;
    throw new SyncError('auth-missing', 0, undefined, undefined, { cause });
  }
  const headers = new Headers(init.headers);
  headers.set('authorization', bearer(token));
  let response: Response;
  try {
    response = await (conn.fetch ?? fetch)(url(conn.hubUrl, path), { ...init, headers });
  } catch (cause) {
    if (init.signal?.aborted) throw new SyncError('stopped', 0, undefined, undefined, { cause });
    throw new SyncError('network', 0, undefined, undefined, { cause });
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

export async function errorFromResponse(response: Response): Promise<SyncError> {
  const body: unknown = await response.json().catch(() => undefined);
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, message, messageZh, details } = parsed.data.error;
    return new SyncError(code, response.status, message, messageZh, { details });
  }
  if (response.status === 401) return new SyncError('auth-invalid', 401);
  if (response.status === 403) return new SyncError('forbidden', 403);
  if (response.status >= 500) return new SyncError(response.status === 503 ? 'unavailable' : 'internal', response.status);
  return new SyncError('bad-response', response.status, `The county hub answered HTTP ${response.status}`);
}

export async function hubJson<S extends z.ZodType>(conn: HubConnection, path: string, schema: S, init: RequestInit = {}): Promise<z.infer<S>> {
  const response = await hubFetch(conn, path, init);
  const body: unknown = await response.json().catch(() => undefined);
  const parsed = schema.safeParse(body);
  // The issue paths say which field was wrong; values are not logged (they may be patient data).
  if (!parsed.success) throw new SyncError('bad-response', response.status, `The county hub sent an unexpected answer (${parsed.error.issues.slice(0, 3).map((i) => i.path.join('.')).join(', ')})`);
  return parsed.data;
}
