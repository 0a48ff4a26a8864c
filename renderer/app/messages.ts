import type { TFunction } from 'i18next';

/** A bilingual message from core (zod issue, device error, ID-number problem) in the UI language. */
export const inLanguage = (language: string, m: { zh?: string; en?: string; messageZh?: string; messageEn?: string; message?: string }): string =>
  language.startsWith('en') ? (m.en ?? m.messageEn ?? m.message ?? '') : (m.zh ?? m.messageZh ?? m.message ?? '');

/** The message of anything thrown below the UI, in the UI language. */
export const errorMessage = (language: string, error: unknown): string => {
  if (error && typeof error === 'object') {
    const e = error as { messageZh?: unknown; messageEn?: unknown; message?: unknown };
    if (typeof e.messageZh === 'string' && !language.startsWith('en')) return e.messageZh;
    if (typeof e.messageEn === 'string' && language.startsWith('en')) return e.messageEn;
    if (typeof e.message === 'string') return e.message;
  }
  return String(error);
};

export type Translate = TFunction;
