/**
 * Patient data at rest on a shared clinic PC (issue 13 item 8), in real Chromium on real IndexedDB
 * against the real hub: what the nurse registered is stored with its clinical and address fields
 * encrypted; after she signs out the app shows only the login screen and IndexedDB holds no address
 * in clear; the doctor, who never signed in on this browser, gets the records (the hub's escrow);
 * a reload comes back behind the lock screen and the password brings the records back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireSystemDependency } from '../support/system-deps.ts';
import { openBrowser, type BrowserSession } from './support/browser.ts';
import { startTestDemoStack } from './support/demo.ts';
import { DEMO_PASSWORD, openSignedIn } from './support/sign-in.ts';
import { LoginPage } from './page-models/login-page.ts';
import { RegistrationPage } from './page-models/registration-page.ts';

const SAMPLE = { id: 'resident-han-male', name: '张建国' };

/** Everything in this origin's IndexedDB, as one string: what a copied browser profile holds. */
const indexedDbDump = (page: Page) =>
  page.evaluate(async () => {
    const parts: string[] = [];
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(info.name!);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const rows = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(store, 'readonly').objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        parts.push(JSON.stringify(rows));
      }
      db.close();
    }
    return parts.join('\n');
  });

describe.runIf(requireSystemDependency('chromium'))('patient data at rest in the browser', () => {
  let browser: BrowserSession | undefined;
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await browser?.close();
    await close?.();
    browser = undefined;
    close = undefined;
  });

  it('keeps the address encrypted on disk, shows nothing after sign-out, and opens the records for a colleague and after a reload', async () => {
    const stack = await startTestDemoStack();
    close = stack.close;
    browser = await openBrowser();
    const page = await browser.context.newPage();
    await openSignedIn(page, stack.uiUrl, 'nurse');
    const registration = new RegistrationPage(page);
    await registration.open();
    await registration.placeSampleCard(SAMPLE.id);
    await registration.waitForName(SAMPLE.name);
    const address = await registration.field('住址').inputValue();
    expect(address.length).toBeGreaterThan(5);
    expect(await registration.registerAndQueue()).toContain(`已保存：${SAMPLE.name}`);

    const loginPage = new LoginPage(page);
    await loginPage.signOut();
    expect(await page.getByRole('navigation').count()).toBe(0);
    const dump = await indexedDbDump(page);
    expect(dump).toContain('gcm1.'); // the encrypted fields are there…
    expect(dump).not.toContain(address); // …and the address is not readable

    // The doctor never signed in in this browser: the hub vouches for her and she gets the records.
    await loginPage.signIn('doctor', DEMO_PASSWORD);
    await registration.open();
    expect(await registration.search('zjg')).toEqual([expect.stringContaining(SAMPLE.name)]);

    await page.reload();
    await page.getByRole('heading', { name: '屏幕已锁定' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    await loginPage.unlock(DEMO_PASSWORD);
    await page.getByRole('navigation').waitFor({ timeout: 30_000 });
    await registration.open();
    expect(await registration.search('zjg')).toEqual([expect.stringContaining(SAMPLE.name)]);
  });
});
