/**
 * Enrolment and login. A workstation is enrolled once: an administrator creates it and gets a
 * one-time code; the workstation exchanges the code for its own credential (stored hashed). A user
 * then logs in *on an enrolled workstation*: every session is workstation + user.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import { isWellFormedText, text } from '../../../core/records/index.ts';
import type { HubContext } from '../context.ts';
import { errors, HubError, parseOr400 } from '../errors.ts';
import { dummyPasswordHash, hashSecret, randomSecret, verifyPassword } from '../auth/passwords.ts';
import { issueAccessToken, issueOfflineGrant, type Role } from '../auth/tokens.ts';
import { appendAudit } from '../audit.ts';
import type { Queryable } from '../db/database.ts';

const EnrolBody = z.strictObject({ code: text().trim().min(6).max(64) });
const LoginBody = z.strictObject({
  workstationId: text().min(1).max(100),
  workstationCredential: text().min(16).max(200),
  username: text().max(100).transform(normaliseUsername).pipe(text().min(1, { message: 'Enter the username' })),
  password: text().min(1).max(200),
});
const RefreshBody = z.strictObject({
  workstationCredential: text().min(16).max(200),
  refreshToken: text().min(16).max(200),
});
const LogoutBody = z.strictObject({ refreshToken: text().min(16).max(200) });

interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  institutionId: string;
}

/**
 * One account, one spelling: full-width forms and any white space (a leading space, a tab, the
 * ideographic space U+3000) are folded away, so padding a name never opens a fresh rate-limit bucket
 * or a second lockout counter. Usernames are letters, digits, '.', '_' and '-' (routes/admin.ts).
 */
export function normaliseUsername(username: string): string {
  return username.normalize('NFKC').replace(/\s+/gu, '');
}

