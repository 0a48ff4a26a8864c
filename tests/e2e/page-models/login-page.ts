import type { Page } from 'playwright-core';

/** 登录 and 锁屏: the sign-in screen every session starts at, and the lock screen. */
export class LoginPage {
  constructor(readonly page: Page) {}

  signInButton() {
    return this.page.getByRole('button', { name: '登录', exact: true });
  }

  async waitForScreen(): Promise<void> {
    await this.signInButton().waitFor({ timeout: 20_000 });
  }

  /** Fills the form and submits; does not wait for the outcome. */
  async submit(username: string, password: string): Promise<void> {
    await this.page.getByLabel('用户名', { exact: true }).fill(username);
    await this.page.getByLabel('密码', { exact: true }).fill(password);
    await this.signInButton().click();
  }

  /** Signs in and waits for the app's navigation (the home screen). */
  async signIn(username: string, password: string): Promise<void> {
    await this.waitForScreen();
    await this.submit(username, password);
    await this.page.getByRole('navigation').waitFor({ timeout: 30_000 });
  }

  problem() {
    return this.page.getByRole('alert');
  }

  demoHint() {
    return this.page.getByTestId('demo-accounts');
  }

  userMenu() {
    return this.page.getByTestId('user-menu');
  }

  async signOut(): Promise<void> {
    await this.userMenu().getByRole('button', { name: '退出登录' }).click();
    await this.waitForScreen();
  }

  async lock(): Promise<void> {
    await this.userMenu().getByRole('button', { name: '锁屏' }).click();
    await this.page.getByRole('heading', { name: '屏幕已锁定' }).waitFor();
  }

  unlockButton() {
    return this.page.getByRole('button', { name: '解锁' });
  }

  async unlock(password: string): Promise<void> {
    await this.page.getByLabel('密码', { exact: true }).fill(password);
    await this.unlockButton().click();
  }
}
