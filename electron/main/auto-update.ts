/**
 * Automatic updates, off unless the workstation's settings turn them on (an administrator's
 * decision: a clinic PC must not change under a nurse without the county IT planning it).
 *
 * When on, electron-updater reads the feed that electron-builder wrote into the package
 * (app-update.yml, from `publish` in build/electron-builder.config.ts: a generic HTTPS folder the
 * county IT serves), downloads a newer signed release in the background and installs it when the
 * app quits. electron-updater is loaded only then, so with updates off it is never even imported.
 * Changing the setting takes effect at the next start.
 */
import type { WorkstationSettings } from '../../core/contract/workstation-api.ts';

/** The part of electron-updater's AppUpdater used here. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  logger: { info(message?: unknown): void; warn(message?: unknown): void; error(message?: unknown): void } | null;
  checkForUpdates(): Promise<unknown>;
}

/** Every six hours: a clinic PC may run for days without a restart. */
export const updateCheckIntervalMs = 6 * 60 * 60 * 1000;

export type AutoUpdateState = 'off' | 'not-packaged' | 'on';

export interface AutoUpdateOptions {
  isPackaged: boolean;
  log: (line: string) => void;
  loadUpdater?: () => Promise<Updater>;
  setInterval?: (run: () => void, ms: number) => { unref?(): void };
}

const loadElectronUpdater = async (): Promise<Updater> => {
  // CommonJS, with autoUpdater behind a getter that Node's ESM loader does not list as a named
  // export: it is reached through the default export (module.exports) in the built ESM main.
  const loaded = (await import('electron-updater')) as unknown as { default?: { autoUpdater?: Updater }; autoUpdater?: Updater };
  const updater = loaded.default?.autoUpdater ?? loaded.autoUpdater;
  if (!updater) throw new Error('electron-updater has no autoUpdater');
  return updater;
};

export async function startAutoUpdate(settings: Pick<WorkstationSettings, 'autoUpdate'>, options: AutoUpdateOptions): Promise<AutoUpdateState> {
  if (!settings.autoUpdate) return 'off';
  // An unpackaged app has no app-update.yml and nothing to replace.
  if (!options.isPackaged) {
    options.log('auto-update: enabled in settings but the app is not packaged; not checking');
    return 'not-packaged';
  }
  const { log } = options;
  const updater = await (options.loadUpdater ?? loadElectronUpdater)();
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  const line = (level: string) => (message?: unknown) => log(`auto-update ${level}: ${String(message).slice(0, 500)}`);
  updater.logger = { info: line('info'), warn: line('warn'), error: line('error') };
  const check = () => void updater.checkForUpdates().catch((error: unknown) => log(`auto-update: check failed: ${error instanceof Error ? error.message : String(error)}`));
  check();
  (options.setInterval ?? setInterval)(check, updateCheckIntervalMs).unref?.();
  return 'on';
}
