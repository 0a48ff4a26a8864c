import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nextProvider } from 'react-i18next';
import { AntdTestRoot } from '../testing/AntdTestRoot.tsx';
import { initI18n } from '../i18n/i18n.ts';
import { LoginError } from '../../services/session/login-errors.ts';
import type { ActiveSession, SessionService, SignedInUser } from '../../services/session/session-service.ts';
import { SessionGate } from './SessionGate.tsx';
import { SessionProvider, useSignedInUser } from './SessionProvider.tsx';
import { testEnrolment, testUser } from './testing.tsx';
import { UserMenu } from './UserMenu.tsx';
import { chooseOption } from '../testing/antd.ts';

/**
 * A SessionService that answers as the hub would for a few accounts (the real one runs against the
 * real hub in tests/integration/sync-client/session-service.test.ts).
 */
function scriptedService(options: { restored?: { user: SignedInUser; locked: boolean }; hubDown?: boolean } = {}) {
  const accounts: Record<string, { password: string; user: SignedInUser } | 'disabled'> = {
    nurse: { password: 'demo1234', user: testUser('nurse') },
    doctor: { password: 'demo1234', user: testUser('doctor') },
    locum: 'disabled',
  };
  const listeners = new Set<(e: 'user' | 'expired') => void>();
  const sessionOf = (user: SignedInUser): ActiveSession => ({ user, getToken: async () => 'token', subscribe: (l) => (listeners.add(l), () => listeners.delete(l)) });
  const calls = { lock: 0, logout: 0 };
  const service: SessionService = {
    enrolment: testEnrolment,
    async login(username, password) {
      if (!username.trim() || !password) throw new LoginError('fields-missing');
      const account = accounts[username];
      if (options.hubDown) {
        if (account && account !== 'disabled' && username === 'doctor') return sessionOf({ ...account.user, offline: true });
        throw new LoginError('offline-never-here');
      }
      if (account === 'disabled') throw new LoginError('rejected', { zh: '此账号已被停用，请联系管理员', en: 'This user account has been disabled' });
      if (!account || account.password !== password) throw new LoginError('rejected', { zh: '用户名或密码错误', en: 'Wrong username or password' });
      return sessionOf(account.user);
    },
    restore: async () => (options.restored ? { session: sessionOf(options.restored.user), locked: options.restored.locked } : null),
    lock: () => void calls.lock++,
    async unlock(session, password) {
      if (password !== 'demo1234') throw new LoginError('rejected');
    },
    logout: async () => void calls.logout++,
  };
  return { service, calls, expire: () => listeners.forEach((l) => l('expired')) };
}

function Home() {
  const user = useSignedInUser();
  return (
    <div>
      <UserMenu />
      <p>你好，{user.displayName}</p>
      <input aria-label="主诉" />
    </div>
  );
}

async function renderGate(service: SessionService, props: Partial<Parameters<typeof SessionGate>[0]> = {}) {
  const i18n = await initI18n('zh-CN');
  render(
    <I18nextProvider i18n={i18n}>
      <AntdTestRoot>
        <SessionProvider service={service}>
          <SessionGate {...props}>
            <Home />
          </SessionGate>
        </SessionProvider>
      </AntdTestRoot>
    </I18nextProvider>,
  );
  // Past the session restore (正在加载…): the login screen, the lock screen or the app.
  await waitFor(() => expect(screen.queryByText('正在加载…')).toBeNull());
  return i18n;
}

const type = (label: string, text: string) => fireEvent.change(screen.getByLabelText(label), { target: { value: text } });
const click = (name: string) => fireEvent.click(screen.getByRole('button', { name }));
const signIn = (username: string, password: string) => {
  type('用户名', username);
  type('密码', password);
  click('登录');
};

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('login screen', () => {
  it('names the institution this workstation is enrolled with', async () => {
    await renderGate(scriptedService().service);
    expect(screen.getByTestId('login-institution').textContent).toBe('本工作站：城关镇卫生院');
  });

  it('says "wrong username or password", clears the password field and stays on the screen', async () => {
    await renderGate(scriptedService().service);
    signIn('doctor', 'demo9999');
    expect((await screen.findByRole('alert')).textContent).toBe('用户名或密码错误');
    expect((screen.getByLabelText('密码') as HTMLInputElement).value).toBe('');
    expect((screen.getByLabelText('用户名') as HTMLInputElement).value).toBe('doctor');
  });

  it('asks for both fields before asking the hub', async () => {
    await renderGate(scriptedService().service);
    click('登录');
    expect((await screen.findByRole('alert')).textContent).toBe('请输入用户名和密码');
  });

  it('says an account is disabled in the hub’s words', async () => {
    await renderGate(scriptedService().service);
    signIn('locum', 'whatever1');
    expect((await screen.findByRole('alert')).textContent).toBe('此账号已被停用，请联系管理员');
  });

  it('shows the error in English after switching language', async () => {
    await renderGate(scriptedService().service);
    await chooseOption('语言', 'English');
    await screen.findByRole('button', { name: 'Sign in' });
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'doctor' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'nope-nope' } });
    click('Sign in');
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong username or password');
  });

  it('opens the app for the right password, showing who is signed in', async () => {
    await renderGate(scriptedService().service);
    signIn('nurse', 'demo1234');
    expect(await screen.findByText('你好，测试nurse')).toBeTruthy();
    expect(screen.getByTestId('user-menu').dataset.role).toBe('nurse');
  });

  it('with the hub unreachable, signs in offline a user who signed in here before and says so', async () => {
    await renderGate(scriptedService({ hubDown: true }).service);
    signIn('nurse', 'demo1234');
    expect((await screen.findByRole('alert')).textContent).toBe('无法连接县级平台，且此用户从未在本工作站联网登录过，无法离线登录。请在网络恢复后登录');
    signIn('doctor', 'demo1234');
    await screen.findByText('你好，测试doctor');
    expect(screen.getByText('离线登录')).toBeTruthy();
  });

  it('shows the demo accounts in demo mode only', async () => {
    await renderGate(scriptedService().service, { demoAccounts: { usernames: ['nurse', 'doctor'], password: 'demo1234' } });
    expect(screen.getByTestId('demo-accounts').textContent).toBe('演示账号：nurse / doctor，密码 demo1234');
    cleanup();
    await renderGate(scriptedService().service);
    expect(screen.queryByTestId('demo-accounts')).toBeNull();
  });

  it('comes back after a reload without asking again', async () => {
    await renderGate(scriptedService({ restored: { user: testUser('doctor'), locked: false } }).service);
    expect(screen.getByText('你好，测试doctor')).toBeTruthy();
    expect(screen.queryByLabelText('密码')).toBeNull();
  });

  it('returns to the login screen saying why when the hub ends the session', async () => {
    const scripted = scriptedService({ restored: { user: testUser('doctor'), locked: false } });
    await renderGate(scripted.service);
    scripted.expire();
    expect((await screen.findByRole('status')).textContent).toBe('登录已过期或已被停用，请重新登录');
    expect(screen.getByRole('button', { name: '登录' })).toBeTruthy();
  });
});

