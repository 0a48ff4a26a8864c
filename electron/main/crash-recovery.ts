/**
 * Reloads the window when its renderer dies or hangs. The local database lives in the renderer's
 * IndexedDB (RxDB on Dexie), which is on disk and survives the renderer process, so a reload loses
 * nothing that was saved; drafts are saved as the nurse types. A renderer that keeps dying would
 * reload forever, so after maxReloads within windowMs we stop and tell the user instead.
 */
export interface RecoverableWindow {
  webContents: {
    on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string; exitCode: number }) => void): unknown;
    on(event: 'unresponsive' | 'responsive', listener: () => void): unknown;
    reload(): void;
  };
  on(event: 'unresponsive' | 'responsive', listener: () => void): unknown;
  isDestroyed(): boolean;
}

export interface CrashRecoveryOptions {
  maxReloads?: number;
  windowMs?: number;
  /** How long a hung renderer gets to answer again before it is reloaded. */
  unresponsiveGraceMs?: number;
  log?: (line: string) => void;
  /** Called once when the reload limit is reached. */
  onGiveUp?: () => void;
  now?: () => number;
}

export function installCrashRecovery(window: RecoverableWindow, options: CrashRecoveryOptions = {}): void {
  const { maxReloads = 3, windowMs = 60_000, unresponsiveGraceMs = 10_000, log = () => undefined, onGiveUp = () => undefined, now = Date.now } = options;
  let reloads: number[] = [];
  let gaveUp = false;
  let hangTimer: ReturnType<typeof setTimeout> | undefined;

  const reload = (why: string) => {
    if (window.isDestroyed() || gaveUp) return;
    const t = now();
    reloads = reloads.filter((at) => t - at < windowMs);
    if (reloads.length >= maxReloads) {
      gaveUp = true;
      log(`renderer ${why}; ${maxReloads} reloads within ${windowMs / 1000} s, not reloading again`);
      onGiveUp();
      return;
    }
    reloads.push(t);
    log(`renderer ${why}; reloading (${reloads.length}/${maxReloads})`);
    window.webContents.reload();
  };

  window.webContents.on('render-process-gone', (_event, details) => {
    // 'clean-exit' is the window closing normally, not a crash.
    if (details.reason === 'clean-exit') return;
    reload(`gone (${details.reason}, exit code ${details.exitCode})`);
  });
  window.on('unresponsive', () => {
    clearTimeout(hangTimer);
    hangTimer = setTimeout(() => reload('unresponsive'), unresponsiveGraceMs);
  });
  window.on('responsive', () => clearTimeout(hangTimer));
}
