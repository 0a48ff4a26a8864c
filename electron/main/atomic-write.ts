/**
 * Writes a small file so that a power cut leaves the old content or the new, never half of each:
 * temp file, fsync, rename. Synchronous on purpose: callers run from 'close' events and IPC handlers
 * whose answer must mean "saved".
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  // 0600: settings hold the enrolment credential; nobody else on the PC needs to read them.
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
