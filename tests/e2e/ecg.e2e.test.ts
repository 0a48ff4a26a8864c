/**
 * The doctor's ECG in real Chromium against the demo stack: a patient registered from a simulated
 * ID card, the simulated ECG front end connected through the device agent's WebSocket, the live
 * view drawing, an electrode detached and reattached, 10 s recorded and measured, saved to the
 * visit (DICOM bytes sealed in IndexedDB under their SHA-256, the EcgStudy in the records), printed, and
 * the study shown in the doctor's visit history.
 */
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { openBlobStore } from '../../sync/client/blob-store.ts';
import type { browserStorage, createLocalDatabase } from '../../sync/client/database.ts';
import type { newDataKey } from '../../sync/client/local-data-key.ts';
import { requireSystemDependency } from '../support/system-deps.ts';
import { saveScreen } from './support/screens.ts';
import { expectInViewport } from './support/viewport.ts';
import { useFreshDemo } from './support/fresh-demo.ts';
import { ConsultationPage } from './page-models/consultation-page.ts';
import { EcgPage } from './page-models/ecg-page.ts';
import { RegistrationPage } from './page-models/registration-page.ts';

/** What the bundled page exposes to the blob-store test. */
interface BlobTestApi {
  openBlobStore: typeof openBlobStore;
  browserStorage: typeof browserStorage;
  createLocalDatabase: typeof createLocalDatabase;
  newDataKey: typeof newDataKey;
}

/** The demo agent's first sample card (devices/id-card/samples.ts): an invented person. */
const SAMPLE = { id: 'resident-han-male', name: '张建国' };
/** The demo ECG simulator's default rhythm: normal sinus at 72 /min (core/ecg/synthesis/rhythm.ts). */
const SIMULATED_RATE = 72;

