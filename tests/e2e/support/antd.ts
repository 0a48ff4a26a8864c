/**
 * Driving Ant Design controls from Playwright. An antd Select is no <select>: its input is a
 * combobox named by its aria-label, and the options open in a pop-up list elsewhere in the page.
 */
import type { Page } from 'playwright-core';

/** Opens the Select named `label` and clicks the option whose text is exactly `optionText`. */
export async function chooseOption(page: Page, label: string, optionText: string): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  // Only the open pop-up: a closed one stays in the page, hidden.
  const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: new RegExp(`^${optionText.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });
  await option.first().click();
}

/** The text an antd Select named `label` shows as chosen. */
export async function chosenOption(page: Page, label: string): Promise<string> {
  const content = page.getByRole('combobox', { name: label, exact: true }).locator('xpath=ancestor::*[contains(@class, "ant-select-content")][1]');
  return (await content.textContent()) ?? '';
}
