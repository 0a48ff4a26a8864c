/**
 * The desktop app's log: one line per event in <userData>/logs/main.log, rotated at 1 MiB (one old
 * file kept). Written by hand because it is a dozen lines and the app logs only lifecycle facts
 * (starts, crashes, restarts, error codes). Never patient data: callers pass codes and counts, and
 * as a last guard anything shaped like a resident ID number (GB 11643, 18 characters) is masked.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';

export const maxLogBytes = 1024 * 1024;

export type Logger = ((line: string) => void) & { readonly file: string };

const residentIdPattern = /\b\d{17}[\dXx]\b/g;

export function createLogger(userDataDir: string, now: () => Date = () => new Date()): Logger {
  const dir = path.join(userDataDir, 'logs');
  const file = path.join(dir, 'main.log');
  const log = (line: string) => {
    try {
      mkdirSync(dir, { recursive: true });
      try {
        if (statSync(file).size > maxLogBytes) renameSync(file, `${file}.1`);
      } catch {
        // No log yet.
      }
      appendFileSync(file, `${now().toISOString()} ${line.replace(residentIdPattern, '[id]').replace(/\s+/g, ' ')}\n`);
    } catch {
      // Logging must never take the app down.
    }
  };
  return Object.assign(log, { file });
}
