/**
 * 登录: username and password, language switch, and what went wrong in plain words (wrong password,
 * account disabled, workstation revoked, hub unreachable and never signed in here…). With the hub
 * unreachable it signs in offline for users who signed in on this workstation before (the screen
 * says so afterwards in the header badge). The password lives only in this form's state and is
 * cleared as soon as the attempt ends.
 */
import { Alert, Button, Form, Input } from 'antd';
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

interface Credentials {
  username?: string;
  password?: string;
}

export function LoginScreen({ title, demoAccounts }: LoginScreenProps) {
  const { t, i18n } = useTranslation();
  const { state, service, login } = useSession();
  const [form] = Form.useForm<Credentials>();
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const institution = service.enrolment.institution.name;

  // No antd `rules`: an empty field is the session service's fields-missing, worded by the error catalogue.
  const submit = async ({ username = '', password = '' }: Credentials) => {
    setProblem('');
    setBusy(true);
    try {
      await login(username, password);
    } catch (error) {
      setProblem(errorMessage(i18n.language, error));
    } finally {
      form.setFieldValue('password', '');
      setBusy(false);
    }
  };

  return (
    <CredentialForm<Credentials> name="login" form={form} titleId="login-title" title={title ?? t('app.title')} onSubmit={(values) => void submit(values)}>
      <p className="login-institution" data-testid="login-institution">
        {t('session.institution', { institution })}
      </p>
      {state.status === 'signed-out' && state.notice === 'expired' && !problem && <Alert className="login-alert" type="info" showIcon role="status" title={t('session.expired')} />}
      <Form.Item name="username" label={t('session.username')}>
        <Input autoComplete="username" autoFocus disabled={busy} />
      </Form.Item>
      <Form.Item name="password" label={t('session.password')}>
        <Input.Password autoComplete="current-password" disabled={busy} aria-invalid={problem !== ''} />
      </Form.Item>
      {problem && <Alert className="login-alert" type="error" showIcon title={problem} />}
      <Form.Item>
        {/* Disabled with words, not antd's `loading`: its spinner can linger, hidden, after the attempt
            (seen in Chromium under load), naming the button "loading 登录" for a screen reader. */}
        <Button type="primary" htmlType="submit" block disabled={busy}>
          {busy ? t('session.signingIn') : t('session.signIn')}
        </Button>
      </Form.Item>
      {demoAccounts && (
        <p className="login-demo-hint" data-testid="demo-accounts">
          {t('session.demoHint', { usernames: demoAccounts.usernames.join(' / '), password: demoAccounts.password })}
        </p>
      )}
    </CredentialForm>
  );
}
