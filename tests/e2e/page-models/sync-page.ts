import type { Page } from 'playwright-core';
import { navItem } from '../support/antd.ts';

/** 数据同步: pending changes, last sync, the current problem, "sync now". */
export class SyncPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await navItem(this.page, '数据同步').click();
    await this.page.getByRole('button', { name: /立即同步|同步中/ }).waitFor();
  }

  pending() {
    return this.page.getByTestId('sync-pending');
  }

  problem() {
    return this.page.getByTestId('sync-error');
  }

  lastSync() {
    return this.page.getByTestId('sync-last');
  }
}
