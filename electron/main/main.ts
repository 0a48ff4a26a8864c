/**
 * Electron main: wiring only (style.md, "Main is wiring"). One instance, one hardened window, the
 * validated IPC relay. Not here yet (issue 9): the device host in a utilityProcess, window-state
 * memory, crash recovery, the first-run wizard — until then the device channels answer that no device
 * service is running, which the renderer shows as such.
 */
import { app, BrowserWindow, ipcMain, session } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppInfo } from '../../core/contract/workstation-api.ts';
import { registerIpcHandlers, type IpcHandlers } from './ipc.ts';
import { installNavigationGuards, installSessionSecurity, secureWebPreferences } from './security.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Set by the dev launcher to the UI server; packaged builds load the UI from disk. */
const devServerUrl = process.env.CLINIC_WORKSTATION_DEV_URL;
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : 'file://';

function appInfo(): AppInfo {
  return {
    name: app.getName(),
    version: app.getVersion(),
    shell: 'electron',
    demo: process.env.CLINIC_WORKSTATION_DEMO === '1',
    hubUrl: process.env.CLINIC_WORKSTATION_HUB_URL ?? '',
  };
}

const noDeviceService = () =>
  Promise.reject(Object.assign(new Error('The device service is not running'), { code: 'not-configured', messageZh: '设备服务未运行' }));

export const mainIpcHandlers: IpcHandlers = {
  'cw:app:info': async () => appInfo(),
  'cw:devices:list-ports': noDeviceService,
  'cw:devices:list-assignments': noDeviceService,
  'cw:devices:configure': noDeviceService,
};

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    title: '乡镇卫生院工作站',
    webPreferences: secureWebPreferences(path.join(here, '../preload/preload.cjs')),
  });
  installNavigationGuards(window.webContents, appOrigin);
  window.once('ready-to-show', () => window.show());
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(path.join(here, '../renderer/index.html'));
  return window;
}

export function startMain(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  void app.whenReady().then(() => {
    installSessionSecurity(session.defaultSession);
    registerIpcHandlers(ipcMain, mainIpcHandlers, appOrigin);
    createMainWindow();
  });
}
