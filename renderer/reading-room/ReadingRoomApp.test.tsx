/**
 * What the reading room shows before anyone is signed in: the workstation's login screen for the
 * demo centre, or a plain "not enrolled" message. Signing in, replication and reading run against
 * the real hub in tests/e2e/remote-diagnosis.e2e.test.ts.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nextProvider } from 'react-i18next';
import { initI18n } from '../i18n/i18n.ts';
import { ReadingRoomApp } from './ReadingRoomApp.tsx';

async function renderRoom(demo: boolean) {
  const i18n = await initI18n('zh-CN');
  render(
    <I18nextProvider i18n={i18n}>
      <ReadingRoomApp hubUrl="http://127.0.0.1:9" demo={demo} />
    </I18nextProvider>,
  );
}

describe('ReadingRoomApp', () => {
  afterEach(() => {
    cleanup();
    sessionStorage.clear();
  });

  it('in demo mode asks a cardiologist to sign in on the demo ECG centre workstation', async () => {
    await renderRoom(true);
    expect(await screen.findByRole('heading', { name: '心电医生登录' })).toBeTruthy();
    expect(screen.getByTestId('login-institution').textContent).toBe('本工作站：县远程心电诊断中心');
    expect(screen.getByTestId('demo-accounts').textContent).toBe('演示账号：cardiologist，密码 demo1234');
    expect(screen.getByRole('button', { name: '登录' })).toBeTruthy();
  });

  it('outside demo mode says the reading room is not enrolled and offers no sign-in', async () => {
    await renderRoom(false);
    expect((await screen.findByRole('alert')).textContent).toContain('本阅片室尚未注册到县级平台');
    expect(screen.queryByRole('button', { name: '登录' })).toBeNull();
    expect(screen.queryByLabelText('密码')).toBeNull();
  });
});
