/**
 * Remembers the main window's size, position and maximized state in the user data folder, so the
 * workstation opens where the nurse left it. Written atomically (temp file, fsync, rename): a power
 * cut leaves the old file or the new one. A missing or damaged file means the default window.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-write.ts';

export const windowStateFile = 'window-state.json';

const windowStateSchema = z.object({
  width: z.number().int().min(400).max(16_384),
  height: z.number().int().min(300).max(16_384),
  x: z.number().int().min(-32_768).max(32_768).optional(),
  y: z.number().int().min(-32_768).max(32_768).optional(),
  maximized: z.boolean(),
});

export type WindowState = z.infer<typeof windowStateSchema>;

export const defaultWindowState: WindowState = { width: 1280, height: 800, maximized: false };

interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function loadWindowState(userDataDir: string, displays: readonly Rectangle[] = []): WindowState {
  let state: WindowState;
  try {
    state = windowStateSchema.parse(JSON.parse(readFileSync(path.join(userDataDir, windowStateFile), 'utf8')));
  } catch {
    return { ...defaultWindowState };
  }
  // A monitor unplugged since last time must not leave the window off screen: keep the position only
  // when the window's top-left corner lies on a display that is still there.
  if (state.x !== undefined && state.y !== undefined && displays.length > 0) {
    const { x, y } = state;
    const visible = displays.some((d) => x >= d.x && y >= d.y && x < d.x + d.width && y < d.y + d.height);
    if (!visible) {
      const { x: _x, y: _y, ...rest } = state;
      return rest;
    }
  }
  return state;
}

/** Synchronous on purpose: it runs from the window's 'close' event, right before the app may quit. */
export function saveWindowState(userDataDir: string, state: WindowState): void {
  const valid = windowStateSchema.parse(state);
  writeFileAtomic(path.join(userDataDir, windowStateFile), `${JSON.stringify(valid)}\n`);
}

/** The part of BrowserWindow this module reads. */
export interface StatefulWindow {
  isMaximized(): boolean;
  getNormalBounds(): Rectangle;
  on(event: 'close', listener: () => void): unknown;
}

/** Saves the state when the window closes (normal bounds, so a maximized window restores well). */
export function rememberWindowState(window: StatefulWindow, userDataDir: string, log: (line: string) => void = () => undefined): void {
  window.on('close', () => {
    const bounds = window.getNormalBounds();
    try {
      saveWindowState(userDataDir, {
        width: Math.round(bounds.width),
        height: Math.round(bounds.height),
        x: Math.round(bounds.x),
        y: Math.round(bounds.y),
        maximized: window.isMaximized(),
      });
    } catch (error) {
      log(`window state not saved: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}
