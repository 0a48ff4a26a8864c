import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const windows: Array<{ options: Record<string, unknown>; loaded: string[] }> = [];
  return {
    windows,
    gotLock: true,
    quit: vi.fn(),
    whenReady: vi.fn(() => new Promise<void>(() => undefined)),
    BrowserWindow: class {
      static getAllWindows(): unknown[] {
        return [];
      }
      webContents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
      record: { options: Record<string, unknown>; loaded: string[] };
      constructor(options: Record<string, unknown>) {
        this.record = { options, loaded: [] };
        windows.push(this.record);
      }
      once = vi.fn();
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
  session: {},
}));

const { createMainWindow, mainIpcHandlers, startMain } = await import('./main.ts');

beforeEach(() => {
  electron.windows.length = 0;
  electron.quit.mockReset();
});

describe('Electron main', () => {
  it('opens the window with the hardened preferences and the bundled UI', () => {
    createMainWindow();
    const [window] = electron.windows;
    expect(window?.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String((window?.options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
    expect(window?.loaded[0]).toMatch(/renderer[\\/]index\.html$/);
  });

  it('quits at once when another instance already runs', () => {
    electron.gotLock = false;
    startMain();
    expect(electron.quit).toHaveBeenCalled();
    expect(electron.whenReady).not.toHaveBeenCalled();
    electron.gotLock = true;
  });

  it('reports itself as the Electron shell', async () => {
    await expect(mainIpcHandlers['cw:app:info'](undefined)).resolves.toMatchObject({ shell: 'electron', name: 'Clinic Workstation' });
  });

  it('says plainly that no device service runs yet instead of pretending to list ports', async () => {
    await expect(mainIpcHandlers['cw:devices:list-ports'](undefined)).rejects.toMatchObject({ code: 'not-configured', messageZh: '设备服务未运行' });
  });
});