describe('lock and sign-out', () => {
  it('locks the screen keeping what was typed, and unlocks with the same user’s password only', async () => {
    const scripted = scriptedService();
    await renderGate(scripted.service);
    signIn('doctor', 'demo1234');
    await screen.findByText('你好，测试doctor');
    type('主诉', '头晕三天');
    click('锁屏');
    expect(scripted.calls.lock).toBe(1);
    expect(screen.getByRole('heading', { name: '屏幕已锁定' })).toBeTruthy();
    expect(screen.getByText('你好，测试doctor').closest('[hidden]')).not.toBeNull(); // hidden, not gone

    type('密码', 'wrong-one');
    click('解锁');
    expect((await screen.findByRole('alert')).textContent).toBe('用户名或密码错误');
    type('密码', 'demo1234');
    click('解锁');
    await screen.findByText('你好，测试doctor');
    expect((screen.getByLabelText('主诉') as HTMLInputElement).value).toBe('头晕三天');
  });

  it('locks by itself after the idle time, and not while someone is typing', async () => {
    const scripted = scriptedService({ restored: { user: testUser('doctor'), locked: false } });
    const i18n = await initI18n('zh-CN');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      render(
        <I18nextProvider i18n={i18n}>
          <AntdTestRoot>
            <SessionProvider service={scripted.service} autoLockMs={60_000}>
              <SessionGate>
                <Home />
              </SessionGate>
            </SessionProvider>
          </AntdTestRoot>
        </I18nextProvider>,
      );
      await act(async () => vi.advanceTimersByTimeAsync(0)); // the session restore resolves
      expect(screen.getByText('你好，测试doctor')).toBeTruthy();
      await act(async () => vi.advanceTimersByTimeAsync(50_000));
      fireEvent.keyDown(window, { key: 'a' });
      await act(async () => vi.advanceTimersByTimeAsync(50_000));
      expect(screen.queryByRole('heading', { name: '屏幕已锁定' })).toBeNull();
      await act(async () => vi.advanceTimersByTimeAsync(10_001));
      expect(screen.getByRole('heading', { name: '屏幕已锁定' })).toBeTruthy();
      expect(scripted.calls.lock).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reopens locked after a reload of a locked screen', async () => {
    await renderGate(scriptedService({ restored: { user: testUser('nurse'), locked: true } }).service);
    expect(screen.getByRole('heading', { name: '屏幕已锁定' })).toBeTruthy();
    expect(screen.getByText('你好，测试nurse').closest('[hidden]')).not.toBeNull();
  });

  it('signs out from the header and from the lock screen ("switch user")', async () => {
    const scripted = scriptedService();
    await renderGate(scripted.service);
    signIn('nurse', 'demo1234');
    await screen.findByText('你好，测试nurse');
    click('退出登录');
    await screen.findByRole('button', { name: '登录' });
    expect(scripted.calls.logout).toBe(1);

    signIn('nurse', 'demo1234');
    await screen.findByText('你好，测试nurse');
    click('锁屏');
    click('切换用户');
    await screen.findByRole('button', { name: '登录' });
    expect(scripted.calls.logout).toBe(2);
  });
});

describe('role gate', () => {
  it('keeps a nurse out of a cardiologist-only screen (the reading room) and offers to switch user', async () => {
    const onLogout = vi.fn();
    const scripted = scriptedService();
    scripted.service.logout = async () => onLogout();
    await renderGate(scripted.service, { roles: ['cardiologist'], title: '阅片室' });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('阅片室');
    signIn('nurse', 'demo1234');
    expect((await screen.findByRole('alert')).textContent).toBe('测试nurse（护士）无权使用此功能，请切换用户');
    click('切换用户');
    await waitFor(() => expect(onLogout).toHaveBeenCalled());
  });
});
