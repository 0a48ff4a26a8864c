/**
 * The signed-in user for every screen below it. Wraps a SessionService (session-service.ts): restores
 * this window's session at mount, then offers login, logout, lock and unlock. Screens read the user
 * with useSignedInUser(); SessionGate shows the login or lock screen instead of its children.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ActiveSession, SessionService, SignedInUser } from '../../services/session/session-service.ts';

export type SessionState =
  | { status: 'restoring' }
  /** notice: why the user is back at the login screen ('expired': the hub ended the session). */
  | { status: 'signed-out'; notice?: 'expired' | undefined }
  | { status: 'signed-in'; session: ActiveSession; user: SignedInUser; locked: boolean };

export interface SessionContextValue {
  state: SessionState;
  service: SessionService;
  /** Throws LoginError (zh/en) when the user cannot sign in. */
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  lock(): void;
  /** Throws LoginError when the password is not the signed-in user's. */
  unlock(password: string): Promise<void>;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside <SessionProvider>');
  return value;
}

/** The signed-in user; only for screens under a SessionGate. */
export function useSignedInUser(): SignedInUser {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedInUser outside a signed-in <SessionGate>');
  return state.user;
}

export interface SessionProviderProps {
  service: SessionService;
  /**
   * Locks the screen after this long without a key press, click or touch (a clinic PC is shared and
   * left unattended between patients). Off when omitted.
   */
  autoLockMs?: number | undefined;
  children: ReactNode;
}

export function SessionProvider({ service, autoLockMs, children }: SessionProviderProps) {
  const [state, setState] = useState<SessionState>({ status: 'restoring' });

  // Follows a session's events: an offline session that reached the hub, or the hub ending it.
  const adopt = useCallback((session: ActiveSession, locked: boolean) => {
    setState({ status: 'signed-in', session, user: session.user, locked });
    const off = session.subscribe((event) => {
      if (event === 'expired') {
        off();
        setState({ status: 'signed-out', notice: 'expired' });
      } else {
        setState((s) => (s.status === 'signed-in' && s.session === session ? { ...s, user: session.user } : s));
      }
    });
  }, []);

  useEffect(() => {
    let cancelled = false;
    service.restore().then(
      (restored) => {
        if (cancelled) return;
        if (restored) adopt(restored.session, restored.locked);
        else setState({ status: 'signed-out' });
      },
      () => !cancelled && setState({ status: 'signed-out' }),
    );
    return () => {
      cancelled = true;
    };
  }, [service, adopt]);

  const activeSession = state.status === 'signed-in' && !state.locked ? state.session : null;
  useEffect(() => {
    if (!activeSession || !autoLockMs) return;
    let timer = setTimeout(lockNow, autoLockMs);
    function lockNow() {
      service.lock(activeSession!);
      setState((s) => (s.status === 'signed-in' && s.session === activeSession ? { ...s, locked: true } : s));
    }
    const activity = () => {
      clearTimeout(timer);
      timer = setTimeout(lockNow, autoLockMs);
    };
    const events = ['keydown', 'pointerdown', 'touchstart', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, activity, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, activity);
    };
  }, [activeSession, autoLockMs, service]);

  const value = useMemo<SessionContextValue>(
    () => ({
      state,
      service,
      async login(username, password) {
        adopt(await service.login(username, password), false);
      },
      async logout() {
        if (state.status !== 'signed-in') return;
        setState({ status: 'signed-out' });
        await service.logout(state.session);
      },
      lock() {
        if (state.status !== 'signed-in') return;
        service.lock(state.session);
        setState({ ...state, locked: true });
      },
      async unlock(password) {
        if (state.status !== 'signed-in') return;
        await service.unlock(state.session, password);
        setState({ ...state, user: state.session.user, locked: false });
      },
    }),
    [state, service, adopt],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
