import { describe, expect, it, vi } from 'vitest';
import { startAutoUpdate, updateCheckIntervalMs, type Updater } from './auto-update.ts';
import { defaultSettings } from '../../core/contract/settings-schema.ts';

const makeUpdater = (): Updater & { checkForUpdates: ReturnType<typeof vi.fn> } => ({
  autoDownload: false,
  autoInstallOnAppQuit: false,
  logger: null,
  checkForUpdates: vi.fn(async () => null),
});

describe('auto-update', () => {
  it('is off by default: a fresh workstation never loads the updater nor checks for updates', async () => {
    const loadUpdater = vi.fn(async () => makeUpdater());
    const setInterval = vi.fn();
    expect(defaultSettings.autoUpdate).toBe(false);
    expect(await startAutoUpdate(defaultSettings, { isPackaged: true, log: () => undefined, loadUpdater, setInterval })).toBe('off');
    expect(loadUpdater).not.toHaveBeenCalled();
    expect(setInterval).not.toHaveBeenCalled();
  });

  it('does not check from an unpackaged app even when switched on', async () => {
    const loadUpdater = vi.fn(async () => makeUpdater());
    expect(await startAutoUpdate({ autoUpdate: true }, { isPackaged: false, log: () => undefined, loadUpdater })).toBe('not-packaged');
    expect(loadUpdater).not.toHaveBeenCalled();
  });

  it('when switched on, checks at start and every six hours, installing on quit', async () => {
    const updater = makeUpdater();
    const setInterval = vi.fn(() => ({ unref: vi.fn() }));
    expect(await startAutoUpdate({ autoUpdate: true }, { isPackaged: true, log: () => undefined, loadUpdater: async () => updater, setInterval })).toBe('on');
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true });
    const [periodic, ms] = setInterval.mock.calls[0] as unknown as [() => void, number];
    expect(ms).toBe(updateCheckIntervalMs);
    periodic();
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(2);
  });

  it('logs a failed check (hub unreachable) instead of crashing', async () => {
    const updater = makeUpdater();
    updater.checkForUpdates.mockRejectedValue(new Error('net::ERR_NAME_NOT_RESOLVED'));
    const lines: string[] = [];
    await startAutoUpdate({ autoUpdate: true }, { isPackaged: true, log: (l) => lines.push(l), loadUpdater: async () => updater, setInterval: () => ({}) });
    await new Promise((r) => setTimeout(r, 0));
    expect(lines).toContain('auto-update: check failed: net::ERR_NAME_NOT_RESOLVED');
  });
});
