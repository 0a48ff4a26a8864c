import type { Page } from 'playwright-core';
import { navItem } from '../support/antd.ts';

/** 心电检查: choose the visit, connect the (simulated) ECG device, record, review, save, print. */
export class EcgPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await navItem(this.page, '心电检查').click();
    await this.page.getByLabel('就诊患者').waitFor();
  }

  /** Chooses today's visit of `patientName` in the antd Select (searchable by name). */
  async chooseVisit(patientName: string): Promise<void> {
    const select = this.page.getByRole('combobox', { name: '就诊患者', exact: true });
    await select.click();
    await select.fill(patientName);
    await this.openPopup().locator('.ant-select-item-option', { hasText: patientName }).first().click();
  }

  private openPopup() {
    return this.page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  }

  /** The demo panel's controls are enabled again once the restarted simulator streams. */
  private async demoReady(): Promise<void> {
    await this.page.locator('fieldset.ecg-demo .ant-select:not(.ant-select-disabled)').waitFor({ timeout: 15_000 });
  }

  async connect(): Promise<void> {
    await this.page.getByRole('button', { name: '连接心电设备' }).click();
    await this.page.locator('[data-testid="ecg-connection"][data-state="streaming"]').waitFor({ timeout: 15_000 });
  }

  /** How many live frames the trace canvas has drawn so far. */
  async liveFrames(): Promise<number> {
    return Number(await this.page.getByTestId('ecg-live-canvas').getAttribute('data-frames'));
  }

  /** Non-blank pixels on the trace canvas: ink the live view actually drew. */
  async inkedPixels(): Promise<number> {
    return this.page.getByTestId('ecg-live-canvas').evaluate((canvas: HTMLCanvasElement) => {
      const ctx = canvas.getContext('2d')!;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let inked = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) inked++;
      return inked;
    });
  }

  electrode(name: string) {
    return this.page.getByTestId('ecg-electrodes').locator(`[data-electrode="${name}"]`);
  }

  async detachInDemo(name: string, detached: boolean): Promise<void> {
    await this.page.locator('fieldset.ecg-demo').getByLabel(name, { exact: true }).setChecked(detached);
    await this.demoReady();
  }

  /** Switches the simulator's rhythm and waits until the restarted device streams again. */
  async setDemoRhythm(label: string): Promise<void> {
    await this.page.getByRole('combobox', { name: '模拟心律', exact: true }).click();
    await this.openPopup().locator(`.ant-select-item-option[title="${label}"]`).click();
    await this.demoReady();
  }

  /** Records 10 s and waits for the review (measurements table). */
  async capture(): Promise<void> {
    await this.page.getByRole('button', { name: '采集 10 秒' }).click();
    await this.page.getByTestId('ecg-measurements').waitFor({ timeout: 30_000 });
  }

  async heartRate(): Promise<number> {
    const text = await this.page.getByTestId('ecg-measurements').locator('[data-measure="heartRate"] td').textContent();
    return Number(/\d+/.exec(text ?? '')?.[0]);
  }

  hints() {
    return this.page.getByTestId('ecg-hints');
  }

  async setUrgent(note: string): Promise<void> {
    await this.page.getByLabel('紧急', { exact: true }).check();
    await this.page.locator('.ecg-save-form textarea').fill(note);
  }

  async save(): Promise<string> {
    await this.page.getByRole('button', { name: '保存到本次就诊' }).click();
    const status = this.page.locator('[data-testid="ecg-save-status"][data-kind="saved"], [data-testid="ecg-save-status"][data-kind="error"]');
    await status.waitFor({ timeout: 15_000 });
    return (await status.textContent()) ?? '';
  }

  printReport() {
    return this.page.getByTestId('ecg-print-report');
  }
}
