import type { Page } from 'playwright-core';
import { chooseOption, navItem } from '../support/antd.ts';

/** The workstation's home screen. */
export class HomePage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.appTitle().waitFor();
  }

  appTitle() {
    return this.page.getByRole('heading', { level: 1 });
  }

  welcome() {
    return this.page.getByRole('heading', { level: 2 });
  }

  hubStatus() {
    return this.page.getByTestId('hub-status');
  }

  navItem(name: string) {
    return navItem(this.page, name);
  }

  /** The header's language select, labelled in the language it shows now. */
  async switchLanguage(language: 'zh-CN' | 'en'): Promise<void> {
    await chooseOption(this.page, (await this.page.locator('html').getAttribute('lang'))?.startsWith('en') ? 'Language' : '语言', language === 'en' ? 'English' : '中文');
  }
}
