import { afterEach, describe, expect, it, vi } from 'vitest';
import { installCrashRecovery, type RecoverableWindow } from './crash-recovery.ts';

function makeWindow() {
  const listeners = new Map<string, (...args: unknown[]) => void>();
  const on = (event: string, listener: (...args: unknown[]) => void) => listeners.set(event, listener);
  const window = { webContents: { on, reload: vi.fn() }, on, isDestroyed: () => false };
  return {
    window: window as unknown as RecoverableWindow,
    reload: window.webContents.reload,
    fire: (event: string, ...args: unknown[]) => listeners.get(event)?.(...args),
  };
}

afterEach(() => vi.useRealTimers());

describe('renderer crash recovery', () => {
  it('reloads the window when its renderer crashes, but not when it exits cleanly', () => {
    const { window, reload, fire } = makeWindow();
    installCrashRecovery(window);
    fire('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(reload).not.toHaveBeenCalled();
    fire('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('stops reloading a renderer that keeps dying and tells the user once', () => {
    const { window, reload, fire } = makeWindow();
    let now = 0;
    const onGiveUp = vi.fn();
    installCrashRecovery(window, { maxReloads: 3, windowMs: 60_000, onGiveUp, now: () => now });
    for (let i = 0; i < 6; i++) {
      fire('render-process-gone', {}, { reason: 'oom', exitCode: 1 });
      now += 1_000;
    }
    expect(reload).toHaveBeenCalledTimes(3);
    expect(onGiveUp).toHaveBeenCalledTimes(1);
  });

  it('allows new reloads once earlier crashes are outside the window', () => {
    const { window, reload, fire } = makeWindow();
    let now = 0;
    installCrashRecovery(window, { maxReloads: 2, windowMs: 10_000, now: () => now });
    fire('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    fire('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    now = 20_000;
    fire('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    expect(reload).toHaveBeenCalledTimes(3);
  });

  it('reloads a hung window after a grace period unless it answers again', () => {
    vi.useFakeTimers();
    const { window, reload, fire } = makeWindow();
    installCrashRecovery(window, { unresponsiveGraceMs: 5_000 });
    fire('unresponsive');
    vi.advanceTimersByTime(3_000);
    fire('responsive');
    vi.advanceTimersByTime(10_000);
    expect(reload).not.toHaveBeenCalled();
    fire('unresponsive');
    vi.advanceTimersByTime(5_001);
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
