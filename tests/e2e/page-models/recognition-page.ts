import type { Page } from 'playwright-core';
import { navItem } from '../support/antd.ts';

/** 互认: the reminder in the consultation screen, and the administrator's indicators dashboard. */
export class RecognitionPage {
  constructor(readonly page: Page) {}

  /** Searches the catalogue and clicks 开单; a reminder may appear instead of an order. */
  async startOrder(query: string, itemName: string): Promise<void> {
    await this.page.getByRole('combobox', { name: '搜索检查检验项目：名称、拼音或编码' }).fill(query);
    await this.page.getByRole('option', { name: `开单 ${itemName}`, exact: true }).click();
  }

  reminder() {
    return this.page.getByTestId('recognition-reminder');
  }

  async viewPriorResult(): Promise<string> {
    await this.reminder().getByRole('button', { name: '查看结果' }).click();
    return (await this.page.getByTestId('recognition-result').textContent()) ?? '';
  }

  /** A value's row in the opened prior result: 项目 | 结果 | 提示 | 单位 | 参考范围. */
  priorResultRow(name: string) {
    return this.page.getByTestId('recognition-result').locator('tbody tr', { hasText: name });
  }

  async recognize(): Promise<void> {
    await this.reminder().getByRole('button', { name: /^互认，不再检查/ }).click();
    await this.reminder().waitFor({ state: 'detached' });
  }

  historyResults() {
    return this.page.getByTestId('history-results');
  }

  async openIndicators(): Promise<void> {
    await navItem(this.page, '系统管理').click();
    await this.page.getByRole('tab', { name: '互认指标' }).click({ timeout: 20_000 });
    await this.page.getByRole('heading', { name: '检查检验结果互认指标' }).waitFor();
  }

  indicatorRow(institutionId: string) {
    return this.page.locator(`[data-testid="indicators-table"] tr[data-institution="${institutionId}"]`);
  }

  async cell(institutionId: string, column: 'reminders' | 'views' | 'recognitions' | 'refusals' | 'rate' | 'saved'): Promise<string> {
    return (await this.indicatorRow(institutionId).locator(`[data-column="${column}"]`).textContent()) ?? '';
  }

  async refreshIndicators(): Promise<void> {
    await this.page.getByRole('button', { name: '查询', exact: true }).click();
  }

  /** Clicks 导出 CSV and returns the downloaded file's bytes. */
  async exportCsv(): Promise<Buffer> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByRole('button', { name: '导出 CSV' }).click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}