describe.runIf(requireSystemDependency('chromium'))('ECG acquisition in Chromium', () => {
  const demo = useFreshDemo();

  it('connects the simulated device, draws the live leads, records 10 s, saves the study to the visit and prints it', async () => {
    const { page } = await demo.openSignedIn('doctor');

    const registration = new RegistrationPage(page);
    expect(await registration.registerSampleCard(SAMPLE)).toContain(`已保存：${SAMPLE.name}`);

    const ecg = new EcgPage(page);
    await ecg.open();
    await ecg.chooseVisit(SAMPLE.name);
    await ecg.connect();
    await expect.poll(() => ecg.liveFrames(), { timeout: 10_000 }).toBeGreaterThan(20);
    await saveScreen(page, 'ecg-live');
    // 1366×768: the capture button is on screen with the live tracing, no scrolling.
    await expectInViewport(page.getByRole('button', { name: '采集 10 秒' }), '采集 10 秒');
    expect(await ecg.inkedPixels()).toBeGreaterThan(2000);

    // An electrode comes off: shown on that electrode, and no capture until it is back.
    await ecg.detachInDemo('LA', true);
    await expect.poll(() => ecg.electrode('LA').getAttribute('data-off'), { timeout: 10_000 }).toBe('true');
    expect(await page.getByRole('button', { name: '采集 10 秒' }).isDisabled()).toBe(true);
    await ecg.detachInDemo('LA', false);
    await expect.poll(() => ecg.electrode('LA').getAttribute('data-off'), { timeout: 10_000 }).toBe('false');
    await page.locator('[data-testid="ecg-connection"][data-state="streaming"]').waitFor({ timeout: 10_000 });

    await ecg.capture();
    expect(Math.abs((await ecg.heartRate()) - SIMULATED_RATE)).toBeLessThanOrEqual(3);
    await saveScreen(page, 'ecg-review');
    // The review opens with its actions on screen beside the tracing.
    await expectInViewport(page.getByRole('button', { name: '保存到本次就诊' }), '保存到本次就诊');
    await expectInViewport(page.getByRole('button', { name: '发送远程诊断' }), '发送远程诊断');
    await expectInViewport(page.getByTestId('ecg-review-canvas'), 'the recorded tracing');
    expect(await ecg.hints().textContent()).toContain('机器提示，需医生确认');
    expect(await page.getByTestId('caliper-reading').textContent()).toMatch(/^Δt \d+ ms · \d+ 次\/分$/);

    await ecg.setUrgent('胸痛 1 小时');
    expect(await ecg.save()).toBe(`已保存：${SAMPLE.name} 的心电图已存入本次就诊`);

    // The DICOM file is in IndexedDB under its own SHA-256, waiting for upload, sealed: neither the
    // DICOM preamble nor the patient's name is on disk (docs/security-local-data.md §4).
    const stored = await page.evaluate(async (name) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('clinic-workstation-blobs');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      const all = await new Promise<Array<{ sha256: string; sealed?: Uint8Array; bytes?: Uint8Array; uploadedAt: string | null }>>((resolve, reject) => {
        const request = db.transaction('blobs').objectStore('blobs').getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      db.close();
      const text = (b: Uint8Array | undefined) => (b ? new TextDecoder('latin1').decode(b) : '');
      const utf8Name = text(new TextEncoder().encode(name));
      return all.map((b) => ({
        key: b.sha256,
        clearBytes: b.bytes !== undefined,
        sealedBytes: b.sealed?.length ?? 0,
        dicm: text(b.sealed).includes('DICM') || text(b.bytes).includes('DICM'),
        name: text(b.sealed).includes(utf8Name) || text(b.bytes).includes(utf8Name),
        uploadedAt: b.uploadedAt,
      }));
    }, SAMPLE.name);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.key).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]!.clearBytes).toBe(false);
    expect(stored[0]!.sealedBytes).toBeGreaterThan(10_000);
    expect(stored[0]!.dicm).toBe(false);
    expect(stored[0]!.name).toBe(false);
    expect(stored[0]!.uploadedAt).toBeNull();

    // Printing shows only the report, and it renders to an A4 landscape PDF.
    await page.emulateMedia({ media: 'print' });
    expect(await ecg.printReport().isVisible()).toBe(true);
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    expect(await ecg.printReport().textContent()).toContain(SAMPLE.name);
    const pdf = new TextDecoder('latin1').decode(await page.pdf({ preferCSSPageSize: true }));
    expect(pdf.slice(0, 5)).toBe('%PDF-');
    // The report's own page: A4 landscape, 297 × 210 mm = 841.9 × 595.3 pt.
    const [width, height] = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf)!.slice(1).map(Number);
    expect(Math.round(width!)).toBe(842);
    expect(Math.round(height!)).toBe(595);
    await page.emulateMedia({ media: 'screen' });

    const consultation = new ConsultationPage(page);
    await consultation.open();
    await consultation.openPatient(SAMPLE.name);
    await expect.poll(() => page.getByTestId('history-ecg').textContent(), { timeout: 10_000 }).toMatch(new RegExp(`心率 (${SIMULATED_RATE - 3}|${SIMULATED_RATE - 2}|${SIMULATED_RATE - 1}|${SIMULATED_RATE}|${SIMULATED_RATE + 1}|${SIMULATED_RATE + 2}|${SIMULATED_RATE + 3}) 次/分`));
  });

  it('records the rhythm the demo simulator is switched to: sinus tachycardia measures above 100 /min', async () => {
    const { page } = await demo.openSignedIn('doctor');
    const registration = new RegistrationPage(page);
    await registration.registerSampleCard(SAMPLE);

    const ecg = new EcgPage(page);
    await ecg.open();
    await ecg.chooseVisit(SAMPLE.name);
    await ecg.connect();
    await ecg.setDemoRhythm('窦性心动过速');
    await page.locator('[data-testid="ecg-connection"][data-state="streaming"]').waitFor({ timeout: 10_000 });
    await ecg.capture();
    // core/ecg/synthesis/rhythm.ts: sinus tachycardia plays at 125 /min by default.
    expect(Math.abs((await ecg.heartRate()) - 125)).toBeLessThanOrEqual(4);
  });

  it('keeps blobs sealed in IndexedDB under their SHA-256, once, refuses bytes that do not match, lists those not uploaded, and reads nothing once the records close', async () => {
    // sync/client/blob-store.ts bundled as it is, run on real IndexedDB in a page with a secure origin (crypto.subtle needs one; localhost is one).
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const bundle = await build({
      stdin: {
        contents: [
          "import { openBlobStore } from './sync/client/blob-store.ts';",
          "import { browserStorage, createLocalDatabase } from './sync/client/database.ts';",
          "import { newDataKey } from './sync/client/local-data-key.ts';",
          'window.blobTest = { openBlobStore, browserStorage, createLocalDatabase, newDataKey };',
        ].join('\n'),
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      write: false,
      format: 'iife',
      logLevel: 'error',
    });
    const page = await demo.openPage(); // no stack: the store runs on its own
    await page.route('http://localhost/blob-store-test', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blob store</title>' }));
    await page.goto('http://localhost/blob-store-test');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
    const outcome = await page.evaluate(async () => {
      const { openBlobStore, browserStorage, createLocalDatabase, newDataKey } = (window as unknown as { blobTest: BlobTestApi }).blobTest;
      const hex = async (b: Uint8Array) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>))].map((x) => x.toString(16).padStart(2, '0')).join('');
      const dataKey = newDataKey();
      const openRecords = () => createLocalDatabase({ name: 'blob-store-records', storage: browserStorage(), writer: { institutionId: 'chengguan', role: 'clinic' }, dataKey });
      const records = await openRecords();
      const store = openBlobStore(records);
      const a = new TextEncoder().encode('first file');
      const b = new TextEncoder().encode('second file');
      const first = await store.put(a, { sha256: await hex(a), mediaType: 'application/dicom' });
      const again = await store.put(a, { sha256: await hex(a), mediaType: 'application/dicom' });
      await store.put(b, { sha256: await hex(b), mediaType: 'application/dicom' });
      let refused = '';
      try {
        await store.put(b, { sha256: await hex(a).then((h) => h.replace(/^./, h[0] === '0' ? '1' : '0')), mediaType: 'application/dicom' });
      } catch (e) {
        refused = (e as { code: string }).code;
      }
      await store.markUploaded(await hex(a));
      store.close();
      await records.close();
      let whileClosed = '';
      try {
        await store.get(await hex(b));
      } catch (e) {
        whileClosed = (e as { code: string }).code;
      }
      const reopenedRecords = await openRecords(); // sign-in again: same key, the files survive
      const reopened = openBlobStore(reopenedRecords);
      const read = await reopened.get(await hex(b));
      const result = {
        sameStoredAt: first.storedAt === again.storedAt,
        refused,
        whileClosed,
        pending: await reopened.pending(),
        bText: new TextDecoder().decode(read!.bytes),
        bHash: await hex(b),
      };
      reopened.close();
      await reopenedRecords.close();
      return result;
    });
    expect(outcome.sameStoredAt).toBe(true);
    expect(outcome.refused).toBe('blob-hash-mismatch');
    expect(outcome.whileClosed).toBe('key-required');
    expect(outcome.pending).toEqual([outcome.bHash]);
    expect(outcome.bText).toBe('second file');
  });
});
