/**
 * Signing in on the workstation in real Chromium against the real county hub: the demo login screen,
 * wrong and right passwords, what a reload and a new window do, the lock screen, offline sign-in with
 * the hub stopped, and a first run in browser mode (enrolment with a one-time code, then sign-in).
 *
 * A reload keeps the session but behind the lock screen: sessionStorage holds the username and a
 * refresh token, never the password, and the records on this PC open only with the key the password
 * releases (docs/security-local-data.md). A new window (or restarting the app) asks again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererDist } from '../../build/demo/renderer-build.ts';
import { startUiServer } from '../../build/demo/ui-server.ts';
import { startHub } from '../../sync/hub/start.ts';
import { copyPgliteTemplate } from '../support/pglite-template.ts';
import { requireSystemDependency } from '../support/system-deps.ts';
import { call, demoWorkstation, login } from '../integration/hub/support/client.ts';
import { startDemoStackWithStoppableHub } from './support/demo.ts';
import { useFreshDemo } from './support/fresh-demo.ts';
import { DEMO_PASSWORD, openSignedIn } from './support/sign-in.ts';
import { LoginPage } from './page-models/login-page.ts';
import { navItem, navItems, shownOption } from './support/antd.ts';
import { saveScreen } from './support/screens.ts';

describe.runIf(requireSystemDependency('chromium'))('signing in in Chromium', () => {
  const demo = useFreshDemo();

  it('refuses a wrong password in plain words, then opens the doctor’s screens for the right one', async () => {
    const { stack, page } = await demo.open();
    await page.goto(stack.uiUrl);
    const loginPage = new LoginPage(page);
    await loginPage.waitForScreen();
    expect(await loginPage.demoHint().textContent()).toBe('演示账号：nurse / doctor / cardiologist / admin，密码 demo1234');
    expect(await page.getByTestId('login-institution').textContent()).toBe('本工作站：城关镇卫生院');
    await saveScreen(page, 'login');

    await loginPage.submit('doctor', 'demo9999');
    expect(await loginPage.problem().textContent()).toBe('用户名或密码错误');
    expect(await page.getByRole('navigation').count()).toBe(0);

    await loginPage.submit('doctor', DEMO_PASSWORD);
    await page.getByRole('navigation').waitFor();
    expect(await loginPage.userMenu().textContent()).toContain('王建军（医生）· 城关镇卫生院');
    expect(await navItems(page)).toEqual(['首页', '挂号登记', '门诊接诊', '心电检查', '数据同步']);
    await page.getByTestId('hub-status').and(page.locator('[data-status="online"]')).waitFor({ timeout: 15_000 });
  });

  it('keeps the session across a reload behind the lock screen, and asks again in a new window', async () => {
    const { stack, browser, page } = await demo.openSignedIn('nurse');
    const loginPage = new LoginPage(page);
    // A nurse gets the registration desk and today's queue, not the doctor's screens.
    expect(await navItems(page)).toEqual(['首页', '挂号登记', '今日候诊', '数据同步']);

    await page.reload();
    // Still the nurse's session, but the records need her password again.
    await page.getByRole('heading', { name: '屏幕已锁定' }).waitFor();
    expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain(DEMO_PASSWORD);
    await loginPage.unlock(DEMO_PASSWORD);
    await page.getByRole('navigation').waitFor();
    expect(await loginPage.userMenu().getAttribute('data-role')).toBe('nurse');

    await loginPage.lock();
    await page.reload();
    await page.getByRole('heading', { name: '屏幕已锁定' }).waitFor();
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    await loginPage.unlock('wrong-password');
    expect(await loginPage.problem().textContent()).toBe('用户名或密码错误');
    await loginPage.unlock(DEMO_PASSWORD);
    await page.getByRole('navigation').waitFor();

    const secondWindow = await browser.context.newPage();
    await secondWindow.goto(stack.uiUrl);
    await new LoginPage(secondWindow).waitForScreen();

    await loginPage.signOut();
    await page.reload();
    await loginPage.waitForScreen();
  });

  it('keeps the nurse signed in when the window reloads while her session is being renewed', async () => {
    const { page } = await demo.openSignedIn('nurse');
    const loginPage = new LoginPage(page);

    // After a reload the records reopen and replication renews the session at the hub. Here the hub
    // rotates the refresh token, but the window reloads again before the answer arrives.
    let renewalReachedHub!: () => void;
    const reached = new Promise<void>((resolve) => (renewalReachedHub = resolve));
    await page.route('**/auth/refresh', async (route) => {
      await route.fetch();
      renewalReachedHub();
    });
    await page.reload();
    await loginPage.unlock(DEMO_PASSWORD);
    await reached;
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.reload();

    const renewal = page.waitForResponse('**/auth/refresh');
    const pulled = page.waitForResponse((r) => r.url().includes('/sync/') && r.url().includes('/pull') && r.ok()).then(() => true, () => false);
    await loginPage.unlock(DEMO_PASSWORD);
    expect((await renewal).status()).toBe(200);
    expect(await pulled).toBe(true); // replication runs under the renewed session
    await page.getByRole('navigation').waitFor();
    expect(await loginPage.signInButton().count()).toBe(0);
    expect(await loginPage.userMenu().getAttribute('data-role')).toBe('nurse');
  });

  it('with the hub stopped, signs in offline a user who signed in here before, and tells one who never did why not', async () => {
    const stack = await startDemoStackWithStoppableHub();
    demo.onClose(stack.close);
    const page = await demo.openPage();
    await openSignedIn(page, stack.uiUrl, 'doctor');
    const loginPage = new LoginPage(page);
    await loginPage.signOut();
    await stack.stopHub();

    await loginPage.submit('nurse', DEMO_PASSWORD);
    expect(await loginPage.problem().textContent()).toBe('无法连接县级平台，且此用户从未在本工作站联网登录过，无法离线登录。请在网络恢复后登录');
    await loginPage.submit('doctor', 'demo9999');
    expect(await loginPage.problem().textContent()).toBe('用户名或密码错误（离线验证）');

    await loginPage.submit('doctor', DEMO_PASSWORD);
    await page.getByRole('navigation').waitFor();
    expect(await loginPage.userMenu().textContent()).toContain('离线登录');
    expect(await navItem(page, '门诊接诊').isVisible()).toBe(true);
  });

  it('first run in browser mode: enrols the workstation with a one-time code, then signs in at that institution', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cw-first-run-'));
    await copyPgliteTemplate(dataDir);
    const hub = await startHub({ dataDir, port: 0, host: '127.0.0.1', demo: true, logLevel: 'warn' });
    const ui = await startUiServer({ root: rendererDist, port: 0, runtimeConfig: { hubUrl: hub.url, demo: false } });
    for (const close of [() => rm(dataDir, { recursive: true, force: true }), hub.close, ui.close]) demo.onClose(close);
    // The county administrator creates the workstation and reads the code out over the phone.
    const admin = await login(hub.url, demoWorkstation('ws-demo-county'), 'admin');
    const created = await call(hub.url, 'POST', '/admin/workstations', { token: admin.accessToken, body: { name: '河口乡卫生院 诊室2', institutionId: 'hekou' } });
    expect(created.status).toBe(201);

    const page = await demo.openPage();
    await page.goto(ui.url);
    await page.getByRole('heading', { name: '首次运行设置' }).waitFor({ timeout: 20_000 });
    expect(await page.getByText('浏览器模式仅用于演示和开发').isVisible()).toBe(true);
    expect(await page.getByLabel('县级平台地址').inputValue()).toBe(hub.url);
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByLabel('一次性注册码').fill('WRONG-CODE-0000');
    await page.getByRole('button', { name: '注册本机' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('注册码');
    await page.getByLabel('一次性注册码').fill(String(created.body.enrolmentCode).toLowerCase());
    await page.getByRole('button', { name: '注册本机' }).click();
    await page.getByText('本机已注册到 河口乡卫生院').waitFor();
    expect(await page.getByRole('button', { name: '稍后注册' }).count()).toBe(0);
    await page.getByRole('button', { name: '下一步' }).click();
    expect(await shownOption(page, '打印机（挂号小票和报告）')).toBe('系统默认打印机（打印时选择）');
    await saveScreen(page, 'setup-devices');
    await page.getByRole('button', { name: '保存并完成' }).click();

    const loginPage = new LoginPage(page);
    await loginPage.waitForScreen();
    expect(await page.getByTestId('login-institution').textContent()).toBe('本工作站：河口乡卫生院');
    expect(await loginPage.demoHint().count()).toBe(0);
    await loginPage.submit('doctor', DEMO_PASSWORD);
    await page.getByRole('navigation').waitFor();
    expect(await loginPage.userMenu().textContent()).toContain('· 河口乡卫生院');

    // Enrolled for good: the next start goes straight to the login screen.
    await loginPage.signOut();
    await page.reload();
    await loginPage.waitForScreen();
  });
});
