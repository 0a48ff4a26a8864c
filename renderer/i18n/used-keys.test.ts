/**
 * Every message key the renderer names literally — t('registration.saved'), { key: '…' } in form
 * rules — exists in the zh-CN file (locales.test.ts then holds en to the same keys), so no screen
 * shows a raw key. Keys built at run time (t(`nav.${screen}`)) are not seen here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import zhCN from './locales/zh-CN.json';

const rendererRoot = path.resolve(import.meta.dirname, '..');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });

const has = (key: string) => {
  const value = key.split('.').reduce<unknown>((o, part) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[part] : undefined), zhCN);
  // An object is a group read whole with { returnObjects: true }.
  return typeof value === 'string' || (typeof value === 'object' && value !== null);
};

describe('renderer message keys', () => {
  it('name only keys the locale files have', () => {
    const used = new Map<string, string>();
    for (const file of sources(rendererRoot)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([A-Za-z][\w-]*(?:\.[\w-]+)+)'/g)) used.set(m[1]!, path.relative(rendererRoot, file));
      for (const m of text.matchAll(/\bkey: '([A-Za-z][\w-]*(?:\.[\w-]+)+)'/g)) used.set(m[1]!, path.relative(rendererRoot, file));
    }
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter(([key]) => !has(key)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });
});
