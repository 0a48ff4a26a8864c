/**
 * Driving Ant Design controls in real Chromium (issue 14 item 1: every screen on antd). Its Select is
 * not a native <select>, so `locator.selectOption()` does not work: the label points at a combobox
 * input, the options open in a popup at the end of <body>, each an `.ant-select-item-option` titled
 * with its text. The app's main menu is an antd Menu: its screens are menuitems, not buttons.
 * jsdom tests have the same helpers in renderer/testing/antd.ts.
 */
import type { Locator, Page } from 'playwright-core';

/** The popup of the Select whose combobox is `combobox` (antd ties them by the listbox id). */
async function openPopup(page: Page, combobox: Locator): Promise<Locator> {
  await combobox.click();
  const id = await combobox.getAttribute('id');
  // The a11y listbox `${id}_list` and the visible options share the popup element.
  const popup = id ? page.locator(`[id="${id}_list"]`).locator('xpath=..') : page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await popup.waitFor();
  return popup;
}

/** Chooses `optionText` in the antd Select labelled `label` (searchable lists are typed into first). */
export async function chooseOption(page: Page, label: string, optionText: string): Promise<void> {
  await chooseIn(page, page.getByLabel(label, { exact: true }), optionText);
}

/** Chooses `optionText` in the antd Select whose combobox input is `combobox`. */
export async function chooseIn(page: Page, combobox: Locator, optionText: string): Promise<void> {
  const popup = await openPopup(page, combobox);
  // Long lists are virtual: only the options near the top are rendered until the list is filtered.
  if ((await combobox.getAttribute('readonly')) === null) await combobox.fill(optionText);
  await popup.locator(`.ant-select-item-option[title="${optionText}"]`).click();
}

/** Chooses the option carrying `attribute` (e.g. `[data-sample="resident-han-male"]`) in the Select labelled `label`. */
export async function chooseOptionWhere(page: Page, label: string, attribute: string): Promise<void> {
  const popup = await openPopup(page, page.getByLabel(label, { exact: true }));
  await popup.locator(`.ant-select-item-option${attribute}`).click();
}

/** What the antd Select labelled `label` shows as chosen. */
export async function shownOption(page: Page, label: string): Promise<string | null> {
  return page.getByLabel(label, { exact: true }).locator('xpath=ancestor::*[contains(@class,"ant-select-content")][1]').getAttribute('title');
}

/** A screen's entry in the app's main menu (首页, 挂号登记, …). */
export function navItem(page: Page, name: string): Locator {
  return page.getByRole('navigation').getByRole('menuitem', { name, exact: true });
}

/** The screens the main menu offers, in order. */
export async function navItems(page: Page): Promise<string[]> {
  return page.getByRole('navigation').getByRole('menuitem').allTextContents();
}
