/**
 * Signing users in on an enrolled workstation (登录), apart from React.
 *
 * - Online first: POST /auth/login with the workstation's credential and the user's password
 *   (sync/client/hub-auth.ts), which also keeps the user's offline grant in the local database.
 * - Hub unreachable: offline login against that grant (sync/client/offline-login.ts), for users who
 *   signed in online on this workstation before; anyone else gets a message saying exactly that.
 * - Afterwards only tokens are kept: a 15-minute access token in memory and the rotating refresh
 *   token, never the password. One exception, on purpose: after an *offline* sign-in there is no
 *   token yet, so the password stays in this session's memory until the hub answers once (then it
 *   is dropped and tokens take over) or the screen is locked or the user signs out — otherwise a
 *   clinic whose network comes back at ten would sync nothing until everyone signs in again.
 * - A reload keeps the session: sessionStorage (gone when the window closes) holds the username,
 *   the refresh token and whether the screen was locked. Who the user is comes back from the
 *   hub-signed grant in the local database (signature checked again), or from the hub's refresh
 *   answer, so editing sessionStorage cannot make anyone an administrator.
 */
import { z } from 'zod';
import type { LocalDatabase } from '../../sync/client/database.ts';
import { loginOnline, type OnlineSession } from '../../sync/client/hub-auth.ts';
import { errorFromResponse, SyncError } from '../../sync/client/hub-http.ts';
import { loginOffline, OfflineLoginError, storedGrantClaims, type OfflineGrantClaims } from '../../sync/client/offline-login.ts';
import { forgetDisabledUser } from '../../sync/client/protected-database.ts';
import { isUserDisabledRefusal } from '../../sync/protocol/index.ts';
import { LoginError } from './login-errors.ts';
import { isRole, type Role } from './roles.ts';

/** What enrolment gave this workstation (POST /auth/enrol), as the setup wizard stores it. */
export interface WorkstationEnrolment {
  workstationId: string;
  workstationName?: string | undefined;
  institution: { id: string; name: string; kind: string };
  workstationCredential: string;
}

export interface SignedInUser {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  institution: { id: string; name: string; kind: string };
  workstationId: string;
  /** Signed in against the offline grant: records are kept locally and sync once the hub answers. */
  offline: boolean;
}

export type SessionStorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface SessionServiceOptions {
  /** The county hub; '' when none is configured (offline sign-in only). */
  hubUrl: string;
  enrolment: WorkstationEnrolment;
  /** Keeps offline grants; without it (a reading room in a plain browser) sign-in is online only. */
  offlineStore?: LocalDatabase | undefined;
  /** Where a reload finds the session again; sessionStorage in the app. */
  storage?: SessionStorageLike | undefined;
  fetch?: typeof fetch | undefined;
  /** Milliseconds since the epoch; tests move it. */
  now?: (() => number) | undefined;
  /**
   * How long sign-in waits for the hub before trying offline (default 8 s). A township link that
   * drops often hangs rather than refuses; the nurse should not wait the sync client's 15 s.
   */
  loginTimeoutMs?: number | undefined;
}

/** A signed-in user's session: the sync client asks it for tokens. */
export interface ActiveSession {
  readonly user: SignedInUser;
  /** An access token for the hub, renewed a minute before it expires. Throws SyncError. */
  getToken(): Promise<string>;
  /** Told when the user changes (an offline session reached the hub) or the session expires. */
  subscribe(listener: (event: 'user' | 'expired') => void): () => void;
  /**
   * Once, right after an online sign-in: the hub's escrow secret for this workstation's local-data
   * key (services/records/protected-records.ts); forgotten when taken.
   */
  takeLocalDataEscrow?(): string | undefined;
}

export interface SessionService {
  readonly enrolment: WorkstationEnrolment;
  login(username: string, password: string): Promise<ActiveSession>;
  /** The session of this window before a reload, if any, and whether its screen was locked. */
  restore(): Promise<{ session: ActiveSession; locked: boolean } | null>;
  lock(session: ActiveSession): void;
  /** Checks the signed-in user's password again (offline against the grant, else with the hub). */
  unlock(session: ActiveSession, password: string): Promise<void>;
  logout(session: ActiveSession): Promise<void>;
}

