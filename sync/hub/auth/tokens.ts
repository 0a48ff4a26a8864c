/**
 * Tokens, signed with the hub's ES256 key (kept in `hub_keys`, created on first start; its public
 * half is served at GET /auth/jwks so a workstation can verify offline grants without the network):
 * - access token: JWT, 15 min, claims sub (user), wks (workstation), ins (institution), role;
 * - refresh token: opaque 256-bit secret, stored hashed, single use (rotated on every refresh);
 * - offline grant: JWT a workstation caches to let the same user log in while the hub is unreachable
 *   (see README.md, "Offline login").
 */
import { SignJWT, jwtVerify, generateKeyPair, exportJWK, importJWK, errors as joseErrors, type JWK, type CryptoKey } from 'jose';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/database.ts';
import { errors, HubError } from '../errors.ts';

export type Role = 'nurse' | 'doctor' | 'cardiologist' | 'administrator';

export interface AccessClaims {
  userId: string;
  workstationId: string;
  institutionId: string;
  role: Role;
}

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

const ISSUER = 'clinic-hub';

export async function loadOrCreateSigningKeys(db: Queryable): Promise<SigningKeys> {
  let { rows } = await db.query<{ kid: string; private_jwk: JWK; public_jwk: JWK }>(
    'select kid, private_jwk, public_jwk from hub_keys order by created_at limit 1',
  );
  if (rows.length === 0) {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const kid = randomBytes(8).toString('hex');
    const privateJwk = await exportJWK(pair.privateKey);
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' };
    // Two hubs starting at once on one database: the first key wins, both then read it back.
    await db.query('insert into hub_keys (kid, private_jwk, public_jwk) values ($1, $2, $3) on conflict do nothing', [kid, privateJwk, publicJwk]);
    ({ rows } = await db.query('select kid, private_jwk, public_jwk from hub_keys order by created_at limit 1'));
  }
  const row = rows[0]!;
  return {
    kid: row.kid,
    privateKey: (await importJWK(row.private_jwk, 'ES256')) as CryptoKey,
    publicKey: (await importJWK(row.public_jwk, 'ES256')) as CryptoKey,
    publicJwk: row.public_jwk,
  };
}

export async function issueAccessToken(keys: SigningKeys, claims: AccessClaims, ttlSeconds: number): Promise<string> {
  return new SignJWT({ wks: claims.workstationId, ins: claims.institutionId, role: claims.role, typ: 'access' })
    .setProtectedHeader({ alg: 'ES256', kid: keys.kid })
    .setIssuer(ISSUER)
    .setSubject(claims.userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(keys.privateKey);
}

export async function verifyAccessToken(keys: SigningKeys, token: string): Promise<AccessClaims & { expiresAtMs: number }> {
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, { issuer: ISSUER, algorithms: ['ES256'] });
    if (payload.typ !== 'access' || typeof payload.sub !== 'string' || typeof payload.wks !== 'string' || typeof payload.ins !== 'string') {
      throw HubError.because('auth-invalid', 'not-an-access-token');
    }
    return { userId: payload.sub, workstationId: payload.wks, institutionId: payload.ins, role: payload.role as Role, expiresAtMs: (payload.exp ?? 0) * 1000 };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw errors.tokenExpired();
    if (error instanceof joseErrors.JOSEError) throw errors.invalidToken();
    throw error;
  }
}

/**
 * Offline verifier: PBKDF2-SHA256 over the password with its own salt. PBKDF2 rather than scrypt
 * because the workstation checks it in the renderer, where WebCrypto offers PBKDF2 but no scrypt.
 * It is a different salt and algorithm from the hub's stored hash, so a stolen workstation cache
 * reveals nothing that logs in to the hub.
 */
export const OFFLINE_PBKDF2_ITERATIONS = 210_000;

export async function issueOfflineGrant(
  keys: SigningKeys,
  claims: AccessClaims & { username: string; displayName: string },
  password: string,
  ttlSeconds: number,
): Promise<string> {
  const salt = randomBytes(16);
  const verifier = pbkdf2Sync(password.normalize('NFC'), salt, OFFLINE_PBKDF2_ITERATIONS, 32, 'sha256');
  return new SignJWT({
    typ: 'offline',
    wks: claims.workstationId,
    ins: claims.institutionId,
    role: claims.role,
    username: claims.username,
    name: claims.displayName,
    kdf: { alg: 'PBKDF2-SHA256', iterations: OFFLINE_PBKDF2_ITERATIONS, salt: salt.toString('base64url') },
    verifier: verifier.toString('base64url'),
  })
    .setProtectedHeader({ alg: 'ES256', kid: keys.kid })
    .setIssuer(ISSUER)
    .setSubject(claims.userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(keys.privateKey);
}
