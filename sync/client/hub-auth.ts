/**
 * Online login with the county hub (POST /auth/login, GET /auth/jwks), as the workstation's login
 * screen calls it: on success it keeps the user's offline grant and the hub's public keys in the
 * local database (offline-login.ts), so the same user can sign in on this PC while the hub is
 * unreachable; when the hub refuses the user (auth-invalid: wrong password, disabled user, revoked
 * workstation) that user's cached grant is deleted, so a grant never outlives what the hub says;
 * a user the hub disabled also loses their copy of the local-data key (protected-database.ts).
 */
import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';
import type { LocalDatabase } from './database.ts';
import { errorFromResponse, SyncError } from './hub-http.ts';
import { isUserDisabledRefusal } from '../protocol/index.ts';
import { forgetOfflineGrants, storeOfflineGrant } from './offline-login.ts';
import { forgetDisabledUser } from './protected-database.ts';

export interface OnlineLoginInput {
  hubUrl: string;
  workstationId: string;
  workstationCredential: string;
  username: string;
  password: string;
  fetch?: typeof fetch;
}

const loginResponseSchema = z.object({
  accessToken: z.string().min(1),
  expiresIn: z.number().positive(),
  refreshToken: z.string().min(1),
  refreshExpiresIn: z.number().positive(),
  user: z.object({ id: z.string(), username: z.string(), displayName: z.string(), role: z.string(), institutionId: z.string() }),
  institution: z.object({ id: z.string(), kind: z.string() }),
  offlineGrant: z.string().min(1),
  /** The hub's escrow secret for this workstation's local-data key (sync/client/protected-database.ts); older hubs omit it. */
  localDataEscrow: z.string().min(32).optional(),
});
export type OnlineSession = z.infer<typeof loginResponseSchema>;

const jwksResponseSchema = z.object({ keys: z.array(z.object({ kty: z.string() }).passthrough()).min(1) });

const url = (hubUrl: string, path: string) => hubUrl.replace(/\/+$/, '') + path;

async function request<S extends z.ZodType>(input: Pick<OnlineLoginInput, 'hubUrl' | 'fetch'>, path: string, schema: S, init: RequestInit = {}): Promise<z.infer<S>> {
  let response: Response;
  try {
    response = await (input.fetch ?? fetch)(url(input.hubUrl, path), { ...init, signal: AbortSignal.timeout(15_000) });
  } catch (cause) {
    throw new SyncError('network', 0, undefined, undefined, { cause });
  }
  if (!response.ok) throw await errorFromResponse(response);
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new SyncError('bad-response', response.status);
  return parsed.data;
}

/**
 * Logs in online and caches the offline grant. Throws SyncError (zh/en) when the hub refuses or cannot
 * be reached. Without a local database (a reading room in a plain browser) nothing is cached and the
 * user can only sign in online.
 */
export async function loginOnline(db: LocalDatabase | undefined, input: OnlineLoginInput): Promise<OnlineSession> {
  let session: OnlineSession;
  try {
    session = await request(input, '/auth/login', loginResponseSchema, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        workstationId: input.workstationId,
        workstationCredential: input.workstationCredential,
        username: input.username,
        password: input.password,
      }),
    });
  } catch (error) {
    // The hub answers auth-invalid for a wrong password, a disabled user and a revoked workstation
    // alike; in every case this user's offline permission must not outlive the hub's refusal. A
    // disabled user also loses their copy of this PC's data key.
    if (db && error instanceof SyncError && isUserDisabledRefusal(error.code, error.details)) await forgetDisabledUser(db, input.username);
    else if (db && error instanceof SyncError && error.code === 'auth-invalid') await forgetOfflineGrants(db, input.username);
    throw error;
  }
  if (!db) return session;
  const jwks = await request(input, '/auth/jwks', jwksResponseSchema);
  await storeOfflineGrant(db, session.offlineGrant, jwks as JSONWebKeySet);
  return session;
}
