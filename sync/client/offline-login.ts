/**
 * Offline login (离线登录): a user who signed in online on this workstation can sign in again while
 * the county hub is unreachable. At every online login the workstation keeps the hub-signed offline
 * grant of that user and the hub's public keys (JWKS) as RxDB local documents (not replicated, like
 * drafts); offline, `loginOffline` checks the grant's ES256 signature against the cached keys, its
 * expiry, that it was issued for this workstation and this username, and derives PBKDF2-SHA256 of the
 * typed password to compare with the grant's verifier (sync/hub/README.md, "Offline login").
 *
 * DOM-safe: jose (WebCrypto) verifies the JWT; crypto.subtle derives PBKDF2. Runs the same in the
 * Electron renderer, Chromium and Node 20.
 */
import { base64url, createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { CodedError, type ErrorCodeOf } from '../../core/errors/index.ts';
import type { LocalDatabase } from './database.ts';

/** The issuer the hub writes into every token (sync/hub/auth/tokens.ts). */
export const HUB_TOKEN_ISSUER = 'clinic-hub';

/** One local document holds the cached JWKS and every user's grant, so "forget all" is one delete. */
const OFFLINE_DOC = 'offline-login';
/** Bounds on the grant's PBKDF2 cost: a signed grant is trusted, but a slip must not hang the login screen. */
const MIN_ITERATIONS = 100_000;
const MAX_ITERATIONS = 5_000_000;

/** Why an offline sign-in failed; the words are the catalogue's `offlineLogin.*` (core/errors/locales). */
export type OfflineLoginErrorCode = ErrorCodeOf<'offlineLogin'>;

export class OfflineLoginError extends CodedError<`offlineLogin.${OfflineLoginErrorCode}`> {
  override readonly name = 'OfflineLoginError';
  declare readonly code: OfflineLoginErrorCode;
  constructor(code: OfflineLoginErrorCode, options?: { cause?: unknown }) {
    super(`offlineLogin.${code}`, {}, options);
  }
}

/** The claims of an offline grant, as sync/hub/auth/tokens.ts issueOfflineGrant writes them. */
const grantClaimsSchema = z.object({
  typ: z.literal('offline'),
  sub: z.string().min(1),
  username: z.string().min(1),
  name: z.string(),
  role: z.enum(['nurse', 'doctor', 'cardiologist', 'administrator']),
  ins: z.string().min(1),
  wks: z.string().min(1),
  exp: z.number().int(),
  kdf: z.object({ alg: z.literal('PBKDF2-SHA256'), iterations: z.number().int().min(MIN_ITERATIONS).max(MAX_ITERATIONS), salt: z.string().min(16) }),
  verifier: z.string().min(43),
});
export type OfflineGrantClaims = z.infer<typeof grantClaimsSchema>;

const jwksSchema = z.object({ keys: z.array(z.object({ kty: z.string() }).passthrough()).min(1) });
const offlineDocSchema = z.object({
  jwks: jwksSchema,
  /** By username (NFC). */
  grants: z.record(z.string(), z.object({ grant: z.string().min(1), storedAt: z.string() })),
});
type OfflineDoc = z.infer<typeof offlineDocSchema>;

export interface OfflineSession {
  userId: string;
  username: string;
  displayName: string;
  role: OfflineGrantClaims['role'];
  institutionId: string;
  workstationId: string;
  /** When the grant stops working offline (ISO time). */
  grantExpiresAt: string;
  offline: true;
}

const nfc = (username: string) => username.normalize('NFC');

async function readOfflineDoc(db: LocalDatabase): Promise<OfflineDoc | undefined> {
  const parsed = offlineDocSchema.safeParse((await db.getLocal(OFFLINE_DOC))?.toJSON().data);
  return parsed.success ? parsed.data : undefined;
}

/** Verifies a grant JWT against a JWKS: signature, issuer, expiry (at `now`), and the claim shapes. */
export async function verifyOfflineGrant(grant: string, jwks: JSONWebKeySet, now: Date = new Date()): Promise<OfflineGrantClaims> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(grant, createLocalJWKSet(jwks), { issuer: HUB_TOKEN_ISSUER, algorithms: ['ES256'], currentDate: now }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new OfflineLoginError('grant-expired', { cause: error });
    throw new OfflineLoginError('grant-invalid', { cause: error });
  }
  const claims = grantClaimsSchema.safeParse(payload);
  if (!claims.success) throw new OfflineLoginError('grant-invalid');
  return claims.data;
}

