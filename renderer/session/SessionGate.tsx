/**
 * Shows its children only to a signed-in user with an allowed role; otherwise the login screen.
 * When the screen is locked (锁屏) the children stay mounted but hidden — a half-typed visit is not
 * lost — and the lock screen asks the same user's password (or lets another user sign in, which
 * signs the first one out).
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../app/messages.ts';
import { CredentialForm } from './CredentialForm.tsx';
import { LoginScreen, type LoginScreenProps } from './LoginScreen.tsx';
import type { Role } from '../../services/session/roles.ts';
import { useSession } from './SessionProvider.tsx';

export interface SessionGateProps extends LoginScreenProps {
  /** Roles allowed past the gate; all when omitted (the reading room passes ['cardiologist']). */
  roles?: readonly Role[] | undefined;
  children: ReactNode;
}

export function SessionGate({ roles, children, ...loginProps }: SessionGateProps) {
  const { t } = useTranslation();
  const { state, logout } = useSession();
  if (state.status === 'restoring') return <p className="app-loading">{t('app.loading')}</p>;
  if (state.status === 'signed-out') return <LoginScreen {...loginProps} />;
  if (roles && !roles.includes(state.user.role)) {
    return (
      <main className="login-screen">
        <section className="panel login-form" aria-labelledby="role-title">
          <h1 id="role-title">{loginProps.title ?? t('app.title')}</h1>
          <p role="alert">{t('session.roleNotAllowed', { user: state.user.displayName, role: t(`session.roles.${state.user.role}`) })}</p>
          <button type="button" onClick={() => void logout()}>
            {t('session.switchUser')}
          </button>
        </section>
      </main>
    );
  }
  return (
    <>
      <div className="session-content" hidden={state.locked}>
        {children}
      </div>
      {state.locked && <LockScreen />}
    </>
  );
}

function LockScreen() {
  const { t, i18n } = useTranslation();
  const { state, unlock, logout } = useSession();
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  if (state.status !== 'signed-in') return null;

  const submit = async () => {
    setProblem('');
    setBusy(true);
    try {
      await unlock(password);
    } catch (error) {
      setProblem(errorMessage(i18n.language, error));
    } finally {
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <CredentialForm titleId="lock-title" title={t('session.lockedTitle')} onSubmit={() => void submit()}>
      <p>{t('session.lockedBy', { user: state.user.displayName, username: state.user.username })}</p>
      <label>
        {t('session.password')}
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" autoFocus disabled={busy} aria-invalid={problem !== ''} />
      </label>
      {problem && <p role="alert">{problem}</p>}
      <button type="submit" disabled={busy}>
        {t('session.unlock')}
      </button>
      <button type="button" onClick={() => void logout()} disabled={busy}>
        {t('session.switchUser')}
      </button>
    </CredentialForm>
  );
}
