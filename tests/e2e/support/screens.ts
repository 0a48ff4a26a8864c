/**
 * Screenshots of the main screens for docs/screens/ (the README shows them, so a clinic director sees
 * the product before installing it). Taken only when E2E_SCREENSHOTS=1, so an ordinary test run never
 * rewrites files in the repository: `E2E_SCREENSHOTS=1 npm run test:e2e` refreshes them.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';

const screensDir = path.resolve(import.meta.dirname, '../../../docs/screens');

export async function saveScreen(page: Page, name: string): Promise<void> {
  if (process.env.E2E_SCREENSHOTS !== '1') return;
  await mkdir(screensDir, { recursive: true });
  // Animations finished (a closing antd popup was caught half-faded over the form otherwise).
  await page.screenshot({ path: path.join(screensDir, `${name}.png`), animations: 'disabled' });
}
