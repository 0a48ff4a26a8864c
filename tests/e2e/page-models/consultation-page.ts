import type { Page } from 'playwright-core';
import { navItem } from '../support/antd.ts';

/** 门诊接诊: today's queue and the visit the doctor opened. */
export class ConsultationPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await navItem(this.page, '门诊接诊').click();
    await this.page.getByRole('heading', { name: '今日候诊队列' }).waitFor();
  }

  queueGroup(status: 'waiting' | 'in-consultation' | 'closed') {
    return this.page.locator(`.queue-group[data-status="${status}"]`);
  }

  /** Opens (接诊) a waiting patient, or views (查看) one already in consultation. */
  async openPatient(name: string): Promise<void> {
    await this.page.getByRole('button', { name: new RegExp(`^(接诊|查看) ${name}$`) }).click();
    await this.page.getByTestId('visit-patient-name').waitFor();
  }

  /** Types into the diagnosis search (an antd AutoComplete) and chooses the hit named `entry` (I10 原发性高血压). */
  async addDiagnosis(query: string, entry: string): Promise<void> {
    await this.page.getByRole('combobox', { name: '搜索诊断：ICD-10编码、名称或拼音' }).fill(query);
    await this.page.getByRole('option', { name: entry, exact: true }).click();
    await this.diagnoses().filter({ hasText: entry }).waitFor();
  }

  async orderItem(query: string, itemName: string): Promise<void> {
    await this.page.getByRole('combobox', { name: '搜索检查检验项目：名称、拼音或编码' }).fill(query);
    await this.page.getByRole('option', { name: `开单 ${itemName}`, exact: true }).click();
    await this.orders().filter({ hasText: itemName }).waitFor();
  }

  /** The record's actions, in the bar that stays at the bottom of the window. */
  saveButton() {
    return this.page.getByRole('button', { name: '保存', exact: true });
  }

  closeButton() {
    return this.page.getByRole('button', { name: '结束就诊', exact: true });
  }

  async save(): Promise<string> {
    await this.saveButton().click();
    const status = this.page.getByTestId('visit-status').locator('p');
    await status.waitFor();
    return (await status.textContent()) ?? '';
  }

  complaint() {
    return this.page.getByLabel('主诉');
  }

  diagnoses() {
    return this.page.getByTestId('diagnoses');
  }

  orders() {
    return this.page.getByTestId('orders');
  }
}
