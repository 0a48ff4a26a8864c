/**
 * i18next set-up. zh-CN is the default and the fallback; English is switchable. Every user-visible
 * string lives in ./locales/*.json (renderer/i18n/locales.test.ts checks both files have the same
 * keys), except error messages: those are the project's one error catalogue (core/errors/locales),
 * which the hub, the agent and the CLI use too, loaded here as the `errors` namespace.
 */
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './locales/zh-CN.json';
import en from './locales/en.json';
import { ERRORS_NAMESPACE, errorResources } from '../../core/errors/index.ts';

export const supportedLanguages = ['zh-CN', 'en'] as const;
export type Language = (typeof supportedLanguages)[number];

const languageStorageKey = 'clinic-workstation.language';

export function storedLanguage(): Language {
  const saved = globalThis.localStorage?.getItem(languageStorageKey);
  return supportedLanguages.find((l) => l === saved) ?? 'zh-CN';
}

export async function initI18n(language: Language = storedLanguage()): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'zh-CN',
    resources: {
      'zh-CN': { translation: zhCN, [ERRORS_NAMESPACE]: errorResources['zh-CN'] },
      en: { translation: en, [ERRORS_NAMESPACE]: errorResources.en },
    },
    ns: ['translation', ERRORS_NAMESPACE],
    defaultNS: 'translation',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  instance.on('languageChanged', (lng) => {
    globalThis.localStorage?.setItem(languageStorageKey, lng);
    document.documentElement.lang = lng;
  });
  document.documentElement.lang = language;
  return instance;
}
