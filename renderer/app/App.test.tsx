import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { initI18n } from '../i18n/i18n.ts';
import { makeResidentIdNumber } from '../../core/records/builders.ts';
import { App } from './App.tsx';
import { WorkstationContext } from './WorkstationContext.tsx';
import { browserAppInfo, deviceLessWorkstation } from '../../services/platform/workstation.ts';
import { starterItemCatalog } from '../../core/catalog/index.ts';
import { ClinicContext } from '../records/ClinicContext.tsx';
import { clinicRecords } from '../../services/records/clinic-records.ts';
import { createMemoryRepository } from '../../services/records/testing/memory-repository.ts';
import { createMemoryBlobStore } from '../ecg/testing/memory-blob-store.ts';
import type { Role } from '../../services/session/roles.ts';
import { SignedIn, testUser } from '../session/testing.tsx';
import { chooseOption } from '../testing/antd.ts';
import { AntdTestRoot } from '../testing/AntdTestRoot.tsx';

async function renderApp(options: { demo?: boolean; role?: Role; queued?: string } = {}) {
  const i18n = await initI18n('zh-CN');
  const info = browserAppInfo({ hubUrl: '', demo: options.demo ?? false });
  const repo = createMemoryRepository();
  const session = { institutionId: 'th-clinic-01', userId: 'nurse-li' };
  const clinic = { repo, records: clinicRecords(repo, session), session, catalog: starterItemCatalog(), sync: null, blobs: createMemoryBlobStore() };
  if (options.queued) {
    const { patient } = await clinic.records.registerPatient({
      name: options.queued,
      sex: '1',
      nationCode: '01',
      birthDate: '1968-04-12',
      documentType: 'resident',
      idNumber: makeResidentIdNumber('1968-04-12', 123, true),
      address: '',
      phone: '',
      insuranceCardNumber: '',
    });
    await clinic.records.queueVisit(patient.id);
  }
  render(
    <I18nextProvider i18n={i18n}>
      <AntdTestRoot>
        <WorkstationContext.Provider value={{ api: deviceLessWorkstation(info), info }}>
          <SignedIn user={testUser(options.role ?? 'doctor')}>
            <ClinicContext.Provider value={clinic}>
              <App />
            </ClinicContext.Provider>
          </SignedIn>
        </WorkstationContext.Provider>
      </AntdTestRoot>
    </I18nextProvider>,
  );
}

/** The screens the main menu offers, in order. */
const navItems = () => within(screen.getByRole('navigation')).getAllByRole('menuitem').map((item) => item.textContent);

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.unstubAllGlobals();
});

describe('workstation shell', () => {
  it('greets the user in Chinese by default', async () => {
    await renderApp();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('乡镇卫生院工作站');
    expect(screen.getByRole('heading', { name: '欢迎使用乡镇卫生院工作站' })).toBeTruthy();
  });

  it('switches every label to English and remembers the choice', async () => {
    await renderApp();
    await chooseOption('语言', 'English');
    expect(await screen.findByRole('heading', { level: 1 })).toHaveProperty('textContent', 'Clinic Workstation');
    expect(within(screen.getByRole('navigation')).getByRole('menuitem', { name: 'Registration' })).toBeTruthy();
    expect(localStorage.getItem('clinic-workstation.language')).toBe('en');
  });

  it('says the hub is not connected when no hub is configured, instead of waiting', async () => {
    await renderApp();
    expect(screen.getByTestId('hub-status').dataset.status).toBe('offline');
  });

  it('marks demo mode so nobody mistakes simulated devices for real ones', async () => {
    await renderApp({ demo: true });
    expect(screen.getByText('演示模式')).toBeTruthy();
  });

  it('opens a screen from its home tile', async () => {
    await renderApp();
    fireEvent.click(screen.getByRole('button', { name: /刷卡挂号/ }));
    // The desk is loaded lazily (App.tsx): it appears once its code has arrived — in jsdom a fresh
    // transform of antd's form and date picker, which took over 5 s on the loaded 2-core machine.
    expect(await screen.findByRole('button', { name: '登记并排队' }, { timeout: 15_000 })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('挂号登记');
  });

  it('offers a nurse the registration desk and a read-only queue, but not consultation, ECG or administration', async () => {
    await renderApp({ role: 'nurse', queued: '张三' });
    expect(navItems()).toEqual(['首页', '挂号登记', '今日候诊', '数据同步']);
    expect(screen.queryByRole('menuitem', { name: /门诊接诊/ })).toBeNull();
    fireEvent.click(screen.getByRole('menuitem', { name: '今日候诊' }));
    expect(screen.getByRole('menuitem', { name: '今日候诊' }).getAttribute('aria-current')).toBe('page');
    const row = await screen.findByTestId('queue-row');
    expect(row.textContent).toContain('张三');
    expect(row.querySelector('button')).toBeNull(); // nurses see the queue; doctors open visits
  });

  it('offers a doctor consultation and ECG beside registration', async () => {
    await renderApp({ role: 'doctor' });
    expect(navItems()).toEqual(['首页', '挂号登记', '门诊接诊', '心电检查', '数据同步']);
  });

  it('offers an administrator administration and workstation setup, not the clinical screens', async () => {
    await renderApp({ role: 'administrator' });
    expect(navItems()).toEqual(['首页', '数据同步', '系统管理', '工作站设置']);
  });

  it('shows who is signed in, with lock and sign-out', async () => {
    await renderApp({ role: 'nurse' });
    expect(screen.getByTestId('user-menu').textContent).toContain('测试nurse（护士）· 城关镇卫生院');
    expect(screen.getByRole('button', { name: '锁屏' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '退出登录' })).toBeTruthy();
  });
});
