/**
 * The base of the project's errors: a code from the catalogue (./catalogue.ts), the parameters its
 * message needs, and the message rendered in both languages when it is raised. Families subclass it
 * (DeviceError, EcgFormatError, HubError, OfflineLoginError…) to keep their own name and short code
 * for `instanceof` and `switch`.
 *
 * One serialised shape crosses every boundary (hub HTTP body, device agent WebSocket, Electron IPC):
 * SerializedError. `message` (English) and `messageZh` travel with `key` and `params` so a receiver
 * of another version, or one that knows nothing of the catalogue, can still show the words, and one
 * that does can render them again in its own language (errorText(key, params, language)).
 */
import { z } from 'zod';
import { errorText, isKnownErrorKey, type ErrorKey, type ErrorParamName, type ErrorParams, type ErrorParamsOf } from './catalogue.ts';

export interface SerializedError {
  /** The family's own code, the one receivers switch on: 'timeout', 'auth-invalid', 'SCP_BAD_CRC'. */
  code: string;
  /** The catalogue key of the message: 'device.timeout', 'hub.workstation-revoked'. */
  key?: string | undefined;
  params?: ErrorParams | undefined;
  /** English, without the detail (a receiver adds it where it shows details). */
  message: string;
  messageZh: string;
  /** Technical detail in English for logs and support (a status byte, a section); never patient data. */
  detail?: string | undefined;
}

export const serializedErrorSchema = z.object({
  code: z.string().max(64),
  key: z.string().max(128).optional(),
  params: z.record(z.string().max(64), z.union([z.string().max(500), z.number()])).optional(),
  message: z.string().max(2000),
  messageZh: z.string().max(2000),
  detail: z.string().max(2000).nullish(),
});

export interface CodedErrorOptions {
  cause?: unknown;
  detail?: string | undefined;
  /**
   * Words that arrived from elsewhere and say more than the catalogue's (the hub's own message,
   * relayed). Not for new messages: those go into the catalogue.
   */
  text?: { zh: string; en: string } | undefined;
  /**
   * The code receivers switch on, when it is not the key's own: a protocol code under which the key
   * says a more precise reason (the hub's 'auth-invalid' for 'hub.user-disabled').
   */
  code?: string | undefined;
}

/** The arguments after the key: parameters when its message has `{{…}}`, then options. */
export type CodedErrorArgs<K extends ErrorKey> = [ErrorParamName<K>] extends [never]
  ? [params?: ErrorParamsOf<K>, options?: CodedErrorOptions]
  : [params: ErrorParamsOf<K>, options?: CodedErrorOptions];

/**
 * How a technical detail joins the message. 'english': in brackets after `message` only, the line a
 * log or an engineer reads; messageZh/messageEn, what a nurse reads, stay the catalogue's words.
 * 'both': after a colon in every message, for errors whose reader can act on the detail (the
 * section of a file).
 */
export type DetailStyle = 'english' | 'both';

export class CodedError<K extends ErrorKey = ErrorKey> extends Error {
  static readonly detailStyle: DetailStyle = 'english';
  override readonly name: string = 'CodedError';
  readonly key: K;
  /** The code within the family (the key without the family). */
  readonly code: string;
  readonly params: ErrorParams;
  readonly detail: string | undefined;
  readonly messageZh: string;
  readonly messageEn: string;
  /** The catalogue's words (or relayed ones) before the detail was added: what the wire carries. */
  readonly #words: { zh: string; en: string };

  constructor(key: K, ...[params, options]: CodedErrorArgs<K>) {
    const values: ErrorParams = params ?? {};
    const detail = options?.detail;
    const words = options?.text ?? { zh: errorText(key, values, 'zh-CN'), en: errorText(key, values, 'en') };
    const style = (new.target as typeof CodedError).detailStyle;
    const en = detail ? withDetail(words.en, detail, 'en', style) : words.en;
    super(en, options?.cause === undefined ? undefined : { cause: options.cause });
    this.key = key;
    this.code = options?.code ?? key.slice(key.indexOf('.') + 1);
    this.params = values;
    this.#words = words;
    this.detail = detail;
    // What a person reads: the words, and the detail too where it is said in both languages.
    this.messageEn = detail && style === 'both' ? en : words.en;
    this.messageZh = detail && style === 'both' ? withDetail(words.zh, detail, 'zh-CN', style) : words.zh;
  }

  /** The one wire shape (see SerializedError). JSON.stringify calls it. */
  toJSON(): SerializedError {
    return {
      code: this.code,
      key: this.key,
      ...(Object.keys(this.params).length > 0 ? { params: this.params } : {}),
      message: this.#words.en,
      messageZh: this.#words.zh,
      ...(this.detail !== undefined ? { detail: this.detail } : {}),
    };
  }
}

function withDetail(text: string, detail: string, language: 'zh-CN' | 'en', style: DetailStyle): string {
  if (style === 'both') return language === 'en' ? `${text}: ${detail}` : `${text}：${detail}`;
  return language === 'en' ? `${text} (${detail})` : text;
}

export const isCodedError = (e: unknown): e is CodedError => e instanceof CodedError;

/** What raises again, on this side, an error that arrived in the wire shape (see relayed). */
export interface RelayedError {
  key: ErrorKey;
  params: ErrorParams;
  options: CodedErrorOptions;
}

/**
 * An error that arrived in the one wire shape, to raise again here: under its own key and parameters
 * when this catalogue knows the key, else under `fallback`; with its code, words and detail as they
 * arrived (a sender of another version may say more than this side's catalogue). A subclass passes it
 * on: `super(r.key, r.params as never, r.options)`.
 */
export function relayed(error: Omit<SerializedError, 'detail'> & { detail?: string | null | undefined }, fallback: ErrorKey): RelayedError {
  return {
    key: isKnownErrorKey(error.key) ? error.key : fallback,
    params: error.params ?? {},
    options: { code: error.code, text: { zh: error.messageZh, en: error.message }, detail: error.detail ?? undefined },
  };
}
