import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet } from 'jose';
import { createLocalDatabase, memoryStorage, type LocalDatabase } from './database.ts';
import { derivePbkdf2, forgetOfflineGrants, HUB_TOKEN_ISSUER, loginOffline, OfflineLoginError, storeOfflineGrant } from './offline-login.ts';

// A stand-in hub key, and grants signed with it exactly as sync/hub/auth/tokens.ts issueOfflineGrant does.
interface TestHubKey {
  privateKey: CryptoKey;
  jwks: JSONWebKeySet;
}
const makeHubKey = async (kid: string): Promise<TestHubKey> => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  return { privateKey: pair.privateKey, jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' }] } };
};

const ITERATIONS = 100_000; // the lowest the client accepts; the hub uses 210,000
const DAY = 24 * 60 * 60;

async function makeOfflineGrant(key: TestHubKey, overrides: { username?: string; password?: string; workstationId?: string; ttlSeconds?: number } = {}) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const saltText = base64url.encode(salt);
  const verifier = await derivePbkdf2(overrides.password ?? 'demo1234', saltText, ITERATIONS);
  return new SignJWT({
    typ: 'offline',
    wks: overrides.workstationId ?? 'ws-clinic-1',
    ins: 'chengguan',
    role: 'nurse',
    username: overrides.username ?? 'nurse',
    name: '李护士',
    kdf: { alg: 'PBKDF2-SHA256', iterations: ITERATIONS, salt: saltText },
    verifier: base64url.encode(verifier),
  })
    .setProtectedHeader({ alg: 'ES256', kid: key.jwks.keys[0]!.kid! })
    .setIssuer(HUB_TOKEN_ISSUER)
    .setSubject('chengguan-nurse')
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (overrides.ttlSeconds ?? 7 * DAY))
    .sign(key.privateKey);
}

const writer = { institutionId: 'chengguan', role: 'clinic' } as const;
const opened: LocalDatabase[] = [];
let dbCount = 0;
const openDb = async () => {
  const db = await createLocalDatabase({ name: `offline-login-${++dbCount}`, storage: memoryStorage(), writer });
  opened.push(db);
  return db;
};
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

const nurseAtClinic1 = { workstationId: 'ws-clinic-1', username: 'nurse', password: 'demo1234' };
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

let hubKey: TestHubKey;
beforeAll(async () => {
  hubKey = await makeHubKey('hub-key-1');
});

