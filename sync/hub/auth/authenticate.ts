/**
 * Every data request carries `Authorization: Bearer <access token>`, which names the user and the
 * workstation. The token alone is not trusted for revocation: the hub re-reads the user and the
 * workstation, so disabling either takes effect within a second, not at token expiry.
 *
 * What the re-read found is kept for `settings.callerCacheMs` (1 s) per token (CallerCache): a
 * workstation syncing a burst checks its signature and its rows once a second, not once a request
 * (the morning rush spent a query and an ECDSA verification on every push). A revocation or a
 * disabled user made through this hub process's admin routes empties the cache at once (their very
 * next request is refused); one made elsewhere (another hub process, SQL by hand) bites within
 * the cache window.
 */
import type { FastifyRequest } from 'fastify';
import type { HubContext } from '../context.ts';
import { errors, HubError } from '../errors.ts';
import { verifyAccessToken, type AccessClaims } from './tokens.ts';

export type InstitutionKind = 'county_hospital' | 'township_clinic' | 'ecg_center';

export interface Caller extends AccessClaims {
  institutionKind: InstitutionKind;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return undefined;
}

/** Callers recently authenticated, by access token, each for `ttlMs` at most (and never past the token's expiry). */
export class CallerCache {
  private readonly entries = new Map<string, { caller: Caller; until: number }>();

  constructor(
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  get(token: string): Caller | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.caller;
    this.entries.delete(token);
    return undefined;
  }

  set(token: string, caller: Caller, expiresAtMs: number): void {
    if (this.ttlMs <= 0) return;
    // Bounded: a flood of distinct tokens empties it rather than growing it.
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(token, { caller, until: Math.min(this.now() + this.ttlMs, expiresAtMs) });
  }

  /** A user, workstation or role changed here: every caller is checked again on its next request. */
  clear(): void {
    this.entries.clear();
  }
}

export async function authenticate(ctx: HubContext, request: FastifyRequest): Promise<Caller> {
  const token = bearerToken(request);
  if (!token) throw errors.unauthenticated();
  const cached = ctx.callers?.get(token);
  if (cached) {
    request.caller = cached;
    return cached;
  }
  const { expiresAtMs, ...claims } = await verifyAccessToken(ctx.keys, token);
  // On the read lane: a check that waited for a pool connection behind a burst of pushes made every
  // request of a workstation whose cached check had just run out (the reading room's pull) wait too.
  const { rows } = await ctx.db.reads.query<{
    disabled_at: Date | null;
    revoked_at: Date | null;
    user_institution: string;
    workstation_institution: string;
    role: AccessClaims['role'];
    kind: InstitutionKind;
  }>(
    `select u.disabled_at, w.revoked_at, u.institution_id as user_institution, w.institution_id as workstation_institution,
            u.role, i.kind
       from users u join workstations w on w.id = $2 join institutions i on i.id = w.institution_id
      where u.id = $1`,
    [claims.userId, claims.workstationId],
  );
  const row = rows[0];
  if (!row) throw HubError.because('auth-invalid', 'token-subject-gone');
  if (row.revoked_at) throw errors.workstationRevoked();
  if (row.disabled_at) throw errors.userDisabled();
  if (row.user_institution !== claims.institutionId || row.workstation_institution !== claims.institutionId) {
    throw HubError.because('auth-invalid', 'token-institution-mismatch');
  }
  const caller: Caller = { ...claims, role: row.role, institutionKind: row.kind };
  ctx.callers?.set(token, caller, expiresAtMs);
  request.caller = caller;
  return caller;
}

/** Use as a route's preHandler. */
export function requireCaller(ctx: HubContext) {
  return async (request: FastifyRequest) => {
    await authenticate(ctx, request);
  };
}

export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw errors.unauthenticated();
  return request.caller;
}
