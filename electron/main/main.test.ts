import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  type WindowRecord = { options: Record<string, unknown>; loaded: string[]; url: string; sent: unknown[][] };
  const windows: WindowRecord[] = [];
  return {
    windows,
    gotLock: true,
    quit: vi.fn(),
    fork: vi.fn(),
    whenReady: vi.fn(() => new Promise<void>(() => undefined)),
    BrowserWindow: class {
      static all: unknown[] = [];
      static getAllWindows(): unknown[] {
        return this.all;
      }
      record: WindowRecord;
      webContents: Record<string, unknown>;
      constructor(options: Record<string, unknown>) {
        this.record = { options, loaded: [], url: 'file:///app/out/renderer/index.html', sent: [] };
        windows.push(this.record);
        this.webContents = {
          on: vi.fn(),
          setWindowOpenHandler: vi.fn(),
          getURL: () => this.record.url,
          send: (...args: unknown[]) => this.record.sent.push(args),
        };
      }
      on = vi.fn();
      once = vi.fn();
      maximize = vi.fn();
      show = vi.fn();
      isDestroyed = () => false;
      loadFile = vi.fn(async (file: string) => void this.record.loaded.push(file));
      loadURL = vi.fn(async (url: string) => void this.record.loaded.push(url));
    },
  };
});

vi.mock('electron', () => ({
  app: {
    requestSingleInstanceLock: () => electron.gotLock,
    quit: electron.quit,
    on: vi.fn(),
    whenReady: electron.whenReady,
    getName: () => 'Clinic Workstation',
    getVersion: () => '0.1.0',
  },
  BrowserWindow: electron.BrowserWindow,
  ipcMain: { handle: vi.fn() },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  utilityProcess: { fork: electron.fork },
  session: {},
}));

const { broadcastDeviceEvent, createDeviceHost, createIpcBackend, createMainWindow, listenForOpenedFiles, startMain } = await import('./main.ts');
const { defaultSettings } = await import('../../core/contract/settings-schema.ts');

const makeServices = (settings: Partial<typeof defaultSettings> = {}) => ({
  settings: { get: () => ({ ...defaultSettings, ...settings }), update: vi.fn() },
  files: { ready: vi.fn(() => []) },
});
const { saveWindowState } = await import('./window-state.ts');

const makeUserDataDir = () => mkdtempSync(path.join(tmpdir(), 'cw-main-'));

beforeEach(() => {
  electron.windows.length = 0;
  electron.quit.mockReset();
});

