/**
 * Patient data at rest on a shared clinic PC (issue 13 item 8), in real Chromium on real IndexedDB
 * against the real hub: what the nurse registered is stored with its clinical and address fields
 * encrypted; after she signs out the app shows only the login screen and IndexedDB holds no address
 * in clear; the doctor, who never signed in on this browser, gets the records (the hub's escrow);
 * a reload comes back behind the lock screen and the password brings the records back. A DICOM file
 * an older version left clear in the blob store is sealed at the first sign-in: neither the DICOM
 * preamble nor the patient's name stays readable in IndexedDB.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { requireSystemDependency } from '../support/system-deps.ts';
import { useFreshDemo } from './support/fresh-demo.ts';
import { DEMO_PASSWORD } from './support/sign-in.ts';
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

/** The blob store's rows (sync/client/blob-store.ts) as bytes, each looked through for a DICOM preamble and a name. */
const blobRows = (page: Page, name: string) =>
  page.evaluate(async (patientName) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('clinic-workstation-blobs');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const rows = await new Promise<Array<{ sha256: string; sealed?: Uint8Array; bytes?: Uint8Array }>>((resolve, reject) => {
      const request = db.transaction('blobs', 'readonly').objectStore('blobs').getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    const latin1 = (b: Uint8Array | undefined) => (b ? new TextDecoder('latin1').decode(b) : '');
    const nameBytes = latin1(new TextEncoder().encode(patientName));
    return rows.map((r) => {
      const onDisk = latin1(r.sealed) + latin1(r.bytes);
      return { sha256: r.sha256, clear: r.bytes !== undefined, dicm: onDisk.includes('DICM'), name: onDisk.includes(nameBytes) };
    });
  }, name);

/** What an older version kept for an unsent ECG: the file's bytes in clear, under its SHA-256. */
const plantClearDicom = (page: Page, name: string) =>
  page.evaluate(async (patientName) => {
    const bytes = new Uint8Array([...new Uint8Array(128), ...new TextEncoder().encode('DICM'), ...new TextEncoder().encode(`PN ${patientName}`)]);
    const sha256 = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((x) => x.toString(16).padStart(2, '0')).join('');
    // Created as the older version's Dexie database was (its version 1 is IndexedDB version 10).
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('clinic-workstation-blobs', 10);
      request.onupgradeneeded = () => request.result.createObjectStore('blobs', { keyPath: 'sha256' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('blobs', 'readwrite');
      tx.objectStore('blobs').put({ sha256, bytes, sizeBytes: bytes.length, mediaType: 'application/dicom', storedAt: new Date().toISOString(), uploadedAt: null });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
    return sha256;
  }, name);

describe.runIf(requireSystemDependency('chromium'))('patient data at rest in the browser', () => {
  const demo = useFreshDemo();

  it('keeps the address encrypted on disk, shows nothing after sign-out, and opens the records for a colleague and after a reload', async () => {
    const { stack, page } = await demo.open();
    await page.goto(stack.uiUrl);
    const loginPage = new LoginPage(page);
    await loginPage.waitForScreen();
    // An unsent ECG file as an older version left it: clear, headers included.
    const planted = await plantClearDicom(page, SAMPLE.name);
    expect(await blobRows(page, SAMPLE.name)).toEqual([{ sha256: planted, clear: true, dicm: true, name: true }]);
    await loginPage.signIn('nurse', DEMO_PASSWORD);
    // The first sign-in after the update sealed it: same hash, nothing of it readable on disk.
    await expect.poll(() => blobRows(page, SAMPLE.name), { timeout: 10_000 }).toEqual([{ sha256: planted, clear: false, dicm: false, name: false }]);

    const registration = new RegistrationPage(page);
    await registration.open();
    await registration.placeSampleCard(SAMPLE.id);
    await registration.waitForName(SAMPLE.name);
    const address = await registration.field('住址').inputValue();
    expect(address.length).toBeGreaterThan(5);
    expect(await registration.registerAndQueue()).toContain(`已保存：${SAMPLE.name}`);

    await loginPage.signOut();
    expect(await page.getByRole('navigation').count()).toBe(0);
    const dump = await indexedDbDump(page);
    expect(dump).toContain('gcm1.'); // the encrypted fields are there…
    expect(dump).not.toContain(address); // …and the address is not readable

    expect(await blobRows(page, SAMPLE.name)).toEqual([{ sha256: planted, clear: false, dicm: false, name: false }]);

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
