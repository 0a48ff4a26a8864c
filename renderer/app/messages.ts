import type { TFunction } from 'i18next';
import { errorText, type ErrorCodeOf } from '../../core/errors/index.ts';

/** A bilingual message from core (zod issue, device error, ID-number problem) in the UI language. */
export const inLanguage = (language: string, m: { zh?: string; en?: string; messageZh?: string; messageEn?: string; message?: string }): string =>
  language.startsWith('en') ? (m.en ?? m.messageEn ?? m.message ?? '') : (m.zh ?? m.messageZh ?? m.message ?? '');

type ErrorKey = ErrorCodeOf<'general'>;

/** One of the error catalogue's `general.*` messages (core/errors), with `{{detail}}` filled in. */
const phrase = (language: string, key: ErrorKey, detail = ''): string => errorText(`general.${key}`, { detail }, language);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** IndexedDB and fetch failures arrive as DOMExceptions or TypeErrors, named but not explained. */
const browserFailures: Record<string, ErrorKey> = {
  QuotaExceededError: 'quota',
  AbortError: 'localDatabase',
  InvalidStateError: 'localDatabase',
  UnknownError: 'localDatabase',
  VersionError: 'localDatabase',
  DataError: 'localDatabase',
  NotFoundError: 'localDatabase',
  NetworkError: 'network',
};

/**
 * The message of anything thrown below the UI, in the UI language, for a nurse or a doctor to act on
 * (issue 19: a storage conflict reached the screen as "[object Object]"). Understood shapes, in order:
 * bilingual errors of this project (`messageZh`/`messageEn`, `zh`/`en`), the hub's error body
 * (`{ error: { … } }`), RxDB errors (`rxdb: true` with a code) and RxDB storage write errors (plain
 * objects with `status` 409/422), zod errors (`issues`), DOMExceptions from IndexedDB and fetch,
 * AggregateErrors, plain Errors and strings. Anything else gets a generic message naming at most its
 * code or class — never its contents, which may be a patient's record.
 */
export const errorMessage = (language: string, error: unknown): string => {
  const english = language.startsWith('en');
  if (typeof error === 'string') return text(error) ?? phrase(language, 'unknown');
  if (!isObject(error)) return error === undefined || error === null ? phrase(language, 'unknown') : phrase(language, 'unexpected', String(error));

  // The project's errors pair an English `message` with `messageZh` (or carry `messageEn`, or `{ zh, en }`).
  const pairedEnglish = text(error.messageZh) ? text(error.message) : undefined;
  const bilingual = english ? (text(error.messageEn) ?? text(error.en) ?? pairedEnglish) : (text(error.messageZh) ?? text(error.zh));
  if (bilingual) return bilingual;
  if (isObject(error.error)) return errorMessage(language, error.error);
  if (error instanceof AggregateError && error.errors.length > 0) return errorMessage(language, error.errors[0]);

  const code = text(error.code);
  if (error.rxdb === true) {
    if (code === 'CONFLICT') return phrase(language, 'conflict');
    if (code?.startsWith('VD')) return phrase(language, 'validation');
    return phrase(language, 'storage', code ?? '');
  }
  if (error.isError === true && typeof error.status === 'number') {
    if (error.status === 409) return phrase(language, 'conflict');
    if (error.status === 422) return phrase(language, 'validation');
    return phrase(language, 'storage', String(error.status));
  }
  if (Array.isArray(error.issues)) {
    const pathOf = (i: unknown) => (!isObject(i) ? '' : Array.isArray(i.path) ? i.path.join('.') : (text(i.path) ?? ''));
    const fields = error.issues.map(pathOf).filter(Boolean);
    return phrase(language, 'validationFields', [...new Set(fields)].join(', ') || '—');
  }
  const name = text(error.name);
  const failure = name ? browserFailures[name] : undefined;
  if (failure) return phrase(language, failure, name);
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) return phrase(language, 'network', error.message);

  const message = text(error.message);
  // An English message from a library is what an engineer needs; the Chinese UI wraps it in advice.
  if (message) return english ? message : phrase(language, 'unexpected', message);
  const kind = code ?? name ?? (error.constructor && error.constructor !== Object ? error.constructor.name : undefined);
  return kind ? phrase(language, 'unexpected', kind) : phrase(language, 'unknown');
};

export type Translate = TFunction;
