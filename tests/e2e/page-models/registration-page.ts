import type { Page } from 'playwright-core';
import { chooseOptionWhere, navItem } from '../support/antd.ts';

/** 挂号登记: the nurse's screen, with the demo panel that places simulated cards. */
export class RegistrationPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await navItem(this.page, '挂号登记').click();
    await this.page.getByRole('button', { name: '登记并排队' }).waitFor();
    // The screen is drawn before its saved draft is read back (IndexedDB): wait for that, as the nurse sees it.
    await this.page.locator('form.registration-form:not([data-draft-state="loading"])').waitFor();
  }

  field(label: string) {
    return this.page.getByLabel(label, { exact: true });
  }

  /** Puts one of the agent simulator's sample cards on the simulated reader: choose it, press 放置. */
  async placeSampleCard(sampleId: string): Promise<void> {
    await chooseOptionWhere(this.page, '示例卡片', `[data-sample="${sampleId}"]`);
    await this.demoPanel().getByRole('button', { name: '放置', exact: true }).click();
  }

  demoPanel() {
    return this.page.getByRole('region', { name: '演示：放置卡片' });
  }

  async removeCards(): Promise<void> {
    await this.demoPanel().getByRole('button', { name: '取下卡片' }).click();
    // The reader driver polls find-card every 250 ms and reads a card again only after it has seen
    // the field empty (devices/id-card/driver.ts), as a nurse lifting the card would give it time to.
    await this.page.waitForTimeout(750);
  }

  async waitForName(name: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while ((await this.field('姓名').inputValue()) !== name) {
      if (Date.now() > deadline) throw new Error(`The form's name never became ${name}`);
      await this.page.waitForTimeout(100);
    }
  }

  patientMatch() {
    return this.page.getByTestId('patient-match');
  }

  async registerAndQueue(): Promise<string> {
    await this.page.getByRole('button', { name: '登记并排队' }).click();
    return this.outcome();
  }

  /** The nurse's whole step for one sample card: open the screen, place the card, register; returns the outcome. */
  async registerSampleCard(sample: { id: string; name: string }): Promise<string> {
    await this.open();
    await this.placeSampleCard(sample.id);
    await this.waitForName(sample.name);
    return this.registerAndQueue();
  }

  /** Registers from the keyboard, as a nurse does after a card read has focused the button. */
  async registerWithEnter(): Promise<string> {
    await this.page.keyboard.press('Enter');
    return this.outcome();
  }

  /** What the registration said: `[data-outcome]` is saved, not-queued or failed. */
  outcomeMessage() {
    return this.page.getByTestId('registration-outcome').locator('[data-outcome]');
  }

  private async outcome(): Promise<string> {
    const outcome = this.outcomeMessage();
    await outcome.waitFor({ timeout: 15_000 });
    return (await outcome.textContent()) ?? '';
  }

  ticket() {
    return this.page.getByTestId('queue-ticket');
  }

  queueNumber() {
    return this.page.getByTestId('queue-number');
  }

  async search(text: string): Promise<string[]> {
    await this.page.getByRole('searchbox', { name: '查找患者' }).fill(text);
    const results = this.page.locator(`ul.search-results[data-query="${text}"]`);
    await results.waitFor({ timeout: 10_000 });
    return results.locator('li').allTextContents();
  }
}