const storageKey = 'clinic-workstation.session';
const savedSessionSchema = z.object({
  workstationId: z.string().min(1),
  username: z.string().min(1),
  userId: z.string().min(1),
  refreshToken: z.string().min(16).nullable(),
  locked: z.boolean(),
});
type SavedSession = z.infer<typeof savedSessionSchema>;

const tokensSchema = z.object({ accessToken: z.string().min(1), expiresIn: z.number().positive(), refreshToken: z.string().min(16) });
const refreshResponseSchema = tokensSchema.extend({
  user: z.object({ id: z.string(), username: z.string(), displayName: z.string(), role: z.string(), institutionId: z.string() }),
});
type Tokens = z.infer<typeof tokensSchema>;

/** The hub could not be asked (down, unreachable, broken): offline sign-in may stand in. */
const hubUnreachable = (error: SyncError) => error.code === 'network' || error.code === 'unavailable' || error.code === 'internal';
/** The hub said no to this user or workstation: the session is over. */
const hubRefused = (error: unknown) => error instanceof SyncError && (error.code === 'auth-invalid' || error.code === 'auth-expired' || error.code === 'auth-missing');

function loginErrorFromHub(error: SyncError): LoginError {
  const hubMessage = { zh: error.messageZh, en: error.message };
  return new LoginError(hubRefused(error) ? 'rejected' : 'hub-error', hubMessage, { cause: error });
}

function loginErrorFromOffline(error: unknown): LoginError {
  if (!(error instanceof OfflineLoginError)) return new LoginError('hub-unreachable', undefined, { cause: error });
  const code = {
    'never-logged-in-here': 'offline-never-here',
    'wrong-password': 'offline-wrong-password',
    'grant-expired': 'offline-grant-expired',
    'grant-invalid': 'offline-grant-invalid',
  } as const;
  return new LoginError(code[error.code], undefined, { cause: error });
}

class HubSession implements ActiveSession {
  private access: { value: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private listeners = new Set<(event: 'user' | 'expired') => void>();
  ended = false;
  localDataEscrow: string | undefined;

  constructor(
    public user: SignedInUser,
    public refreshToken: string | null,
    /** Offline sign-in only: kept until the hub answers once (see the file comment). */
    public retainedPassword: string | undefined,
    private readonly renewer: (session: HubSession) => Promise<string>,
    private readonly now: () => number,
  ) {}

  /** Keeps new tokens and answers the access token. */
  setAccess(tokens: Tokens): string {
    this.access = { value: tokens.accessToken, renewAt: this.now() + Math.max(0, tokens.expiresIn - 60) * 1000 };
    this.refreshToken = tokens.refreshToken;
    return tokens.accessToken;
  }

  getToken(): Promise<string> {
    if (this.ended) return Promise.reject(new SyncError('auth-missing', 401));
    if (this.access && this.now() < this.access.renewAt) return Promise.resolve(this.access.value);
    return (this.pending ??= this.renewer(this).finally(() => (this.pending = undefined)));
  }

  takeLocalDataEscrow(): string | undefined {
    const secret = this.localDataEscrow;
    this.localDataEscrow = undefined;
    return secret;
  }

  subscribe(listener: (event: 'user' | 'expired') => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  emit(event: 'user' | 'expired') {
    for (const listener of [...this.listeners]) listener(event);
  }

  end() {
    this.ended = true;
    this.access = undefined;
    this.refreshToken = null;
    this.retainedPassword = undefined;
    this.localDataEscrow = undefined;
  }
}

export function createSessionService(options: SessionServiceOptions): SessionService {
  const { enrolment, offlineStore: db } = options;
  const hubUrl = options.hubUrl.replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const storage = options.storage;

  const save = (session: HubSession, locked: boolean) => {
    const saved: SavedSession = { workstationId: enrolment.workstationId, username: session.user.username, userId: session.user.userId, refreshToken: session.refreshToken, locked };
    storage?.setItem(storageKey, JSON.stringify(saved));
  };
  const readSaved = (): SavedSession | undefined => {
    try {
      const parsed = savedSessionSchema.safeParse(JSON.parse(storage?.getItem(storageKey) ?? 'null'));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };
  const isLocked = () => readSaved()?.locked === true;

  const userFrom = (u: { userId: string; username: string; displayName: string; role: string; institutionId: string }, offline: boolean): SignedInUser => {
    if (!isRole(u.role)) throw new LoginError('hub-error');
    if (u.institutionId !== enrolment.institution.id) throw new LoginError('wrong-institution');
    return { userId: u.userId, username: u.username, displayName: u.displayName, role: u.role, institution: enrolment.institution, workstationId: enrolment.workstationId, offline };
  };
  const userFromOnline = (s: OnlineSession) => userFrom({ ...s.user, userId: s.user.id }, false);
  const userFromGrant = (c: Pick<OfflineGrantClaims, 'sub' | 'username' | 'name' | 'role' | 'ins'>, offline: boolean) =>
    userFrom({ userId: c.sub, username: c.username, displayName: c.name, role: c.role, institutionId: c.ins }, offline);

  const loginTimeoutMs = options.loginTimeoutMs ?? 8000;
  const fetchWithLoginTimeout: typeof fetch = (input, init) =>
    fetchImpl(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(loginTimeoutMs)]) : AbortSignal.timeout(loginTimeoutMs) });
  const online = (username: string, password: string) =>
    loginOnline(db, {
      hubUrl,
      workstationId: enrolment.workstationId,
      workstationCredential: enrolment.workstationCredential,
      username,
      password,
      fetch: fetchWithLoginTimeout,
    });

