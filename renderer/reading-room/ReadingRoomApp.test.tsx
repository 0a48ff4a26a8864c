/**
 * What the reading room shows before anyone is signed in: the workstation's login screen for the
 * demo centre; outside demo mode, the enrolment form until this browser holds an ECG centre
 * workstation's enrolment for this hub. The hub's enrolment call is stubbed here with its real reply
 * shapes (sync/hub/routes/auth.ts); enrolment against a real hub runs in
 * tests/e2e/reading-room-enrolment.e2e.test.ts, signing in and reading in remote-diagnosis.e2e.test.ts.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nextProvider } from 'react-i18next';
import { AntdTestRoot } from '../testing/AntdTestRoot.tsx';
import { initI18n } from '../i18n/i18n.ts';
import { readingRoomSettingsKey } from '../../services/session/workstation-settings.ts';
import type { FetchLike } from '../../services/setup/setup-model.ts';
import { ReadingRoomApp } from './ReadingRoomApp.tsx';

const hubUrl = 'http://127.0.0.1:9';

async function renderRoom(demo: boolean, fetchImpl?: FetchLike) {
  const i18n = await initI18n('zh-CN');
  render(
    <I18nextProvider i18n={i18n}>
      <AntdTestRoot>
        <ReadingRoomApp hubUrl={hubUrl} demo={demo} {...(fetchImpl ? { fetchImpl } : {})} />
      </AntdTestRoot>
    </I18nextProvider>,
  );
}

/** The hub's reply to POST /auth/enrol; records each call. */
function hubReplying(status: number, body: unknown): FetchLike & { calls: { url: string; body: string }[] } {
  const calls: { url: string; body: string }[] = [];
  const fetchImpl = async (url: string, init: { body: string }) => {
    calls.push({ url, body: init.body });
    return { ok: status < 400, status, json: async () => body };
  };
  return Object.assign(fetchImpl, { calls });
}

const centerWorkstation = {
  workstationId: 'ws-center-1',
  workstationName: '心电中心 阅片室 2',
  institution: { id: 'ecg-center', name: '县远程心电诊断中心', kind: 'ecg_center' },
  workstationCredential: 'a-long-enough-workstation-credential',
};

async function submitCode(code: string) {
  fireEvent.change(await screen.findByLabelText('一次性注册码'), { target: { value: code } });
  fireEvent.click(screen.getByRole('button', { name: '注册本机' }));
}

describe('ReadingRoomApp', () => {
  afterEach(() => {
    cleanup();
    sessionStorage.clear();
    localStorage.clear();
  });

  it('in demo mode asks a cardiologist to sign in on the demo ECG centre workstation', async () => {
    await renderRoom(true);
    expect(await screen.findByRole('heading', { name: '心电医生登录' })).toBeTruthy();
    expect(screen.getByTestId('login-institution').textContent).toBe('本工作站：县远程心电诊断中心');
    expect(screen.getByTestId('demo-accounts').textContent).toBe('演示账号：cardiologist，密码 demo1234');
    expect(screen.getByRole('button', { name: '登录' })).toBeTruthy();
  });

  it('outside demo mode, not enrolled: shows the enrolment form and offers no sign-in', async () => {
    await renderRoom(false);
    expect(await screen.findByText('本阅片室尚未注册到县级平台。请输入管理员为心电中心阅片工作站签发的一次性注册码。')).toBeTruthy();
    expect(screen.getByLabelText('一次性注册码')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '登录' })).toBeNull();
    expect(screen.queryByLabelText('密码')).toBeNull();
  });

  it('a code the hub rejects: its message, nothing stored, still the form', async () => {
    const hub = hubReplying(400, { error: { code: 'auth-invalid', message: 'The enrolment code is unknown, expired or already used', messageZh: '注册码无效、已过期或已使用' } });
    await renderRoom(false, hub);
    await submitCode('abcd efgh jklm');
    expect((await screen.findByRole('alert')).textContent).toBe('注册码无效、已过期或已使用');
    expect(hub.calls).toEqual([{ url: `${hubUrl}/auth/enrol`, body: JSON.stringify({ code: 'ABCD-EFGH-JKLM' }) }]);
    expect(localStorage.getItem(readingRoomSettingsKey)).toBeNull();
    expect(screen.queryByLabelText('密码')).toBeNull();
  });

  it('a malformed code: says what a code looks like without asking the hub', async () => {
    const hub = hubReplying(200, centerWorkstation);
    await renderRoom(false, hub);
    await submitCode('12');
    expect((await screen.findByRole('alert')).textContent).toContain('注册码应为 12 位字母或数字');
    expect(hub.calls).toHaveLength(0);
    expect(localStorage.getItem(readingRoomSettingsKey)).toBeNull();
  });

  it("a clinic workstation's code: says this PC cannot be a reading room and stores nothing", async () => {
    const hub = hubReplying(200, { ...centerWorkstation, institution: { id: 'chengguan', name: '城关镇卫生院', kind: 'township_clinic' } });
    await renderRoom(false, hub);
    await submitCode('ABCD-EFGH-JKLM');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('此注册码属于「城关镇卫生院」的工作站，该机构不是心电中心，本机不能用作阅片室，注册信息未保存');
    expect(localStorage.getItem(readingRoomSettingsKey)).toBeNull();
    expect(localStorage.length).toBe(0);
    expect(screen.queryByLabelText('密码')).toBeNull();
  });

  it('a good code: the cardiologist login for the enrolled centre, and it is remembered on reload', async () => {
    await renderRoom(false, hubReplying(200, centerWorkstation));
    await submitCode('ABCD-EFGH-JKLM');
    expect(await screen.findByRole('heading', { name: '心电医生登录' })).toBeTruthy();
    expect(screen.getByTestId('login-institution').textContent).toBe('本工作站：县远程心电诊断中心');
    expect(screen.queryByTestId('demo-accounts')).toBeNull();
    // Kept under the reading room's own key, never the clinic's browser-mode settings.
    expect(localStorage.getItem('clinic-workstation.settings')).toBeNull();
    expect(JSON.parse(localStorage.getItem(readingRoomSettingsKey) ?? 'null')).toMatchObject({ hubUrl, enrolment: { workstationId: 'ws-center-1' } });

    cleanup();
    await renderRoom(false);
    expect(await screen.findByRole('heading', { name: '心电医生登录' })).toBeTruthy();
  });

  it('an enrolment kept for another hub does not count here', async () => {
    localStorage.setItem(readingRoomSettingsKey, JSON.stringify({ hubUrl: 'http://other-hub.example', enrolment: centerWorkstation, printerName: null }));
    await renderRoom(false);
    expect(await screen.findByLabelText('一次性注册码')).toBeTruthy();
  });
});
