/**
 * The serial reader framing profile (PROFILE.md) over a Transport: one request at a time, each reply
 * matched to its command, each step under its own timeout.
 */
import { DeviceError } from '../../core/contract/device-error.ts';
import type { Transport } from '../transport/transport.ts';
import { Waitress } from '../../core/async/waitress.ts';
import { encodeReaderFrame, ReaderCommand, replyPayload, type ReaderCommandCode } from './codec.ts';
import { ReaderFramer } from './framer.ts';
import type { ReaderFraming, ReaderFramingOptions } from './reader-framing.ts';

const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');

export class SerialReaderFraming implements ReaderFraming {
  readonly #framer = new ReaderFramer();
  readonly #unsubscribe: Array<() => void>;
  /** The reply awaited, under its command; one request at a time. */
  readonly #replies = new Waitress<ReaderCommandCode, Uint8Array>();

  constructor(
    private readonly transport: Transport,
    private readonly options: ReaderFramingOptions,
  ) {
    this.#unsubscribe = [
      transport.onData((chunk) => this.#receive(chunk)),
      transport.onClose((error) => this.#fail(error ?? new DeviceError('port-closed', transport.path))),
    ];
  }

  async isCardPresent(): Promise<boolean> {
    const payload = await this.#request(ReaderCommand.cardStatus, new Uint8Array(0));
    if (payload.length !== 1 || payload[0]! > 1) throw new DeviceError('bad-frame', 'card status reply is not 00 or 01');
    return payload[0] === 1;
  }

  powerOn(): Promise<Uint8Array> {
    return this.#request(ReaderCommand.powerOn, new Uint8Array(0));
  }

  transmit(command: Uint8Array): Promise<Uint8Array> {
    return this.#request(ReaderCommand.exchangeApdu, command);
  }

  async powerOff(): Promise<void> {
    await this.#request(ReaderCommand.powerOff, new Uint8Array(0));
  }

  dispose(): void {
    for (const off of this.#unsubscribe) off();
    this.#fail(new DeviceError('port-closed', 'reader framing disposed'));
  }

  #request(command: ReaderCommandCode, data: Uint8Array): Promise<Uint8Array> {
    const waiting = this.#replies.oldest;
    if (waiting !== undefined) return Promise.reject(new DeviceError('busy', `command ${hex(waiting)} still waiting`));
    if (!this.transport.isOpen) return Promise.reject(new DeviceError('port-closed', this.transport.path));
    this.#framer.reset(); // whatever arrived unasked (a late reply to a timed-out command) is stale
    const reply = this.#replies.wait(command, this.options.stepTimeoutMs, () => this.#timeoutError(command));
    this.transport.write(encodeReaderFrame({ command, data })).catch((error: unknown) => {
      this.#replies.reject(command, error instanceof DeviceError ? error : new DeviceError('write-failed', String(error)));
    });
    return reply;
  }

  #timeoutError(command: ReaderCommandCode): DeviceError {
    const expected = this.#framer.pendingFrameLength;
    const got = this.#framer.pendingBytes;
    this.#framer.reset();
    if (got > 0) {
      return new DeviceError('bad-frame', `truncated reply to command ${hex(command)}: ${got} of ${expected ?? '?'} bytes`);
    }
    return new DeviceError('timeout', `no reply to command ${hex(command)} within ${this.options.stepTimeoutMs} ms`);
  }

  #receive(chunk: Uint8Array): void {
    for (const event of this.#framer.push(chunk)) {
      const command = this.#replies.oldest;
      if (command === undefined) continue; // unasked-for frames are dropped
      if (event.type === 'error') {
        this.#replies.reject(command, event.error);
        continue;
      }
      try {
        this.#replies.resolve(command, replyPayload(event.frame, command));
      } catch (error) {
        this.#replies.reject(command, error as DeviceError);
      }
    }
  }

  #fail(error: DeviceError): void {
    this.#replies.rejectAll(error);
  }
}

export const createSerialReaderFraming = (transport: Transport, options: ReaderFramingOptions) =>
  new SerialReaderFraming(transport, options);
