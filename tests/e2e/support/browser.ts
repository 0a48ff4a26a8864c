/**
 * Real Chromium for the browser E2E tests, driven by playwright-core (Playwright cannot download its
 * own browsers here). Each test gets a fresh user-data directory, so IndexedDB starts empty.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_PATH } from '../../support/system-deps.ts';

/** Flags from docs/stack.md: without the background-networking ones Chromium dials out and is refused. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The screen of the commonest clinic PC (issue 14): the E2E suite runs at this size. */
export const CLINIC_SCREEN = { width: 1366, height: 768 };

export interface BrowserSession {
  context: BrowserContext;
  userDataDir: string;
  close(): Promise<void>;
}

export async function openBrowser(options: { locale?: string } = {}): Promise<BrowserSession> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'cw-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: chromiumArgs,
    headless: true,
    locale: options.locale ?? 'zh-CN',
    viewport: CLINIC_SCREEN, // the common clinic PC: every main action must be visible at this size
  });
  return {
    context,
    userDataDir,
    async close() {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
