/**
 * The desktop app end to end, through Playwright's Electron support. No Electron binary can be
 * downloaded on the development and CI machines of this project (stack.md), so this suite runs
 * wherever the binary exists (a clinic PC build machine) and says plainly, once, when it cannot.
 * Everything it needs is built here; the browser-mode suites cover the UI on machines without it.
 */
import { describe, expect, it } from 'vitest';
import { _electron as electron } from 'playwright-core';
import { electronBinary } from '../../build/demo/electron-binary.ts';
import { projectRoot } from '../../build/demo/renderer-build.ts';
import { buildElectron } from '../../build/scripts/build-electron.ts';

const binary = electronBinary();
if (!binary) {
  console.warn(
    '[not run] Electron end-to-end: no Electron binary on this machine (node_modules/electron/dist is missing; ' +
      'it cannot be downloaded here). The browser-mode E2E suites cover the UI; run this where Electron is installed.',
  );
}

describe.runIf(binary !== undefined)('desktop app in Electron', () => {
  it('opens one hardened window on the Chinese home screen, with only window.workstation exposed', async () => {
    await buildElectron(() => undefined);
    const app = await electron.launch({ executablePath: binary, args: [projectRoot], env: { ...process.env, CLINIC_WORKSTATION_DEMO: '1' } });
    try {
      const window = await app.firstWindow();
      const title = window.getByRole('heading', { level: 1 });
      await title.waitFor();
      expect(await title.textContent()).toBe('乡镇卫生院工作站');
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      const info = await window.evaluate(() => (globalThis as unknown as { workstation: { app: { info(): Promise<unknown> } } }).workstation.app.info());
      expect(info).toMatchObject({ shell: 'electron', demo: true });
    } finally {
      await app.close();
    }
  });
});
