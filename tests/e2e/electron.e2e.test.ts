/**
 * The desktop app end to end, through Playwright's Electron support. No Electron binary can be
 * downloaded on the development and CI machines of this project (docs/stack.md), so this suite runs
 * wherever the binary exists (a clinic PC build machine) and says plainly, once, when it cannot.
 * Everything it needs is built here; the browser-mode suites cover the UI on machines without it.
 * Each launch gets its own user data folder (window state, logs, device assignments, IndexedDB).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { electronBinary } from '../../build/demo/electron-binary.ts';
import { projectRoot } from '../../build/demo/renderer-build.ts';
import { buildElectron } from '../../build/scripts/build-electron.ts';
import { RegistrationPage } from './page-models/registration-page.ts';
import { LoginPage } from './page-models/login-page.ts';
import { DEMO_PASSWORD } from './support/sign-in.ts';
import { startHub } from '../../sync/hub/start.ts';
import { writeDicomEcg } from '../../core/ecg/formats/index.ts';
import { synthesizeEcg } from '../../core/ecg/synthesis/index.ts';

/** The demo agent's first sample card (devices/id-card/samples.ts): an invented person. */
const SAMPLE = { id: 'resident-han-male', name: '张建国' };

const binary = electronBinary();
if (!binary) {
  console.warn(
    '[not run] Electron end-to-end: no Electron binary on this machine (node_modules/electron/dist is missing; ' +
      'it cannot be downloaded here). The browser-mode E2E suites cover the UI; run this where Electron is installed.',
  );
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function launchDemo(extraArgs: string[] = []): Promise<{ app: ElectronApplication; userDataDir: string }> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'cw-electron-'));
  cleanups.push(() => rm(userDataDir, { recursive: true, force: true }));
  // The demo hub the window signs in with (in memory; the demo workstation is pre-enrolled).
  const hub = await startHub({ port: 0, host: '127.0.0.1', demo: true, logLevel: 'warn' });
  cleanups.push(() => hub.close());
  const app = await electron.launch({
    executablePath: binary,
    args: [projectRoot, `--user-data-dir=${userDataDir}`, ...extraArgs],
    env: { ...process.env, CLINIC_WORKSTATION_DEMO: '1', CLINIC_WORKSTATION_HUB_URL: hub.url },
  });
  cleanups.push(() => app.close().catch(() => undefined));
  return { app, userDataDir };
}

describe.runIf(binary !== undefined)('desktop app in Electron', () => {
  beforeAll(async () => {
    await buildElectron(() => undefined);
  }, 180_000);

  it('opens one hardened window on the Chinese home screen, with only window.workstation exposed', async () => {
    const { app } = await launchDemo();
    const window = await app.firstWindow();
    const title = window.getByRole('heading', { level: 1 });
    await title.waitFor();
    expect(await title.textContent()).toBe('乡镇卫生院工作站');
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    const info = await window.evaluate(() => (globalThis as unknown as { workstation: { app: { info(): Promise<unknown> } } }).workstation.app.info());
    expect(info).toMatchObject({ shell: 'electron', demo: true });
    expect(await app.windows()).toHaveLength(1);
  });

  it('reads a simulated ID card into the registration form through the device host', async () => {
    const { app, userDataDir } = await launchDemo();
    const window = await app.firstWindow();
    await new LoginPage(window).signIn('doctor', DEMO_PASSWORD);
    const registration = new RegistrationPage(window);
    await registration.open();
    await registration.placeSampleCard(SAMPLE.id);
    await registration.waitForName(SAMPLE.name);
    const ports = await window.evaluate(() =>
      (globalThis as unknown as { workstation: { devices: { listPorts(): Promise<Array<{ path: string }>> } } }).workstation.devices.listPorts(),
    );
    expect(ports.map((p) => p.path)).toContain('demo:id-card');
    // The log says what happened and never who: no name from the card in it.
    const log = await readFile(path.join(userDataDir, 'logs', 'main.log'), 'utf8');
    expect(log).toContain('device host ready');
    expect(log).not.toContain(SAMPLE.name);
  });

  it('shows a DICOM ECG the app was launched with (a double-click in the file manager) on the ECG screen', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'cw-electron-ecg-'));
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    const file = path.join(folder, 'rest.dcm');
    const { recording } = synthesizeEcg({ rhythm: 'normal-sinus', heartRateBpm: 72, durationSeconds: 10, sampleRateHz: 500 });
    await writeFile(file, writeDicomEcg(recording));
    const { app } = await launchDemo([file]);
    const window = await app.firstWindow();
    await new LoginPage(window).signIn('doctor', DEMO_PASSWORD);
    await window.getByRole('heading', { name: '打开的心电图文件：rest.dcm（DICOM）' }).waitFor();
    expect(await window.getByTestId('ecg-opened-canvas').isVisible()).toBe(true);
  });

  it('remembers the window size in the user data folder', async () => {
    const { app, userDataDir } = await launchDemo();
    const window = await app.firstWindow();
    await window.getByRole('heading', { level: 1 }).waitFor();
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.setSize(1100, 700));
    await app.close();
    const state = JSON.parse(await readFile(path.join(userDataDir, 'window-state.json'), 'utf8')) as { width: number; height: number };
    expect(state).toMatchObject({ width: 1100, height: 700 });
  });
});
