import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultWindowState, loadWindowState, rememberWindowState, saveWindowState, windowStateFile, type WindowState } from './window-state.ts';

const makeDir = () => mkdtempSync(path.join(tmpdir(), 'cw-window-'));
const makeState = (overrides: Partial<WindowState> = {}): WindowState => ({ width: 1400, height: 860, x: 40, y: 30, maximized: false, ...overrides });
const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('window state memory', () => {
  it('opens a first-time workstation with the default window', () => {
    expect(loadWindowState(makeDir(), screen)).toEqual(defaultWindowState);
  });

  it('restores the size, position and maximized state saved last time, leaving no temp files', () => {
    const dir = makeDir();
    saveWindowState(dir, makeState({ maximized: true }));
    expect(loadWindowState(dir, screen)).toEqual(makeState({ maximized: true }));
    expect(readdirSync(dir)).toEqual([windowStateFile]);
  });

  it('falls back to the default window when the file is damaged or absurd', () => {
    const dir = makeDir();
    writeFileSync(path.join(dir, windowStateFile), '{"width": 14');
    expect(loadWindowState(dir, screen)).toEqual(defaultWindowState);
    writeFileSync(path.join(dir, windowStateFile), JSON.stringify(makeState({ width: 5 })));
    expect(loadWindowState(dir, screen)).toEqual(defaultWindowState);
  });

  it('drops a position that lies on a monitor no longer attached, keeping the size', () => {
    const dir = makeDir();
    saveWindowState(dir, makeState({ x: 2500, y: 100 }));
    expect(loadWindowState(dir, screen)).toEqual({ width: 1400, height: 860, maximized: false });
  });

  it('saves the normal bounds and maximized flag when the window closes', () => {
    const dir = makeDir();
    let onClose: (() => void) | undefined;
    rememberWindowState(
      { isMaximized: () => true, getNormalBounds: () => ({ x: 10.4, y: 20, width: 1300, height: 820 }), on: (_e, l) => (onClose = l) },
      dir,
    );
    onClose?.();
    expect(loadWindowState(dir, screen)).toEqual({ x: 10, y: 20, width: 1300, height: 820, maximized: true });
  });
});
