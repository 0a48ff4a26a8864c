/**
 * The clinic administrator's day in real Chromium against the real county hub (issue 14 item 8):
 * this workstation in the sync-health list, enrolling a second PC with a one-time code read off the
 * screen, revoking it, creating a user, resetting a password and disabling the user — each checked
 * against what the hub then allows.
 */
import { describe, expect, it } from 'vitest';
import { requireSystemDependency } from '../support/system-deps.ts';
import { call } from '../integration/hub/support/client.ts';
import { useFreshDemo } from './support/fresh-demo.ts';
import { saveScreen } from './support/screens.ts';
import { expectInViewport } from './support/viewport.ts';
import { AdminPage } from './page-models/admin-page.ts';

describe.runIf(requireSystemDependency('chromium'))('the administrator’s screens in Chromium', () => {
  const demo = useFreshDemo();

  it('lists this workstation as seen just now, enrols a PC with a code shown once, and revokes it', async () => {
    const { stack, page } = await demo.openSignedIn('admin');
    const admin = new AdminPage(page);
    await admin.open();

    // This very workstation has reported its queue: seen today, nothing pending.
    const own = admin.workstationRow('城关镇卫生院 挂号台');
    await own.getByText('已登记').waitFor({ timeout: 15_000 });
    const today = new Date().toLocaleDateString('sv-SE'); // YYYY-MM-DD, the browser's local day
    await expect.poll(async () => (await page.getByRole('button', { name: '刷新' }).click(), await own.textContent()), { timeout: 30_000 }).toContain(today);

    const code = await admin.enrolWorkstation('二楼诊室');
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await expectInViewport(page.getByTestId('enrolment-code'), 'the one-time code');
    await expect.poll(() => admin.workstationRow('二楼诊室').textContent()).toContain('待登记');
    await saveScreen(page, 'admin-workstations');
    await admin.closeCode();
    expect(await page.getByText(code).count()).toBe(0);

    // The new PC types the code in: the hub enrols it, and the list says so.
    const enrolled = await call(stack.hubUrl, 'POST', '/auth/enrol', { body: { code } });
    expect(enrolled.status).toBe(200);
    await page.getByRole('button', { name: '刷新' }).click();
    await expect.poll(() => admin.workstationRow('二楼诊室').textContent()).toContain('已登记');

    await admin.revoke('二楼诊室');
    await expect.poll(() => admin.workstationRow('二楼诊室').textContent()).toContain('已吊销');
    const refused = await call(stack.hubUrl, 'POST', '/auth/login', { body: { workstationId: enrolled.body.workstationId, workstationCredential: enrolled.body.workstationCredential, username: 'nurse', password: 'demo1234' } });
    expect(refused.status).toBe(401);
  });

  it('creates a user, resets the password (the old one stops working) and disables the user', async () => {
    const { stack, page } = await demo.openSignedIn('admin');
    const admin = new AdminPage(page);
    await admin.open();
    await admin.openTab('用户与角色');
    await admin.userRow('doctor').waitFor({ timeout: 15_000 });

    await admin.createUser({ displayName: '赵护士', username: 'zhao', role: '护士', password: 'first-pass-1' });
    await admin.userRow('zhao').waitFor();
    expect(await admin.userRow('zhao').textContent()).toContain('赵护士zhao护士正常'); // name, username, role, state
    const ws = { workstationId: 'ws-demo-chengguan', workstationCredential: 'demo-workstation-credential-chengguan' };
    const signIn = (password: string) => call(stack.hubUrl, 'POST', '/auth/login', { body: { ...ws, username: 'zhao', password } });
    expect((await signIn('first-pass-1')).status).toBe(200);

    await admin.resetPassword('赵护士', 'second-pass-2');
    // The outcome, whichever it is: a refusal shows in an alert, and its words then say what went wrong.
    const outcome = page.getByText('已重置 赵护士 的密码').or(page.getByRole('alert').filter({ hasNotText: '已重置' }));
    await outcome.first().waitFor();
    expect(await outcome.first().textContent()).toBe('已重置 赵护士 的密码');
    expect((await signIn('first-pass-1')).status).toBe(401);
    expect((await signIn('second-pass-2')).status).toBe(200);
    await saveScreen(page, 'admin-users');

    await admin.disable('赵护士');
    await expect.poll(() => admin.userRow('zhao').textContent()).toContain('已停用');
    expect((await signIn('second-pass-2')).status).not.toBe(200);
  });
});
