import { describe, expect, it } from 'vitest';
import zhCN from './locales/zh-CN.json';
import en from './locales/en.json';

const keys = (obj: object, prefix = ''): string[] =>
  Object.entries(obj).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );

describe('locale files', () => {
  it('offer every zh-CN string in English too, and nothing English-only', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it('leave no string empty in either language', () => {
    const empty = [...keys(zhCN).map((k) => ['zh-CN', k]), ...keys(en).map((k) => ['en', k])].filter(([lng, k]) => {
      const value = k!.split('.').reduce<unknown>((o, part) => (o as Record<string, unknown>)[part], lng === 'en' ? en : zhCN);
      return typeof value !== 'string' || value.trim() === '';
    });
    expect(empty).toEqual([]);
  });
});
