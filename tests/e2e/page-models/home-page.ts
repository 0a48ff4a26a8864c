import type { Page } from 'playwright-core';

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

  navButton(name: string) {
    return this.page.getByRole('navigation').getByRole('button', { name });
  }

  async switchLanguage(language: 'zh-CN' | 'en'): Promise<void> {
    await this.page.getByRole('combobox').selectOption(language);
  }
}
