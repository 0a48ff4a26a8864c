/**
 * What every E2E test starts from and tears down: its own demo stack and its own Chromium (an empty
 * IndexedDB), both closed after the test whatever happened, the last opened first. `useFreshDemo()`
 * registers that tear-down (afterEach) in the describe block that calls it.
 */
import { afterEach } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from './browser.ts';
import { startTestDemoStack, type TestDemoStack } from './demo.ts';
import { openSignedIn, type DemoUsername } from './sign-in.ts';

export interface DemoPage {
  stack: TestDemoStack;
  browser: BrowserSession;
  page: Page;
}

export interface FreshDemo {
  /** A new demo stack and a new browser at the clinic's screen size, with one page open, nobody signed in. */
  open(): Promise<DemoPage>;
  /** The same, signed in through the login screen as `username`, on the home screen. */
  openSignedIn(username: DemoUsername): Promise<DemoPage>;
  /** One more browser (a second PC, the reading room), closed with the test. */
  openBrowser(): Promise<BrowserSession>;
  /** A page in one more browser, for a stack the test started itself. */
  openPage(): Promise<Page>;
  /** Anything else the test started (its own hub, a stack of its own), closed with the test. */
  onClose(close: () => Promise<unknown>): void;
}

export function useFreshDemo(): FreshDemo {
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    const failures: unknown[] = [];
    for (const close of closers.splice(0).reverse()) await close().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  });
  const demo: FreshDemo = {
    onClose: (close) => void closers.push(close),
    async openBrowser() {
      const browser = await openBrowser();
      closers.push(browser.close);
      return browser;
    },
    openPage: async () => (await demo.openBrowser()).context.newPage(),
    async open() {
      const stack = await startTestDemoStack();
      closers.push(stack.close);
      const browser = await demo.openBrowser();
      return { stack, browser, page: await browser.context.newPage() };
    },
    async openSignedIn(username) {
      const opened = await demo.open();
      await openSignedIn(opened.page, opened.stack.uiUrl, username);
      return opened;
    },
  };
  return demo;
}
