import type { Page } from 'playwright-core';

/** The clinic's side of remote diagnosis: 发送远程诊断 on the ECG review, the sent list, the 危急值 alert. */
export class RemoteDiagnosisPage {
  constructor(readonly page: Page) {}

  /** Sends the reviewed capture (saving it first) and waits for "queued". */
  async send(): Promise<string> {
    await this.page.getByRole('button', { name: '发送远程诊断' }).click();
    const status = this.page.locator('[data-testid="ecg-save-status"][data-sent="true"], [data-testid="ecg-save-status"][data-kind="error"]');
    await status.waitFor({ timeout: 15_000 });
    return (await status.textContent()) ?? '';
  }

  /** Leaves the review for the live view, where the sent studies are listed. */
  async backToLiveView(): Promise<void> {
    await this.page.getByRole('button', { name: '再次采集' }).click();
    await this.sentList().waitFor({ timeout: 10_000 });
  }

  sentList() {
    return this.page.getByTestId('ecg-sent-studies');
  }

  sentRow(patientName: string) {
    return this.sentList().locator('tbody tr', { hasText: patientName });
  }

  async stateOf(patientName: string): Promise<string> {
    return (await this.sentRow(patientName).getByTestId('sent-study-state').textContent()) ?? '';
  }

  criticalAlert() {
    return this.page.getByTestId('critical-alert');
  }

  async acknowledgeCritical(): Promise<void> {
    await this.criticalAlert().getByRole('button', { name: '已知晓，立即处理' }).click();
    await this.criticalAlert().waitFor({ state: 'detached', timeout: 10_000 });
  }
}
