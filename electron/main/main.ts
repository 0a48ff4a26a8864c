/**
 * Electron main: wiring only (docs/style.md, "Main is wiring"). One instance, one hardened window that
 * remembers its place and recovers from renderer crashes, a Chinese menu, a log in the user data
 * folder, the validated IPC relay to the device host (a utilityProcess; see device-host.ts), the
 * settings store, printing, ECG files opened from the OS, and auto-update (off by default).
 * No parsing, no database, no drivers here.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, screen, session, shell, utilityProcess } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { deviceEventChannel, openEcgFileChannel } from '../../core/contract/ipc.ts';
import type { AppInfo, DeviceEvent } from '../../core/contract/workstation-api.ts';
import { startAutoUpdate } from './auto-update.ts';
import { installCrashRecovery } from './crash-recovery.ts';
import { DeviceHost, type HostSocket } from './device-host.ts';
import { ecgFileExtensions, fileArgumentsOf, OpenedEcgFileRelay, type FileReceiver } from './ecg-file-open.ts';
import { registerIpcHandlers, type IpcBackend } from './ipc.ts';
import { createLogger, type Logger } from './log.ts';
import { applicationMenuTemplate } from './menu.ts';
import { installNavigationGuards, installSessionSecurity, isAppUrl, secureWebPreferences } from './security.ts';
import { listPrinters, printContents } from './printing.ts';
import { SettingsStore } from './settings-store.ts';
import { loadWindowState, rememberWindowState } from './window-state.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Set by the dev launcher to the UI server; packaged builds load the UI from disk. */
const devServerUrl = process.env.CLINIC_WORKSTATION_DEV_URL;
export const appOrigin = devServerUrl ? new URL(devServerUrl).origin : 'file://';
export const productNameZh = '乡镇卫生院工作站';

/** The hub URL comes from the settings (first-run wizard); the environment overrides it for demo and tests. */
export function appInfo(settingsHubUrl = ''): AppInfo {
  return {
    name: app.getName(),
    version: app.getVersion(),
    shell: 'electron',
    demo: process.env.CLINIC_WORKSTATION_DEMO === '1',
    hubUrl: process.env.CLINIC_WORKSTATION_HUB_URL || settingsHubUrl,
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

export interface MainServices {
  settings: Pick<SettingsStore, 'get' | 'update'>;
  files: Pick<OpenedEcgFileRelay, 'ready'>;
}

export function createIpcBackend(host: Pick<DeviceHost, 'call'>, { settings, files }: MainServices): IpcBackend {
  return {
    appOrigin,
    appInfo: () => appInfo(settings.get().hubUrl),
    relay: (method, params) => host.call(method, params),
    openEcgFileReady: (sender) => files.ready(sender),
    listPrinters: (sender) => listPrinters(sender),
    print: (sender, options) => printContents(sender, settings.get().printerName, options),
    getSettings: () => settings.get(),
    updateSettings: (patch) => settings.update(patch),
  };
}

/**
 * ECG files from the OS: macOS 'open-file' (also before the app is ready, at launch), the first
 * launch's command line, and a second launch's command line (Windows/Linux double-click while the
 * app runs). Each goes to the relay, which checks and reads it; the window comes to the front.
 */
export function listenForOpenedFiles(
  electronApp: { on(event: 'open-file', listener: (event: { preventDefault(): void }, filePath: string) => void): unknown },
  relay: Pick<OpenedEcgFileRelay, 'open'>,
  launchArgv: readonly string[],
  isPackaged: boolean,
): { fromSecondInstance(argv: readonly string[]): void } {
  electronApp.on('open-file', (event, filePath) => {
    event.preventDefault();
    void relay.open(filePath);
    focusMainWindow();
  });
  for (const file of fileArgumentsOf(launchArgv, isPackaged)) void relay.open(file);
  return { fromSecondInstance: (argv) => fileArgumentsOf(argv, isPackaged).forEach((file) => void relay.open(file)) };
}

function focusMainWindow(): void {
  const [window] = BrowserWindow.getAllWindows();
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}

export function createMainWindow(userDataDir: string, log: (line: string) => void, files?: Pick<OpenedEcgFileRelay, 'forget'>): BrowserWindow {
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
  if (files) {
    // A reloaded or crashed page has lost its listener; it says ready again when it listens.
    const receiver: FileReceiver = window.webContents;
    const forget = () => files.forget(receiver);
    window.webContents.on('did-navigate', forget);
    window.webContents.on('render-process-gone', forget);
    window.webContents.on('destroyed', forget);
  }
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

/** 文件 → 打开心电图文件…: the same checks and delivery as a double-click in the file manager. */
function chooseEcgFile(files: Pick<OpenedEcgFileRelay, 'open'>): void {
  const [window] = BrowserWindow.getAllWindows();
  const options: Electron.OpenDialogOptions = {
    title: '打开心电图文件',
    properties: ['openFile'],
    filters: [{ name: '心电图（DICOM、SCP-ECG、HL7 aECG）', extensions: Object.keys(ecgFileExtensions).map((ext) => ext.slice(1)) }],
  };
  void (window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options)).then(({ canceled, filePaths }) => {
    if (!canceled) for (const filePath of filePaths) void files.open(filePath);
  });
}

function installMenu(log: Logger, files: Pick<OpenedEcgFileRelay, 'open'>): void {
  const template = applicationMenuTemplate({
    isPackaged: app.isPackaged,
    productName: productNameZh,
    version: app.getVersion(),
    showAbout: () =>
      void dialog.showMessageBox({ type: 'info', title: `关于${productNameZh}`, message: `${productNameZh}\nClinic Workstation ${app.getVersion()}`, buttons: ['确定'] }),
    openLogFolder: () => void shell.openPath(path.dirname(log.file)),
    openEcgFile: () => chooseEcgFile(files),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

export function startMain(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  let log: Logger | undefined;
  const files = new OpenedEcgFileRelay(openEcgFileChannel, (line) => log?.(line));
  // Registered before 'ready': macOS sends the launch file's 'open-file' that early.
  const openedFiles = listenForOpenedFiles(app, files, process.argv, app.isPackaged);
  app.on('second-instance', (_event, argv) => {
    openedFiles.fromSecondInstance(argv);
    focusMainWindow();
  });
  app.on('window-all-closed', () => app.quit());
  void app.whenReady().then(() => {
    const userDataDir = app.getPath('userData');
    log = createLogger(userDataDir);
    log(`start ${app.getName()} ${app.getVersion()} (packaged: ${app.isPackaged})`);
    installSessionSecurity(session.defaultSession);
    installMenu(log, files);
    // safeStorage can be used only once the app is ready (Linux picks its keyring then).
    const settings = new SettingsStore(userDataDir, safeStorage, log);
    const host = createDeviceHost(userDataDir, log);
    host.start();
    app.on('before-quit', () => host.stop());
    registerIpcHandlers(ipcMain, createIpcBackend(host, { settings, files }));
    createMainWindow(userDataDir, log, files);
    void startAutoUpdate(settings.get(), { isPackaged: app.isPackaged, log }).catch((error: unknown) =>
      log?.(`auto-update: not started: ${error instanceof Error ? error.message : String(error)}`),
    );
  });
}