/**
 * Keeps what an online login returned so the same user can sign in offline later: the grant
 * (replacing that user's previous one) and the hub's JWKS. The grant is verified against the JWKS
 * first, so a garbled answer never replaces a good grant.
 */
export async function storeOfflineGrant(db: LocalDatabase, offlineGrant: string, jwks: JSONWebKeySet): Promise<OfflineGrantClaims> {
  const keys = jwksSchema.parse(jwks);
  const claims = await verifyOfflineGrant(offlineGrant, keys as JSONWebKeySet);
  const current = await readOfflineDoc(db);
  const next: OfflineDoc = {
    jwks: keys,
    grants: { ...current?.grants, [nfc(claims.username)]: { grant: offlineGrant, storedAt: new Date().toISOString() } },
  };
  await db.upsertLocal(OFFLINE_DOC, next);
  return claims;
}

/** Deletes one user's grant (the hub refused that user online) or, without a username, every grant (workstation revoked). */
export async function forgetOfflineGrants(db: LocalDatabase, username?: string): Promise<void> {
  const doc = await db.getLocal(OFFLINE_DOC);
  if (!doc) return;
  const current = await readOfflineDoc(db);
  if (username === undefined || !current) {
    await doc.remove();
    return;
  }
  const grants = { ...current.grants };
  delete grants[nfc(username)];
  await db.upsertLocal(OFFLINE_DOC, { ...current, grants });
}

export interface OfflineLoginInput {
  workstationId: string;
  username: string;
  password: string;
}

/** Signs a user in without the hub. Throws OfflineLoginError (zh/en) when it cannot. */
export async function loginOffline(db: LocalDatabase, input: OfflineLoginInput, now: Date = new Date()): Promise<OfflineSession> {
  const cached = await readOfflineDoc(db);
  const stored = cached?.grants[nfc(input.username)];
  if (!cached || !stored) throw new OfflineLoginError('never-logged-in-here');

  const claims = await verifyOfflineGrant(stored.grant, cached.jwks as JSONWebKeySet, now);
  // A grant copied from another PC, or stored under another name, is not this user's on this PC.
  if (claims.wks !== input.workstationId || nfc(claims.username) !== nfc(input.username)) {
    throw new OfflineLoginError('grant-invalid');
  }
  const derived = await derivePbkdf2(input.password, claims.kdf.salt, claims.kdf.iterations);
  if (!constantTimeEqual(derived, base64url.decode(claims.verifier))) throw new OfflineLoginError('wrong-password');

  return {
    userId: claims.sub,
    username: claims.username,
    displayName: claims.name,
    role: claims.role,
    institutionId: claims.ins,
    workstationId: claims.wks,
    grantExpiresAt: new Date(claims.exp * 1000).toISOString(),
    offline: true,
  };
}

/**
 * Who a username is on this workstation according to the stored grant, without a password: the
 * signature, expiry and workstation are checked as for an offline login. Used to restore a session
 * after a reload (the UI keeps only the username and a refresh token), never to sign anyone in.
 */
export async function storedGrantClaims(db: LocalDatabase, workstationId: string, username: string, now: Date = new Date()): Promise<OfflineGrantClaims | undefined> {
  const cached = await readOfflineDoc(db);
  const stored = cached?.grants[nfc(username)];
  if (!cached || !stored) return undefined;
  const claims = await verifyOfflineGrant(stored.grant, cached.jwks as JSONWebKeySet, now).catch(() => undefined);
  if (!claims || claims.wks !== workstationId || nfc(claims.username) !== nfc(username)) return undefined;
  return claims;
}

/** PBKDF2-SHA256(password NFC, salt, iterations) → 32 bytes, as the hub derives the verifier. */
export async function derivePbkdf2(password: string, saltBase64url: string, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(base64url.decode(saltBase64url)), iterations }, key, 256);
  return new Uint8Array(bits);
}

/**
 * WebCrypto has no timingSafeEqual (node:crypto is not available in the renderer), so the
 * comparison is written here: it always walks every byte and branches only on the length.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
