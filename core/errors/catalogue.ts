/**
 * The error catalogue: which error codes exist, which parameters each message needs, and the words in
 * Chinese and English (./locales). One i18next instance renders them the same way in every process —
 * hub, device agent, CLI, Electron main and the renderer (whose own i18next loads the same resources
 * as its `errors` namespace). Pure: no I/O, no DOM, no Node.
 */
import i18next from 'i18next';
import { zhCN } from './locales/zh-CN.ts';
import { en } from './locales/en.ts';

export type ErrorLanguage = 'zh-CN' | 'en';
type Catalogue = typeof zhCN;
export type ErrorFamily = keyof Catalogue;

/** Every code as `family.code`, e.g. 'device.timeout', 'hub.forbidden', 'offlineLogin.grant-expired'. */
export type ErrorKey = { [F in ErrorFamily]: `${F}.${keyof Catalogue[F] & string}` }[ErrorFamily];
/** The codes of one family, without the family: DeviceError's 'timeout', HubError's 'forbidden'. */
export type ErrorCodeOf<F extends ErrorFamily> = keyof Catalogue[F] & string;

type Placeholders<S> = S extends `${string}{{${infer Name}}}${infer Rest}` ? Name | Placeholders<Rest> : never;
type MessageOf<L, K extends ErrorKey> = K extends `${infer F}.${infer C}` ? (F extends keyof L ? (C extends keyof L[F] ? L[F][C] : never) : never) : never;
/** The parameter names a message uses in either language. */
export type ErrorParamName<K extends ErrorKey> = Placeholders<MessageOf<Catalogue, K>> | Placeholders<MessageOf<typeof en, K>>;
export type ErrorParamValue = string | number;
export type ErrorParams = Readonly<Record<string, ErrorParamValue>>;
/** What a key's messages need: nothing, or every `{{name}}` they use. */
export type ErrorParamsOf<K extends ErrorKey> = [ErrorParamName<K>] extends [never] ? Record<string, never> : Readonly<Record<ErrorParamName<K>, ErrorParamValue>>;

/** The i18next resources of the `errors` namespace, for any i18next instance that shows errors. */
export const errorResources = { 'zh-CN': zhCN, en } as const;
export const ERRORS_NAMESPACE = 'errors';

const translator = i18next.createInstance();
void translator.init({
  resources: { 'zh-CN': { [ERRORS_NAMESPACE]: zhCN }, en: { [ERRORS_NAMESPACE]: en } },
  lng: 'zh-CN',
  fallbackLng: 'zh-CN',
  ns: [ERRORS_NAMESPACE],
  defaultNS: ERRORS_NAMESPACE,
  // Resources are in memory: initialise now, so the first error thrown already has its words.
  initAsync: false,
  // Messages are plain text; a UI that renders HTML escapes them itself (React does).
  interpolation: { escapeValue: false },
  returnNull: false,
});

const isErrorKey = (key: string): key is ErrorKey => {
  const [family, ...rest] = key.split('.');
  const table = (zhCN as Record<string, Record<string, string>>)[family ?? ''];
  return !!table && rest.length > 0 && typeof table[rest.join('.')] === 'string';
};

/** Is `key` a code of the catalogue (for keys that arrive over the wire)? */
export const isKnownErrorKey = (key: unknown): key is ErrorKey => typeof key === 'string' && isErrorKey(key);

/** One message in one language, parameters filled in. */
export function errorText(key: ErrorKey, params: ErrorParams, language: ErrorLanguage | string): string {
  const lng: ErrorLanguage = language.startsWith('en') ? 'en' : 'zh-CN';
  // i18next splits keys on '.', and codes hold no dot: 'device.bad-checksum' → errors.device['bad-checksum'].
  return translator.t(key as never, { ...params, lng }) as unknown as string;
}
