/**
 * Cuts the scanner's byte stream into codes with serialport's own parsers:
 * - suffix CR / CRLF: @serialport/parser-delimiter, subclassed to cap the unterminated buffer (the
 *   stock parser grows without bound when the suffix never comes);
 * - no suffix: @serialport/parser-inter-byte-timeout, a code ends after `interByteTimeoutMs` of silence.
 *   Its maxBufferSize is set one past our cap, so a packet of that size means "too long" instead of
 *   being silently split into two codes.
 * Too long → DeviceError('scan-too-long') and the rest of that code is dropped up to its end.
 * With a suffix, bytes that sit without one for `incompleteTimeoutMs` → DeviceError('scan-incomplete')
 * (usually a scanner set to another suffix), and are dropped.
 */
import { DelimiterParser } from '@serialport/parser-delimiter';
import { InterByteTimeoutParser } from '@serialport/parser-inter-byte-timeout';
import type { Transform, TransformCallback } from 'node:stream';
import { DeviceError } from '../../core/contract/device-error.ts';
import { suffixBytes, type ScannerSuffix } from './codec.ts';

export interface ScanFramerOptions {
  suffix: ScannerSuffix;
  /** With suffix 'none': silence that ends a code. */
  interByteTimeoutMs: number;
  /** Longest code accepted, in bytes. */
  maxCodeBytes: number;
  /** With a suffix: how long a started code may wait for its suffix. */
  incompleteTimeoutMs: number;
}

export interface ScanFramerHandlers {
  code(bytes: Uint8Array): void;
  error(error: DeviceError): void;
}

/** Marks, in order with the codes, that the parser dropped an over-long code's head. */
const OVERFLOW = Symbol('overflow');

class BoundedDelimiterParser extends DelimiterParser {
  constructor(
    delimiter: Uint8Array,
    private readonly maxBytes: number,
  ) {
    // Object mode on the readable side lets the overflow marker travel in order with the codes.
    super({ delimiter: Buffer.from(delimiter), readableObjectMode: true });
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, cb: TransformCallback): void {
    super._transform(chunk, encoding, (error) => {
      if (!error && this.buffer.length > this.maxBytes) {
        this.buffer = Buffer.alloc(0);
        this.push(OVERFLOW);
      }
      cb(error);
    });
  }
}

export class ScanFramer {
  readonly #parser: Transform;
  readonly #options: ScanFramerOptions;
  #discarding = false;
  #incompleteTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #onIncomplete: () => void;

  constructor(options: ScanFramerOptions, handlers: ScanFramerHandlers) {
    this.#options = options;
    this.#parser =
      options.suffix === 'none'
        ? new InterByteTimeoutParser({ interval: options.interByteTimeoutMs, maxBufferSize: options.maxCodeBytes + 1 })
        : new BoundedDelimiterParser(suffixBytes(options.suffix), options.maxCodeBytes);
    this.#parser.on('data', (packet: Buffer | typeof OVERFLOW) => {
      if (packet === OVERFLOW || packet.length > options.maxCodeBytes) {
        if (!this.#discarding) handlers.error(new DeviceError('scan-too-long', `more than ${options.maxCodeBytes} bytes`));
        this.#discarding = true;
        return;
      }
      if (this.#discarding) {
        this.#discarding = false; // the tail of the code that was too long
        return;
      }
      handlers.code(Uint8Array.from(packet));
    });
    this.#parser.on('error', (error: Error) => handlers.error(new DeviceError('bad-frame', error.message)));
    this.#onIncomplete = () => {
      const parser = this.#parser as BoundedDelimiterParser;
      if (parser.buffer.length === 0) return;
      parser.buffer = Buffer.alloc(0);
      if (this.#discarding) this.#discarding = false;
      else handlers.error(new DeviceError('scan-incomplete', `no ${options.suffix.toUpperCase()} suffix after ${options.incompleteTimeoutMs} ms`));
    };
  }

  push(chunk: Uint8Array): void {
    this.#parser.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (this.#options.suffix !== 'none') {
      clearTimeout(this.#incompleteTimer);
      this.#incompleteTimer = setTimeout(this.#onIncomplete, this.#options.incompleteTimeoutMs);
    }
  }

  dispose(): void {
    clearTimeout(this.#incompleteTimer);
    this.#parser.removeAllListeners('data');
    this.#parser.destroy();
  }
}
