import type { Page } from 'playwright-core';
import { chooseOption } from '../support/antd.ts';
import { LoginPage } from './login-page.ts';

/** 阅片室: the ECG center's reading room served by the hub — sign-in (the workstation's login screen), worklist, viewer, report form. */
export class ReadingRoomPage {
  readonly login: LoginPage;

  constructor(readonly page: Page) {
    this.login = new LoginPage(page);
  }

  /** Opens the page at the workstation's login screen, titled for the reading room. */
  async open(hubUrl: string): Promise<void> {
    await this.page.goto(`${hubUrl}/reading-room/`);
    await this.login.waitForScreen();
    await this.page.getByRole('heading', { name: '心电医生登录' }).waitFor();
  }

  /** Signs in on the login screen and waits for the worklist. */
  async signIn(username: string, password: string): Promise<void> {
    await this.login.submit(username, password);
    await this.worklist().waitFor({ timeout: 30_000 });
  }

  worklist() {
    return this.page.getByTestId('worklist');
  }

  row(patientName: string) {
    return this.worklist().locator('tbody tr', { hasText: patientName });
  }

  async patientsInOrder(): Promise<string[]> {
    return this.worklist().locator('tbody tr[data-study-id] td:nth-child(2)').allTextContents();
  }

  urgentAlert() {
    return this.page.getByTestId('urgent-alert');
  }

  async beeps(): Promise<number> {
    return Number(await this.page.locator('section.reading-room').getAttribute('data-beeps'));
  }

  /** Opens (claims) the study and waits for its tracing. */
  async openStudy(patientName: string): Promise<void> {
    await this.row(patientName).getByRole('button', { name: '阅片' }).click();
    await this.page.getByTestId('reading-canvas').waitFor({ timeout: 20_000 });
  }

  /** 单导联放大: one lead enlarged under the tracing. */
  async zoomLead(lead: string): Promise<void> {
    await chooseOption(this.page, '单导联放大', lead);
    await this.page.getByTestId('lead-zoom-canvas').waitFor();
  }

  async chooseStatement(text: string): Promise<void> {
    await this.page.getByLabel(text, { exact: true }).check();
  }

  criticalFlag() {
    return this.page.getByLabel('危急值（立即通知送检机构）');
  }

  async writeFreeText(text: string): Promise<void> {
    await this.page.getByLabel('描述与补充意见').fill(text);
  }

  async sign(): Promise<string> {
    await this.page.getByRole('button', { name: '签发报告' }).click();
    const notice = this.page.getByTestId('reading-notice');
    await notice.waitFor({ timeout: 15_000 });
    return (await notice.textContent()) ?? '';
  }

  notice() {
    return this.page.getByTestId('reading-notice');
  }
}