describe('offline login', () => {
  it('signs the nurse in offline with the password of her last online login', async () => {
    const db = await openDb();
    await storeOfflineGrant(db, await makeOfflineGrant(hubKey), hubKey.jwks);
    const session = await loginOffline(db, nurseAtClinic1);
    expect(session).toMatchObject({ userId: 'chengguan-nurse', username: 'nurse', displayName: '李护士', role: 'nurse', institutionId: 'chengguan', workstationId: 'ws-clinic-1', offline: true });
    expect(Date.parse(session.grantExpiresAt)).toBeGreaterThan(Date.now() + 6 * DAY * 1000);
  });

  it('refuses a wrong password with a message in Chinese and English', async () => {
    const db = await openDb();
    await storeOfflineGrant(db, await makeOfflineGrant(hubKey), hubKey.jwks);
    const error = await rejection(loginOffline(db, { ...nurseAtClinic1, password: 'demo1235' }));
    expect(error).toBeInstanceOf(OfflineLoginError);
    expect(error).toMatchObject({ code: 'wrong-password', messageZh: '用户名或密码错误', message: 'Wrong username or password' });
  });

  it('tells a user who never signed in online on this PC that offline sign-in needs one online login', async () => {
    const db = await openDb();
    await storeOfflineGrant(db, await makeOfflineGrant(hubKey), hubKey.jwks);
    const error = await rejection(loginOffline(db, { ...nurseAtClinic1, username: 'doctor' }));
    expect(error).toMatchObject({ code: 'never-logged-in-here' });
    expect((error as OfflineLoginError).messageZh).toContain('尚未在本工作站联网登录');
    expect(await rejection(loginOffline(await openDb(), nurseAtClinic1))).toMatchObject({ code: 'never-logged-in-here' });
  });

  it('refuses a grant older than its 7 days even with the right password', async () => {
    const db = await openDb();
    await storeOfflineGrant(db, await makeOfflineGrant(hubKey), hubKey.jwks);
    const eightDaysLater = new Date(Date.now() + 8 * DAY * 1000);
    const error = await rejection(loginOffline(db, nurseAtClinic1, eightDaysLater));
    expect(error).toMatchObject({ code: 'grant-expired' });
    expect((error as OfflineLoginError).messageZh).toContain('已过期');
  });

  it('does not accept a grant issued to another workstation', async () => {
    const db = await openDb();
    await storeOfflineGrant(db, await makeOfflineGrant(hubKey, { workstationId: 'ws-other-pc' }), hubKey.jwks);
    expect(await rejection(loginOffline(db, nurseAtClinic1))).toMatchObject({ code: 'grant-invalid' });
  });

  it('never stores a grant the hub did not sign, and refuses one slipped into the cache', async () => {
    const db = await openDb();
    const forger = await makeHubKey('hub-key-1'); // same kid, different key
    const forged = await makeOfflineGrant(forger, { password: 'chosen-by-attacker' });
    expect(await rejection(storeOfflineGrant(db, forged, hubKey.jwks))).toMatchObject({ code: 'grant-invalid' });

    await storeOfflineGrant(db, await makeOfflineGrant(hubKey), hubKey.jwks);
    const cached = (await db.getLocal('offline-login'))!.toJSON().data as { jwks: unknown; grants: Record<string, { grant: string; storedAt: string }> };
    await db.upsertLocal('offline-login', { ...cached, grants: { nurse: { grant: forged, storedAt: new Date().toISOString() } } });
    expect(await rejection(loginOffline(db, { ...nurseAtClinic1, password: 'chosen-by-attacker' }))).toMatchObject({ code: 'grant-invalid' });
  });

  it('replaces the grant at the next online login, so a changed password works offline and the old one does not', async () => {
    const db = await openDb();
    await storeOfflineGrant(db, await makeOfflineGrant(hubKey), hubKey.jwks);
    await storeOfflineGrant(db, await makeOfflineGrant(hubKey, { username: 'doctor' }), hubKey.jwks);
    await storeOfflineGrant(db, await makeOfflineGrant(hubKey, { password: 'new-pass-2026' }), hubKey.jwks);
    expect(await rejection(loginOffline(db, nurseAtClinic1))).toMatchObject({ code: 'wrong-password' });
    await expect(loginOffline(db, { ...nurseAtClinic1, password: 'new-pass-2026' })).resolves.toMatchObject({ username: 'nurse' });
    await expect(loginOffline(db, { ...nurseAtClinic1, username: 'doctor' })).resolves.toMatchObject({ username: 'doctor' });
  });

  it('forgets one user, then every user, when the hub refuses them', async () => {
    const db = await openDb();
    await storeOfflineGrant(db, await makeOfflineGrant(hubKey), hubKey.jwks);
    await storeOfflineGrant(db, await makeOfflineGrant(hubKey, { username: 'doctor' }), hubKey.jwks);
    await forgetOfflineGrants(db, 'nurse');
    expect(await rejection(loginOffline(db, nurseAtClinic1))).toMatchObject({ code: 'never-logged-in-here' });
    await expect(loginOffline(db, { ...nurseAtClinic1, username: 'doctor' })).resolves.toMatchObject({ username: 'doctor' });
    await forgetOfflineGrants(db);
    expect(await rejection(loginOffline(db, { ...nurseAtClinic1, username: 'doctor' }))).toMatchObject({ code: 'never-logged-in-here' });
  });

  it('finds the grant of a Chinese username whatever Unicode form the keyboard produced', async () => {
    const db = await openDb();
    const composed = '护士小李';
    await storeOfflineGrant(db, await makeOfflineGrant(hubKey, { username: composed, password: 'Café-1' }), hubKey.jwks);
    await expect(loginOffline(db, { ...nurseAtClinic1, username: composed, password: 'Cafe\u0301-1' })).resolves.toMatchObject({ username: composed });
  });
});
