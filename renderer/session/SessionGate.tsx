/**
 * Shows its children only to a signed-in user with an allowed role; otherwise the login screen.
 * When the screen is locked (锁屏) the children stay mounted but hidden — a half-typed visit is not
 * lost — and the lock screen asks the same user's password (or lets another user sign in, which
 * signs the first one out).
 */
import { Alert, Button, Form, Input, Space } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../app/messages.ts';
import { CredentialCard, CredentialForm } from './CredentialForm.tsx';
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
      <CredentialCard titleId="role-title" title={loginProps.title ?? t('app.title')}>
        <Alert className="login-alert" type="warning" showIcon title={t('session.roleNotAllowed', { user: state.user.displayName, role: t(`session.roles.${state.user.role}`) })} />
        <Button type="primary" block onClick={() => void logout()}>
          {t('session.switchUser')}
        </Button>
      </CredentialCard>
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
  const [form] = Form.useForm<{ password?: string }>();
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  if (state.status !== 'signed-in') return null;

  const submit = async (password: string) => {
    setProblem('');
    setBusy(true);
    try {
      await unlock(password);
    } catch (error) {
      setProblem(errorMessage(i18n.language, error));
    } finally {
      form.setFieldValue('password', '');
      setBusy(false);
    }
  };

  return (
    <CredentialForm<{ password?: string }> name="unlock" form={form} titleId="lock-title" title={t('session.lockedTitle')} onSubmit={({ password = '' }) => void submit(password)}>
      <p className="login-text">{t('session.lockedBy', { user: state.user.displayName, username: state.user.username })}</p>
      <Form.Item name="password" label={t('session.password')}>
        <Input.Password autoComplete="current-password" autoFocus disabled={busy} aria-invalid={problem !== ''} />
      </Form.Item>
      {problem && <Alert className="login-alert" type="error" showIcon title={problem} />}
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" disabled={busy}>
            {t('session.unlock')}
          </Button>
          <Button onClick={() => void logout()} disabled={busy}>
            {t('session.switchUser')}
          </Button>
        </Space>
      </Form.Item>
    </CredentialForm>
  );
}
