/**
 * Enrolling a real (non-demo) reading room in Chromium: the hub serves /reading-room/ outside demo
 * mode, the page asks for the administrator's one-time code, refuses a clinic workstation's code
 * (nothing stored) and, with the ECG centre's code, shows the cardiologist login and signs in.
 *
 * The hub's data is seeded once by a demo start (institutions and accounts), then the hub is
 * restarted on the same data without demo mode, as a county would run it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererDist } from '../../build/demo/renderer-build.ts';
import { startHub } from '../../sync/hub/start.ts';
import { copyPgliteTemplate } from '../support/pglite-template.ts';
import { READING_ROOM_PATH } from '../../sync/hub/reading-room.ts';
import { requireSystemDependency } from '../support/system-deps.ts';
import { call, demoWorkstation, login } from '../integration/hub/support/client.ts';
import { useFreshDemo } from './support/fresh-demo.ts';
import { DEMO_PASSWORD } from './support/sign-in.ts';
import { LoginPage } from './page-models/login-page.ts';

describe.runIf(requireSystemDependency('chromium'))('enrolling a reading room in Chromium', () => {
  const demo = useFreshDemo();

  it('refuses a clinic workstation’s code, enrols with the ECG centre’s, then a cardiologist signs in', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cw-reading-room-'));
    await copyPgliteTemplate(dataDir);
    demo.onClose(() => rm(dataDir, { recursive: true, force: true }));
    const seeded = await startHub({ dataDir, port: 0, host: '127.0.0.1', demo: true, logLevel: 'warn' });
    await seeded.close();
    const hub = await startHub({ dataDir, port: 0, host: '127.0.0.1', demo: false, logLevel: 'warn', readingRoomDir: rendererDist });
    demo.onClose(hub.close);

    const admin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
    const issue = async (institutionId: string, name: string) => {
      const created = await call(hub.url, 'POST', '/admin/workstations', { token: admin.accessToken, body: { name, institutionId } });
      expect(created.status).toBe(201);
      return String(created.body.enrolmentCode);
    };
    const clinicCode = await issue('hekou', '河口乡卫生院 诊室3');
    const centerCode = await issue('ecg-center', '心电中心 阅片室 2');

    const page = await demo.openPage();
    await page.goto(`${hub.url}${READING_ROOM_PATH}`);
    const codeInput = page.getByLabel('一次性注册码');
    await codeInput.waitFor({ timeout: 20_000 });
    expect(await page.getByRole('button', { name: '登录' }).count()).toBe(0);

    await codeInput.fill('WRNG-CODE-0000');
    await page.getByRole('button', { name: '注册本机' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('注册码无效、已过期或已使用');

    await codeInput.fill(clinicCode);
    await page.getByRole('button', { name: '注册本机' }).click();
    await page.getByRole('alert').getByText('此注册码属于「河口乡卫生院」的工作站').waitFor();
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.includes('settings')))).toEqual([]);

    await codeInput.fill(centerCode.toLowerCase());
    await page.getByRole('button', { name: '注册本机' }).click();
    const loginPage = new LoginPage(page);
    await loginPage.waitForScreen();
    expect(await page.getByRole('heading', { name: '心电医生登录' }).count()).toBe(1);
    expect(await page.getByTestId('login-institution').textContent()).toBe('本工作站：县远程心电诊断中心');
    expect(await loginPage.demoHint().count()).toBe(0);
    await loginPage.submit('cardiologist', DEMO_PASSWORD);
    await page.getByRole('heading', { name: '阅片工作列表' }).waitFor({ timeout: 30_000 });
    expect(await page.getByText('演示模式', { exact: true }).count()).toBe(0);

    // Enrolled for good: after signing out, a reload goes straight to the login screen.
    await loginPage.signOut();
    await page.reload();
    await loginPage.waitForScreen();
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.includes('settings')))).toEqual(['clinic-workstation.reading-room.settings']);
  });
});
