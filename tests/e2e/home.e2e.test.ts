import { describe, expect, it } from 'vitest';
import { requireSystemDependency } from '../support/system-deps.ts';
import { useFreshDemo } from './support/fresh-demo.ts';
import { HomePage } from './page-models/home-page.ts';
import { DEMO_PASSWORD } from './support/sign-in.ts';

describe.runIf(requireSystemDependency('chromium'))('demo workstation in Chromium', () => {
  const demo = useFreshDemo();

  it('opens on the Chinese home screen with the embedded hub connected', async () => {
    const home = new HomePage((await demo.openSignedIn('doctor')).page);
    expect(await home.appTitle().textContent()).toBe('乡镇卫生院工作站');
    expect(await home.welcome().textContent()).toBe('欢迎使用乡镇卫生院工作站');
    await home.hubStatus().and(home.page.locator('[data-status="online"]')).waitFor({ timeout: 15_000 });
    expect(await home.hubStatus().textContent()).toBe('已连接');
  });

  it('keeps the language the user chose after a reload', async () => {
    const home = new HomePage((await demo.openSignedIn('nurse')).page);
    await home.switchLanguage('en');
    await home.page.reload();
    // A reload comes back locked (the records need the password), already in English.
    await home.page.getByRole('heading', { name: 'Screen locked' }).waitFor({ timeout: 30_000 });
    await home.page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await home.page.getByRole('button', { name: 'Unlock' }).click();
    await home.page.getByRole('navigation').waitFor({ timeout: 30_000 });
    expect(await home.appTitle().textContent()).toBe('Clinic Workstation');
    expect(await home.navItem('Registration').isVisible()).toBe(true);
  });
});