export function registerAuthRoutes(app: FastifyInstance, ctx: HubContext): void {
  const limited = { rateLimit: { max: ctx.settings.loginAttemptsPerMinute, timeWindow: 60_000 } };
  // Refresh is limited per token family (one sign-in on one PC), not per address: colleagues behind
  // the clinic's NAT never share a bucket. An unknown token falls back to the address.
  const refreshLimited = {
    rateLimit: {
      max: ctx.settings.refreshAttemptsPerMinute,
      timeWindow: 60_000,
      keyGenerator: async (request: { body?: unknown; ip: string }) => {
        const token = (request.body as { refreshToken?: unknown } | undefined)?.refreshToken;
        if (typeof token !== 'string' || !isWellFormedText(token)) return `refresh|ip|${request.ip}`;
        const { rows } = await ctx.db.query<{ family: string }>('select family from refresh_tokens where token_hash = $1', [hashSecret(token)]);
        return rows[0] ? `refresh|family|${rows[0].family}` : `refresh|ip|${request.ip}`;
      },
    },
  };

  app.get('/auth/jwks', async () => ({ keys: [ctx.keys.publicJwk] }));

  app.post('/auth/enrol', { config: limited }, async (request) => {
    const body = parseOr400(EnrolBody, request.body, 'body');
    const credential = randomSecret();
    const enrolled = await ctx.db.transaction(async (tx) => {
      // Single use: the update claims the code atomically, a second exchange finds used_at set.
      const { rows } = await tx.query<{ workstation_id: string }>(
        `update enrolment_codes set used_at = now()
          where code_hash = $1 and used_at is null and expires_at > now() returning workstation_id`,
        [hashSecret(normaliseEnrolmentCode(body.code))],
      );
      const workstationId = rows[0]?.workstation_id;
      if (!workstationId) return null;
      const ws = await tx.query<{ institution_id: string; name: string; inst_name: string; kind: string }>(
        `update workstations w set credential_hash = $2, enrolled_at = now()
           from institutions i where w.id = $1 and i.id = w.institution_id and w.revoked_at is null
         returning w.institution_id, w.name, i.name as inst_name, i.kind`,
        [workstationId, hashSecret(credential)],
      );
      const row = ws.rows[0];
      if (!row) return null;
      await appendAudit(tx, { institutionId: row.institution_id, userId: null, workstationId }, [{ action: 'enrol' }]);
      return { workstationId, ...row };
    });
    if (!enrolled) throw errors.badEnrolmentCode();
    return {
      workstationId: enrolled.workstationId,
      workstationName: enrolled.name,
      institution: { id: enrolled.institution_id, name: enrolled.inst_name, kind: enrolled.kind },
      // Shown once; the hub keeps only its SHA-256.
      workstationCredential: credential,
    };
  });

  app.post('/auth/login', { config: limited }, async (request) => {
    const body = parseOr400(LoginBody, request.body, 'body');
    const workstation = await checkWorkstation(ctx.db, body.workstationId, body.workstationCredential);
    const { rows } = await ctx.db.query<{ id: string; display_name: string; role: Role; password_hash: string; disabled_at: Date | null }>(
      'select id, display_name, role, password_hash, disabled_at from users where institution_id = $1 and username = $2',
      [workstation.institutionId, body.username],
    );
    const user = rows[0];
    const who = { institutionId: workstation.institutionId, userId: user?.id ?? null, workstationId: body.workstationId };
    // A locked account is refused before its password is even checked: guessing on gains nothing.
    if (user) await refuseIfLocked(ctx, user.id, who);
    const ok = await verifyPassword(body.password, user?.password_hash ?? (await dummyPasswordHash));
    if (!user || !ok) {
      await appendAudit(ctx.db, who, [{ action: 'login_failed' }]);
      if (user) await countFailure(ctx, user.id, who);
      throw errors.badCredentials();
    }
    await ctx.db.query('delete from login_failures where user_id = $1', [user.id]);
    if (user.disabled_at) throw errors.userDisabled();
    const sessionUser: SessionUser = {
      id: user.id,
      username: body.username,
      displayName: user.display_name,
      role: user.role,
      institutionId: workstation.institutionId,
    };
    const tokens = await issueSession(ctx, ctx.db, sessionUser, body.workstationId);
    const offlineGrant = await issueOfflineGrant(
      ctx.keys,
      { userId: user.id, workstationId: body.workstationId, institutionId: workstation.institutionId, role: user.role, username: body.username, displayName: user.display_name },
      body.password,
      ctx.settings.offlineGrantTtlSeconds,
    );
    await appendAudit(ctx.db, { institutionId: workstation.institutionId, userId: user.id, workstationId: body.workstationId }, [{ action: 'login' }]);
    const localDataEscrow = await workstationKeyEscrow(ctx, body.workstationId);
    return { ...tokens, user: sessionUser, institution: { id: workstation.institutionId, kind: workstation.kind }, offlineGrant, localDataEscrow };
  });

  app.post('/auth/refresh', { config: refreshLimited }, async (request) => {
    const body = parseOr400(RefreshBody, request.body, 'body');
    // One transaction: the presented token is spent exactly when its successor is issued, and a
    // wrong workstation credential or a disabled user changes nothing.
    const outcome = await ctx.db.transaction(async (tx): Promise<RotatedSession | 'disabled' | null> => {
      const { rows } = await tx.query<PresentedToken>(
        `select token_hash, user_id, workstation_id, family, replaced_by, revoked_at is not null as spent, expires_at <= now() as expired,
                revoked_at > now() - make_interval(secs => $2) as recently_rotated
           from refresh_tokens where token_hash = $1 for update`,
        [hashSecret(body.refreshToken), ctx.settings.refreshRetryGraceSeconds],
      );
      const token = rows[0];
      if (!token || (!token.spent && token.expired)) return null;
      const workstation = await checkWorkstation(tx, token.workstation_id, body.workstationCredential);
      const user = await sessionUserOf(tx, token.user_id);
      if (!user) return 'disabled'; // disabling revoked the tokens: the refresh is told why, not taken for a replay
      if (!token.spent || (await isRetryOfLostRotation(tx, token))) {
        const session = await issueSession(ctx, tx, user, token.workstation_id, token.family);
        await tx.query('update refresh_tokens set revoked_at = coalesce(revoked_at, now()), replaced_by = $2 where token_hash = $1', [token.token_hash, hashSecret(session.refreshToken)]);
        return { session, user, institution: { id: workstation.institutionId, kind: workstation.kind } };
      }
      // A spent token presented again: it was stolen, or the PC replayed it. Either way the whole
      // family (every token rotated from that sign-in) is revoked, and the reuse is audited.
      await tx.query('update refresh_tokens set revoked_at = now() where family = $1 and revoked_at is null', [token.family]);
      await appendAudit(tx, { institutionId: user.institutionId, userId: token.user_id, workstationId: token.workstation_id }, [
        { action: 'refused', detail: { rule: 'auth.refresh-reuse-revokes-family' } },
      ]);
      return null;
    });
    if (outcome === 'disabled') throw errors.userDisabled();
    if (!outcome) throw HubError.because('auth-invalid', 'refresh-token-unknown');
    return { ...outcome.session, user: outcome.user, institution: outcome.institution };
  });

  app.post('/auth/logout', async (request) => {
    const body = parseOr400(LogoutBody, request.body, 'body');
    await ctx.db.query('update refresh_tokens set revoked_at = now() where token_hash = $1 and revoked_at is null', [hashSecret(body.refreshToken)]);
    return { ok: true };
  });
}

async function issueSession(ctx: HubContext, db: Queryable, user: SessionUser, workstationId: string, family: string = randomSecret()) {
  const accessToken = await issueAccessToken(
    ctx.keys,
    { userId: user.id, workstationId, institutionId: user.institutionId, role: user.role },
    ctx.settings.accessTokenTtlSeconds,
  );
  const refreshToken = randomSecret();
  await db.query(
    `insert into refresh_tokens (token_hash, user_id, workstation_id, expires_at, family) values ($1, $2, $3, now() + make_interval(secs => $4), $5)`,
    [hashSecret(refreshToken), user.id, workstationId, ctx.settings.refreshTokenTtlSeconds, family],
  );
  return { accessToken, expiresIn: ctx.settings.accessTokenTtlSeconds, refreshToken, refreshExpiresIn: ctx.settings.refreshTokenTtlSeconds };
}

