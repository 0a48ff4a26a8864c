import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, maxLogBytes } from './log.ts';

const makeDir = () => mkdtempSync(path.join(tmpdir(), 'cw-log-'));

describe('main log', () => {
  it('writes timestamped lines to logs/main.log in the user data folder', () => {
    const dir = makeDir();
    const log = createLogger(dir, () => new Date('2026-01-02T03:04:05Z'));
    log('device host ready');
    expect(log.file).toBe(path.join(dir, 'logs', 'main.log'));
    expect(readFileSync(log.file, 'utf8')).toBe('2026-01-02T03:04:05.000Z device host ready\n');
  });

  it('masks anything shaped like a resident ID number and keeps one line per entry', () => {
    const log = createLogger(makeDir());
    log('oops 11010519491231002X\nsecond line');
    const text = readFileSync(log.file, 'utf8');
    expect(text).not.toContain('11010519491231002X');
    expect(text.trim().split('\n')).toHaveLength(1);
  });

  it('rotates the file once it passes 1 MiB, keeping one old file', () => {
    const dir = makeDir();
    mkdirSync(path.join(dir, 'logs'));
    writeFileSync(path.join(dir, 'logs', 'main.log'), 'x'.repeat(maxLogBytes + 1));
    const log = createLogger(dir);
    log('after rotation');
    expect(existsSync(`${log.file}.1`)).toBe(true);
    expect(readFileSync(log.file, 'utf8')).toMatch(/after rotation\n$/);
  });
});
