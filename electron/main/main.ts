/**
 * Electron main: wiring only (style.md, "Main is wiring"). One instance, one hardened window that
 * remembers its place and recovers from renderer crashes, a Chinese menu, a log in the user data
 * folder, and the validated IPC relay to the device host (a utilityProcess; see device-host.ts).
 * No parsing, no database, no drivers here.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, screen, session, shell, utilityProcess } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { deviceEventChannel } from '../../core/contract/ipc.ts';
import type { AppInfo, DeviceEvent } from '../../core/contract/workstation-api.ts';
import { installCrashRecovery } from './crash-recovery.ts';
import { DeviceHost, type HostSocket } from './device-host.ts';
import { registerIpcHandlers, type IpcBackend } from './ipc.ts';
import { createLogger, type Logger } from './log.ts';
import { applicationMenuTemplate } from './menu.ts';
import { installNavigationGuards, installSessionSecurity, isAppUrl, secureWebPreferences } from './security.ts';
import { loadWindowState, rememberWindowState } from './window-state.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Set by the dev launcher to the UI server; packaged builds load the UI from disk. */
const devServerUrl = process.env.CLINIC_WORKSTATION_DEV_URL;
export const appOrigin = devServerUrl ? new URL(devServerUrl).origin : 'file://';
export const productNameZh = '乡镇卫生院工作站';

export function appInfo(): AppInfo {
  return {
    name: app.getName(),
    version: app.getVersion(),
    shell: 'electron',
    demo: process.env.CLINIC_WORKSTATION_DEMO === '1',
    hubUrl: process.env.CLINIC_WORKSTATION_HUB_URL ?? '',
  };
}

/** Pushes a device event to every window showing the app (never to a foreign page). */
export function broadcastDeviceEvent(event: DeviceEvent): void {
  for (const window of BrowserWindow.getAllWindows()) {
    const contents = window.webContents;
    if (!window.isDestroyed() && isAppUrl(contents.getURL(), appOrigin)) contents.send(deviceEventChannel, event);
  }
}

export function createDeviceHost(userDataDir: string, log: (line: string) => void): DeviceHost {
  return new DeviceHost({
    spawn: () => {
      const child = utilityProcess.fork(path.join(here, 'device-host.js'), [], {
        serviceName: 'Clinic Workstation device host',
        env: { ...process.env, CLINIC_WORKSTATION_DEVICE_CONFIG_DIR: path.join(userDataDir, 'devices') },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      // The agent prints nothing itself; stderr carries only an uncaught error's stack (DeviceError
      // details never hold patient data), which is what support needs after a crash.
      child.stderr?.on('data', (chunk: unknown) => log(`device host stderr: ${String(chunk).slice(0, 2000)}`));
      return child;
    },
    connect: (url) => new WebSocket(url) as unknown as HostSocket,
    onEvent: broadcastDeviceEvent,
    log,
  });
}

export function createIpcBackend(host: Pick<DeviceHost, 'call'>): IpcBackend {
  return { appOrigin, appInfo, relay: (method, params) => host.call(method, params) };
}

export function createMainWindow(userDataDir: string, log: (line: string) => void): BrowserWindow {
  const { maximized, ...bounds } = loadWindowState(userDataDir, screen.getAllDisplays().map((d) => d.workArea));
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: productNameZh,
    webPreferences: {
      ...secureWebPreferences(path.join(here, '../preload/preload.cjs')),
      // The preload offers the simulator controls only in demo mode (it cannot ask main synchronously).
      additionalArguments: appInfo().demo ? ['--cw-demo'] : [],
    },
  });
  installNavigationGuards(window.webContents, appOrigin);
  rememberWindowState(window, userDataDir, log);
  installCrashRecovery(window, {
    log,
    onGiveUp: () => dialog.showErrorBox(productNameZh, '界面多次异常退出，请关闭后重新打开工作站。已保存的数据不会丢失。'),
  });
  window.once('ready-to-show', () => {
    if (maximized) window.maximize();
    window.show();
  });
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(path.join(here, '../renderer/index.html'));
  return window;
}

function installMenu(log: Logger): void {
  const template = applicationMenuTemplate({
    isPackaged: app.isPackaged,
    productName: productNameZh,
    version: app.getVersion(),
    showAbout: () =>
      void dialog.showMessageBox({ type: 'info', title: `关于${productNameZh}`, message: `${productNameZh}\nClinic Workstation ${app.getVersion()}`, buttons: ['确定'] }),
    openLogFolder: () => void shell.openPath(path.dirname(log.file)),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
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
    const userDataDir = app.getPath('userData');
    const log = createLogger(userDataDir);
    log(`start ${app.getName()} ${app.getVersion()} (packaged: ${app.isPackaged})`);
    installSessionSecurity(session.defaultSession);
    installMenu(log);
    const host = createDeviceHost(userDataDir, log);
    host.start();
    app.on('before-quit', () => host.stop());
    registerIpcHandlers(ipcMain, createIpcBackend(host));
    createMainWindow(userDataDir, log);
  });
}
