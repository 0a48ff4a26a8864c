import type { Page } from 'playwright-core';
import { navItem } from '../support/antd.ts';

/** 系统管理: the administrator's tabs — workstations and sync health, users and roles, turnaround, indicators. */
export class AdminPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await navItem(this.page, '系统管理').click();
    await this.page.getByRole('tab', { name: '工作站与同步' }).waitFor({ timeout: 20_000 });
  }

  async openTab(name: '工作站与同步' | '用户与角色' | '心电诊断时效' | '互认指标'): Promise<void> {
    await this.page.getByRole('tab', { name }).click();
  }

  workstationRow(name: string) {
    return this.page.getByTestId('workstations-table').locator('tr[data-workstation-id]').filter({ has: this.page.getByTestId('workstation-name').getByText(name, { exact: true }) });
  }

  userRow(username: string) {
    return this.page.locator(`[data-testid="users-table"] tr[data-username="${username}"]`);
  }

  /** Fills 登记新工作站 and returns the one-time code the screen shows. */
  async enrolWorkstation(name: string): Promise<string> {
    await this.page.getByRole('button', { name: '登记新工作站' }).click();
    await this.page.getByLabel('工作站名称').fill(name);
    await this.page.getByRole('button', { name: '生成登记码' }).click();
    const code = (await this.page.getByTestId('enrolment-code').textContent({ timeout: 15_000 })) ?? '';
    return code.trim();
  }

  async closeCode(): Promise<void> {
    await this.page.getByRole('button', { name: '已记下，关闭' }).click();
    await this.page.getByTestId('enrolment-code').waitFor({ state: 'detached' });
  }

  async revoke(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `吊销 ${name}` }).click();
    await this.page.locator('.ant-popover').getByRole('button', { name: '吊销', exact: true }).click();
  }

  async createUser(user: { displayName: string; username: string; role: string; password: string }): Promise<void> {
    await this.page.getByRole('button', { name: '新建用户' }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByLabel('姓名').fill(user.displayName);
    await dialog.getByLabel('用户名').fill(user.username);
    await dialog.getByLabel('角色').click();
    await this.page.locator('.ant-select-item-option').filter({ hasText: user.role }).click();
    await dialog.getByLabel('初始密码').fill(user.password);
    await dialog.getByRole('button', { name: '创建' }).click();
  }

  async resetPassword(displayName: string, password: string): Promise<void> {
    await this.page.getByRole('button', { name: `重置密码 ${displayName}` }).click();
    // The dialog of this user (the one before it may still be fading out).
    const dialog = this.page.getByRole('dialog').filter({ hasText: `重置 ${displayName} 的密码` });
    await dialog.getByLabel('临时密码').fill(password);
    await dialog.getByRole('button', { name: '重置密码' }).click();
  }

  async disable(displayName: string): Promise<void> {
    await this.page.getByRole('button', { name: `停用 ${displayName}` }).click();
    await this.page.locator('.ant-popover').getByRole('button', { name: '停用', exact: true }).click();
  }

  status() {
    return this.page.getByRole('status').filter({ hasText: /已/ });
  }
}
