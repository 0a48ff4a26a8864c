import { describe, expect, it } from 'vitest';
import { errorText, isKnownErrorKey, type ErrorKey } from './catalogue.ts';
import { CodedError, relayed, serializedErrorSchema } from './coded-error.ts';
import { zhCN } from './locales/zh-CN.ts';
import { en } from './locales/en.ts';

type Table = Record<string, Record<string, string>>;
const keysOf = (catalogue: Table): string[] => Object.entries(catalogue).flatMap(([family, codes]) => Object.keys(codes).map((code) => `${family}.${code}`));
const messageOf = (catalogue: Table, key: string): string | undefined => {
  const [family, code] = key.split('.') as [string, string];
  return catalogue[family]?.[code];
};
const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g)].map((m) => m[1]!).sort();

describe('the error catalogue', () => {
  const keys = keysOf(zhCN);

  it('gives every code a message in both Chinese and English, and no English-only code', () => {
    expect(keys.length).toBeGreaterThan(100);
    expect(keysOf(en).sort()).toEqual([...keys].sort());
    const empty = keys.filter((k) => !messageOf(zhCN, k)?.trim() || !messageOf(en, k)?.trim());
    expect(empty).toEqual([]);
    // A Chinese message is written in Chinese, not left in English.
    const untranslated = keys.filter((k) => !/[\u4e00-\u9fff]/.test(messageOf(zhCN, k)!));
    expect(untranslated).toEqual([]);
  });

  it('fills in every parameter a message names, in both languages, when the error supplies them', () => {
    const leftOver: string[] = [];
    for (const key of keys) {
      const names = [...new Set([...placeholders(messageOf(zhCN, key)!), ...placeholders(messageOf(en, key)!)])];
      const params = Object.fromEntries(names.map((n) => [n, `«${n}»`]));
      for (const language of ['zh-CN', 'en'] as const) {
        const text = errorText(key as ErrorKey, params, language);
        if (text.includes('{{') || text === key) leftOver.push(`${language} ${key}: ${text}`);
        for (const n of placeholders(messageOf(language === 'en' ? en : zhCN, key)!)) if (!text.includes(`«${n}»`)) leftOver.push(`${language} ${key}: ${n}`);
      }
    }
    expect(leftOver).toEqual([]);
  });

  it('names parameters only where both languages could say them (a Chinese message may leave out a technical one)', () => {
    // English may carry a technical parameter the Chinese leaves out, never the other way round:
    // a Chinese-only parameter would be missing from the log line support reads.
    const chineseOnly = keys.filter((k) => placeholders(messageOf(zhCN, k)!).some((n) => !placeholders(messageOf(en, k)!).includes(n)));
    expect(chineseOnly).toEqual([]);
  });

  it('renders an error in both languages with its parameters, and serialises it to the one wire shape', () => {
    const error = new CodedError('hub.payload-over-limit', { limit: 1024 });
    expect(error.messageZh).toBe('数据过大（上限 1024 字节）');
    expect(error.message).toBe('The request is too large (limit 1024 bytes)');
    const wire = JSON.parse(JSON.stringify(error));
    expect(serializedErrorSchema.parse(wire)).toEqual({
      code: 'payload-over-limit',
      key: 'hub.payload-over-limit',
      params: { limit: 1024 },
      message: 'The request is too large (limit 1024 bytes)',
      messageZh: '数据过大（上限 1024 字节）',
    });
    // A receiver renders it again in its own language from key and params.
    expect(isKnownErrorKey(wire.key)).toBe(true);
    expect(errorText(wire.key, wire.params, 'en')).toBe(error.message);
    expect(isKnownErrorKey('hub.no-such-code')).toBe(false);
  });

  it('raises again an error that arrived on the wire: its key when known, else a fallback, with the words it came with', () => {
    const wire = JSON.parse(JSON.stringify(new CodedError('hub.payload-over-limit', { limit: 9 }, { detail: 'push' })));
    const known = relayed(wire, 'agentClient.agent-refused');
    expect(known).toMatchObject({ key: 'hub.payload-over-limit', params: { limit: 9 }, options: { code: 'payload-over-limit', detail: 'push' } });
    const again = new CodedError(known.key, known.params as never, known.options);
    expect([again.code, again.messageZh, again.message]).toEqual(['payload-over-limit', '数据过大（上限 9 字节）', 'The request is too large (limit 9 bytes) (push)']);
    const newer = relayed({ code: 'new-code', key: 'device.new-code', message: 'Something new', messageZh: '新的问题', detail: null }, 'agentClient.agent-refused');
    expect(newer).toEqual({ key: 'agentClient.agent-refused', params: {}, options: { code: 'new-code', text: { zh: '新的问题', en: 'Something new' }, detail: undefined } });
  });

  it('will not compile an error without the parameters its message names', () => {
    // The checks are the compiler's (npm run typecheck); the lines only need to exist.
    const unchecked = [
      // @ts-expect-error: 'hub.payload-over-limit' says {{limit}}
      () => new CodedError('hub.payload-over-limit'),
      // @ts-expect-error: {{limit}}, not {{size}}
      () => new CodedError('hub.payload-over-limit', { size: 1 }),
      // @ts-expect-error: no such code
      () => new CodedError('hub.no-such-code'),
    ];
    expect(unchecked).toHaveLength(3);
  });

  it('does not escape the characters of a parameter (the UI escapes when it renders)', () => {
    expect(new CodedError('general.unexpected', { detail: 'a < b & "c"' }).messageEn).toContain('a < b & "c"');
  });
});