interface RotatedSession {
  session: Awaited<ReturnType<typeof issueSession>>;
  user: SessionUser;
  institution: { id: string; kind: string };
}

/** A refresh token as found when presented, locked for the rotation. */
interface PresentedToken {
  token_hash: string;
  user_id: string;
  workstation_id: string;
  family: string;
  replaced_by: string | null;
  spent: boolean;
  expired: boolean;
  recently_rotated: boolean | null;
}

/**
 * The spent token comes back within the grace after its rotation, and the token that replaced it was
 * never used: the answer to the rotation was lost (the window reloaded, the PC lost power), so the
 * unused successor is revoked and replaced. A successor already used means two holders: a replay.
 * The grace runs from the first rotation, so retries cannot stretch it.
 */
async function isRetryOfLostRotation(tx: Queryable, token: PresentedToken): Promise<boolean> {
  if (!token.replaced_by || !token.recently_rotated) return false;
  const { rowCount } = await tx.query('update refresh_tokens set revoked_at = now() where token_hash = $1 and revoked_at is null', [token.replaced_by]);
  return rowCount === 1;
}

/** The user a refresh token was issued to, or null when they have been disabled or removed. */
async function sessionUserOf(db: Queryable, userId: string): Promise<SessionUser | null> {
  const { rows } = await db.query<{ username: string; display_name: string; role: Role; disabled_at: Date | null; institution_id: string }>(
    'select username, display_name, role, disabled_at, institution_id from users where id = $1',
    [userId],
  );
  const user = rows[0];
  if (!user || user.disabled_at) return null;
  return { id: userId, username: user.username, displayName: user.display_name, role: user.role, institutionId: user.institution_id };
}

async function checkWorkstation(db: Queryable, workstationId: string, credential: string) {
  const { rows } = await db.query<{ institution_id: string; credential_hash: string | null; revoked_at: Date | null; kind: string }>(
    'select w.institution_id, w.credential_hash, w.revoked_at, i.kind from workstations w join institutions i on i.id = w.institution_id where w.id = $1',
    [workstationId],
  );
  const ws = rows[0];
  if (!ws || !ws.credential_hash || ws.credential_hash !== hashSecret(credential)) {
    throw errors.badWorkstation();
  }
  if (ws.revoked_at) throw errors.workstationRevoked();
  return { institutionId: ws.institution_id, kind: ws.kind };
}

/** Codes are typed by hand: ignore case, spaces and dashes. */
export function normaliseEnrolmentCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

type Who = { institutionId: string; userId: string | null; workstationId: string | null };

async function refuseIfLocked(ctx: HubContext, userId: string, who: Who): Promise<void> {
  const { rows } = await ctx.db.query<{ locked_until: Date }>('select locked_until from login_failures where user_id = $1 and locked_until > now()', [userId]);
  if (!rows[0]) return;
  await appendAudit(ctx.db, who, [{ action: 'login_failed', detail: { locked: true } }]);
  const until = new Date(rows[0].locked_until).toISOString();
  throw HubError.because('rate-limited', 'account-locked', { until });
}

/** One more wrong password; at the threshold the account locks, each lock twice as long as the last (≤ 1 day). */
async function countFailure(ctx: HubContext, userId: string, who: Who): Promise<void> {
  const { accountLockoutThreshold: threshold, accountLockoutBaseSeconds: base } = ctx.settings;
  const { rows } = await ctx.db.query<{ failures: number; lock_count: number }>(
    `insert into login_failures (user_id, failures) values ($1, 1)
     on conflict (user_id) do update set failures = login_failures.failures + 1 returning failures, lock_count`,
    [userId],
  );
  const row = rows[0]!;
  if (row.failures < threshold) return;
  const seconds = Math.min(base * 2 ** row.lock_count, 24 * 60 * 60);
  await ctx.db.query('update login_failures set failures = 0, lock_count = lock_count + 1, locked_until = now() + make_interval(secs => $2) where user_id = $1', [userId, seconds]);
  await appendAudit(ctx.db, who, [{ action: 'lockout', detail: { seconds, lockCount: row.lock_count + 1 } }]);
}

/**
 * The workstation's escrow secret for its local-data key (migration 025), created at its first
 * sign-in. Only a verified password on a live, enrolled workstation gets it (the login above).
 */
async function workstationKeyEscrow(ctx: HubContext, workstationId: string): Promise<string> {
  await ctx.db.query('insert into workstation_key_escrow (workstation_id, secret) values ($1, $2) on conflict (workstation_id) do nothing', [
    workstationId,
    randomBytes(32).toString('base64url'),
  ]);
  const { rows } = await ctx.db.query<{ secret: string }>('select secret from workstation_key_escrow where workstation_id = $1', [workstationId]);
  return rows[0]!.secret;
}
