/**
 * 登录: username and password, language switch, and what went wrong in plain words (wrong password,
 * account disabled, workstation revoked, hub unreachable and never signed in here…). With the hub
 * unreachable it signs in offline for users who signed in on this workstation before (the screen
 * says so afterwards in the header badge). The password lives only in this form's state and is
 * cleared as soon as the attempt ends.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../app/messages.ts';
import { CredentialForm } from './CredentialForm.tsx';
import { useSession } from './SessionProvider.tsx';

export interface LoginScreenProps {
  /** The heading; the workstation's title by default (the reading room passes its own). */
  title?: string | undefined;
  /** Demo mode: the demo accounts to show as a hint. */
  demoAccounts?: { usernames: readonly string[]; password: string } | undefined;
}

export function LoginScreen({ title, demoAccounts }: LoginScreenProps) {
  const { t, i18n } = useTranslation();
  const { state, service, login } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const institution = service.enrolment.institution.name;

  const submit = async () => {
    setProblem('');
    setBusy(true);
    try {
      await login(username, password);
    } catch (error) {
      setProblem(errorMessage(i18n.language, error));
    } finally {
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <CredentialForm titleId="login-title" title={title ?? t('app.title')} onSubmit={() => void submit()}>
      <p className="login-institution" data-testid="login-institution">
        {t('session.institution', { institution })}
      </p>
      {state.status === 'signed-out' && state.notice === 'expired' && !problem && <p role="status">{t('session.expired')}</p>}
      <label>
        {t('session.username')}
        <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoFocus disabled={busy} />
      </label>
      <label>
        {t('session.password')}
        <input
          name="password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          disabled={busy}
          aria-invalid={problem !== ''}
        />
      </label>
      {problem && (
        <p role="alert" className="login-problem">
          {problem}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? t('session.signingIn') : t('session.signIn')}
      </button>
      {demoAccounts && (
        <p className="muted login-demo-hint" data-testid="demo-accounts">
          {t('session.demoHint', { usernames: demoAccounts.usernames.join(' / '), password: demoAccounts.password })}
        </p>
      )}
    </CredentialForm>
  );
}