describe('Electron main', () => {
  it('opens the window with the hardened preferences and the bundled UI', () => {
    createMainWindow(makeUserDataDir(), () => undefined);
    const [window] = electron.windows;
    expect(window?.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String((window?.options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
    expect(window?.loaded[0]).toMatch(/renderer[\\/]index\.html$/);
  });

  it('opens the window at the size and place it had last time', () => {
    const dir = makeUserDataDir();
    saveWindowState(dir, { width: 1500, height: 900, x: 100, y: 50, maximized: false });
    createMainWindow(dir, () => undefined);
    expect(electron.windows[0]?.options).toMatchObject({ width: 1500, height: 900, x: 100, y: 50 });
  });

  it('opens maximized when it was maximized when last closed', () => {
    const dir = makeUserDataDir();
    saveWindowState(dir, { width: 1500, height: 900, maximized: true });
    const window = createMainWindow(dir, () => undefined) as unknown as { once: ReturnType<typeof vi.fn>; maximize: ReturnType<typeof vi.fn>; show: ReturnType<typeof vi.fn> };
    const [event, onReady] = window.once.mock.calls[0] as [string, () => void];
    expect(event).toBe('ready-to-show');
    onReady();
    expect(window.maximize).toHaveBeenCalled();
    expect(window.show).toHaveBeenCalled();
    expect(electron.windows[0]?.options).not.toHaveProperty('maximized');
  });

  it('quits at once when another instance already runs', () => {
    electron.gotLock = false;
    startMain();
    expect(electron.quit).toHaveBeenCalled();
    expect(electron.whenReady).not.toHaveBeenCalled();
    electron.gotLock = true;
  });

  it('answers app info as the Electron shell and relays device calls to the device host', async () => {
    const call = vi.fn(async () => ['port']);
    const backend = createIpcBackend({ call }, makeServices());
    expect(backend.appInfo()).toMatchObject({ shell: 'electron', name: 'Clinic Workstation' });
    await expect(backend.relay('listPorts', undefined)).resolves.toEqual(['port']);
    expect(call).toHaveBeenCalledWith('listPorts', undefined);
  });

  it('reports the hub the first-run wizard saved, and prints on the printer it chose', async () => {
    const services = makeServices({ hubUrl: 'https://hub.county.example', printerName: 'Ticket-80mm' });
    const backend = createIpcBackend({ call: vi.fn() }, services);
    const previous = process.env.CLINIC_WORKSTATION_HUB_URL;
    delete process.env.CLINIC_WORKSTATION_HUB_URL;
    try {
      expect(backend.appInfo().hubUrl).toBe('https://hub.county.example');
    } finally {
      if (previous !== undefined) process.env.CLINIC_WORKSTATION_HUB_URL = previous;
    }
    const print = vi.fn((_options: Record<string, unknown>, done: (ok: boolean, reason: string) => void) => done(true, ''));
    const sender = { getPrintersAsync: async () => [{ name: 'Ticket-80mm', displayName: '小票', description: '' }], print };
    await expect(backend.print(sender as never, { layout: 'ticket' })).resolves.toEqual({ printed: true, printerName: 'Ticket-80mm' });
    expect(print.mock.calls[0]?.[0]).toMatchObject({ silent: true, deviceName: 'Ticket-80mm' });
  });

  it('opens ECG files from macOS open-file, the launch command line and a second launch', async () => {
    const electronApp = new EventEmitter();
    const relay = { open: vi.fn(async () => ({ ok: true }) as never) };
    const opened = listenForOpenedFiles(electronApp as never, relay, ['clinic-workstation.exe', 'D:\\ECG\\launch.dcm'], true);
    expect(relay.open).toHaveBeenCalledWith('D:\\ECG\\launch.dcm');
    const preventDefault = vi.fn();
    electronApp.emit('open-file', { preventDefault }, '/Users/nurse/rest.scp');
    expect(preventDefault).toHaveBeenCalled();
    expect(relay.open).toHaveBeenCalledWith('/Users/nurse/rest.scp');
    opened.fromSecondInstance(['clinic-workstation.exe', '--allow-file-access-from-files', 'D:\\ECG\\second.scp']);
    expect(relay.open).toHaveBeenLastCalledWith('D:\\ECG\\second.scp');
    expect(relay.open).toHaveBeenCalledTimes(3);
  });

  it('stops sending opened files to a window whose page reloaded or crashed, until it listens again', () => {
    const files = { forget: vi.fn() };
    const window = createMainWindow(makeUserDataDir(), () => undefined, files) as unknown as { webContents: { on: ReturnType<typeof vi.fn> } };
    const listeners = window.webContents.on.mock.calls as [string, () => void][];
    for (const name of ['did-navigate', 'render-process-gone', 'destroyed']) {
      files.forget.mockClear();
      for (const [event, listener] of listeners) {
        if (event !== name) continue;
        try {
          listener();
        } catch {
          // Crash recovery listens on render-process-gone too, and wants a real event.
        }
      }
      expect(files.forget, name).toHaveBeenCalledWith(window.webContents);
    }
  });

  it('forks the device host as a utility process with its config in the user data folder, logging its crashes', () => {
    const dir = makeUserDataDir();
    const stderr = new EventEmitter();
    electron.fork.mockReturnValue({ on: vi.fn(), kill: vi.fn(), stderr });
    const lines: string[] = [];
    const host = createDeviceHost(dir, (line) => lines.push(line));
    host.start();
    stderr.emit('data', Buffer.from('TypeError: boom'));
    expect(lines).toContain('device host stderr: TypeError: boom');
    const [modulePath, , options] = electron.fork.mock.calls[0] as [string, string[], { env: Record<string, string> }];
    expect(modulePath).toMatch(/device-host\.js$/);
    expect(options.env.CLINIC_WORKSTATION_DEVICE_CONFIG_DIR).toBe(path.join(dir, 'devices'));
    host.stop();
  });

  it('pushes device events only to windows that show the app', () => {
    const app = new electron.BrowserWindow({});
    const foreign = new electron.BrowserWindow({});
    foreign.record.url = 'https://evil.example/';
    electron.BrowserWindow.all = [app, foreign];
    broadcastDeviceEvent({ type: 'status', kind: 'id-card', status: 'ready' });
    expect(app.record.sent).toEqual([['cw:devices:event', { type: 'status', kind: 'id-card', status: 'ready' }]]);
    expect(foreign.record.sent).toEqual([]);
    electron.BrowserWindow.all = [];
  });
});