  /** Rotates the refresh token of `username`'s session; a user the hub disabled is forgotten here first (forgetDisabledUser). */
  const refresh = async (refreshToken: string, username: string) => {
    let response: Response;
    try {
      response = await fetchImpl(`${hubUrl}/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workstationCredential: enrolment.workstationCredential, refreshToken }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (cause) {
      throw new SyncError('network', 0, undefined, undefined, { cause });
    }
    if (!response.ok) {
      const error = await errorFromResponse(response);
      if (db && isUserDisabledRefusal(error.code, error.details)) await forgetDisabledUser(db, username);
      throw error;
    }
    const body = refreshResponseSchema.safeParse(await response.json().catch(() => undefined));
    if (!body.success) throw new SyncError('bad-response', response.status);
    return body.data;
  };

  const expire = (session: HubSession) => {
    session.end();
    storage?.removeItem(storageKey);
    session.emit('expired');
  };

  /** getToken's slow path: rotate the refresh token, or reach the hub for the first time after an offline sign-in. */
  const renew = async (session: HubSession): Promise<string> => {
    if (!hubUrl) throw new SyncError('network', 0);
    let token: string;
    try {
      if (session.refreshToken) {
        token = session.setAccess(await refresh(session.refreshToken, session.user.username));
      } else if (session.retainedPassword) {
        const answer = await online(session.user.username, session.retainedPassword);
        session.retainedPassword = undefined;
        token = session.setAccess(answer);
        session.user = userFromOnline(answer); // the hub's word now: role or name may have changed
        session.emit('user');
      } else {
        // Restored after a reload from an offline sign-in: nothing to ask the hub with until the user
        // types the password again. Say that only when the hub is there to ask; otherwise it is
        // simply unreachable, which is what the sync panel should show.
        await fetchImpl(`${hubUrl}/healthz`, { signal: AbortSignal.timeout(5000) }).catch((cause: unknown) => {
          throw new SyncError('network', 0, undefined, undefined, { cause });
        });
        throw new SyncError('auth-missing', 401, undefined, undefined, { reason: 'password-needed-to-sync' });
      }
    } catch (error) {
      if (hubRefused(error) && !session.ended && (session.refreshToken || session.retainedPassword)) expire(session);
      throw error;
    }
    if (session.ended) throw new SyncError('auth-missing', 401);
    save(session, isLocked());
    return token;
  };

  const start = (user: SignedInUser, tokens: Tokens | null, retainedPassword?: string) => {
    const session = new HubSession(user, null, retainedPassword, renew, now);
    if (tokens) session.setAccess(tokens);
    save(session, false);
    return session;
  };

  const asHubSession = (session: ActiveSession): HubSession => {
    if (!(session instanceof HubSession)) throw new TypeError('Not a session of this service');
    return session;
  };

  return {
    enrolment,

    async login(username, password) {
      const name = username.trim();
      if (!name || !password) throw new LoginError('fields-missing');
      if (hubUrl) {
        try {
          const answer = await online(name, password);
          const session = start(userFromOnline(answer), answer);
          session.localDataEscrow = answer.localDataEscrow;
          return session;
        } catch (error) {
          if (error instanceof LoginError) throw error;
          if (!(error instanceof SyncError)) throw new LoginError('hub-error', undefined, { cause: error });
          if (!hubUnreachable(error)) throw loginErrorFromHub(error);
        }
      }
      if (!db) throw new LoginError('hub-unreachable');
      const offline = await loginOffline(db, { workstationId: enrolment.workstationId, username: name, password }).catch((error: unknown) => {
        throw loginErrorFromOffline(error);
      });
      return start(userFromGrant({ sub: offline.userId, username: offline.username, name: offline.displayName, role: offline.role, ins: offline.institutionId }, true), null, password);
    },

    async restore() {
      const saved = readSaved();
      if (!saved || saved.workstationId !== enrolment.workstationId) {
        storage?.removeItem(storageKey);
        return null;
      }
      let user: SignedInUser | undefined;
      let tokens: Tokens | null = null;
      const claims = db ? await storedGrantClaims(db, enrolment.workstationId, saved.username) : undefined;
      if (claims && claims.sub === saved.userId) user = userFromGrant(claims, saved.refreshToken === null);
      if (!user && saved.refreshToken && hubUrl) {
        const answer = await refresh(saved.refreshToken, saved.username).catch(() => undefined);
        if (answer && answer.user.id === saved.userId) {
          user = userFrom({ ...answer.user, userId: answer.user.id }, false);
          tokens = answer;
        }
      }
      if (!user) {
        storage?.removeItem(storageKey);
        return null;
      }
      const session = new HubSession(user, saved.refreshToken, undefined, renew, now);
      if (tokens) session.setAccess(tokens);
      save(session, saved.locked);
      return { session, locked: saved.locked };
    },

    lock(session) {
      const s = asHubSession(session);
      s.retainedPassword = undefined;
      save(s, true);
    },

    async unlock(session, password) {
      const s = asHubSession(session);
      if (!password) throw new LoginError('fields-missing');
      let offlineProblem: unknown;
      if (db) {
        try {
          await loginOffline(db, { workstationId: enrolment.workstationId, username: s.user.username, password });
          if (!s.refreshToken) s.retainedPassword = password; // still no token: reach the hub when it answers
          save(s, false);
          return;
        } catch (error) {
          offlineProblem = error;
        }
      }
      // No (valid) grant here, or the password changed on the hub since: ask the hub.
      try {
        const answer = await online(s.user.username, password);
        s.setAccess(answer);
        if (s.user.offline) {
          s.user = { ...s.user, offline: false };
          s.emit('user');
        }
        save(s, false);
      } catch (error) {
        if (error instanceof SyncError && hubUnreachable(error)) throw offlineProblem ? loginErrorFromOffline(offlineProblem) : new LoginError('hub-unreachable');
        if (error instanceof SyncError) throw loginErrorFromHub(error);
        throw error;
      }
    },

    async logout(session) {
      const s = asHubSession(session);
      const refreshToken = s.refreshToken;
      s.end();
      storage?.removeItem(storageKey);
      if (refreshToken && hubUrl) {
        // Best effort: an unreachable hub lets the refresh token expire by itself (12 h).
        await fetchImpl(`${hubUrl}/auth/logout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken }),
          signal: AbortSignal.timeout(3000),
        }).catch(() => undefined);
      }
    },
  };
}
