/**
 * The handful of web-platform globals that pure code may use. They exist with the same behaviour in
 * Node 20, Chromium and Electron, so `core/` can decode GBK text or hash a file without importing an
 * environment. Only the pure tsconfig includes this file; Node and DOM configs get the real typings.
 */
interface TextDecodeOptions {
  stream?: boolean;
}
interface TextDecoderOptions {
  fatal?: boolean;
  ignoreBOM?: boolean;
}
declare class TextDecoder {
  constructor(label?: string, options?: TextDecoderOptions);
  readonly encoding: string;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: TextDecodeOptions): string;
}
declare class TextEncoder {
  readonly encoding: string;
  encode(input?: string): Uint8Array;
}
interface UniversalSubtleCrypto {
  digest(algorithm: 'SHA-256' | 'SHA-1' | 'SHA-512', data: ArrayBufferView | ArrayBuffer): Promise<ArrayBuffer>;
}
interface UniversalCrypto {
  readonly subtle: UniversalSubtleCrypto;
  randomUUID(): string;
  getRandomValues<T extends ArrayBufferView>(array: T): T;
}
// eslint-disable-next-line no-var -- a global must be declared with var
declare var crypto: UniversalCrypto;
/** Timers: the same in Node 20, Chromium and Electron, except the handle (an object in Node, a number in browsers). */
interface UniversalTimerHandle {
  readonly __universalTimerHandle?: never;
}
declare function setTimeout(handler: () => void, timeout?: number): UniversalTimerHandle;
declare function clearTimeout(handle: UniversalTimerHandle | undefined): void;
