/**
 * Every data request carries `Authorization: Bearer <access token>`, which names the user and the
 * workstation. The token alone is not trusted for revocation: each request re-reads the user and
 * the workstation, so disabling either takes effect on the very next request, not at token expiry.
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

export async function authenticate(ctx: HubContext, request: FastifyRequest): Promise<Caller> {
  const token = bearerToken(request);
  if (!token) throw errors.unauthenticated();
  const claims = await verifyAccessToken(ctx.keys, token);
  const { rows } = await ctx.db.query<{
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
