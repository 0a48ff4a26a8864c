/**
 * Password hashing with scrypt from node:crypto. Not argon2: argon2 for Node needs a native build
 * (node-gyp or a prebuilt binary per platform), which this project avoids on clinic PCs and CI;
 * scrypt is memory-hard as well and ships in Node. Parameters follow OWASP (N=2^15, r=8, p=1).
 */
import { randomBytes, scrypt, timingSafeEqual, createHash } from 'node:crypto';

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
// scrypt needs 128·N·r bytes = 32 MiB; Node's default maxmem is exactly 32 MiB, so allow headroom.
const MAXMEM = 64 * 1024 * 1024;

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of a dummy password, verified against when the user does not exist, so timing does not tell. */
export const dummyPasswordHash = hashPassword('not-a-real-password');

/**
 * Random 256-bit secrets (workstation credentials, enrolment codes, refresh tokens) are stored as a
 * plain SHA-256: with that much entropy a slow hash adds nothing, and lookups by hash stay indexed.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
