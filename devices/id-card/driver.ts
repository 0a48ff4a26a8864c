/**
 * The GA 467 reader driver: a state machine over a Transport (never a port path).
 *
 * It polls find-card; when a card appears it selects and reads it (per-step timeouts), emits an
 * `identity-document` event, and then waits for the card to leave the field before it reads again
 * (GA 467: a card must leave the field before it can be read again; some SAMs keep answering 9F
 * to find while it lies there, so the driver tracks it itself). Every fault — bad checksum, truncated
 * reply, silence, garbage, unplug — becomes a DeviceError event; the driver resynchronises and the
 * next card reads. After an unplug it reopens the transport until the reader is back.
 */
import { DeviceError, isDeviceError } from '../../core/contract/device-error.ts';
import type { DeviceErrorCode } from '../../core/contract/device-error.ts';
import type { DeviceEvent, DeviceStatus } from '../../core/contract/workstation-api.ts';
import { identityDocumentToJson, type IdentityDocument } from '../../core/identity/identity-document.ts';
import { decodeIdentityText, makeIdentityDocument } from '../../core/identity/text-block.ts';
import type { DeviceDriver } from '../family/device-family.ts';
import { DriverEvents } from '../family/driver-events.ts';
import { PollLoop } from '../transport/poll-loop.ts';
import { ReconnectPolicy } from '../../core/async/reconnect.ts';
import { Sequencer } from '../../core/async/sequencer.ts';
import type { Transport } from '../transport/transport.ts';
import { Waitress } from '../../core/async/waitress.ts';
import {
  SW_FIND_SUCCESS,
  SW_NO_SUCH_ITEM,
  decodeAdditionalAddress,
  decodeCardReadData,
  decodeReply,
  decodeSamId,
  encodeCommand,
  statusError,
  type SamCommand,
  type SamReply,
} from './codec.ts';
import { Ga467Framer } from './framer.ts';

export interface IdCardDriverOptions {
  /** Pause between find-card polls. */
  pollIntervalMs: number;
  /** Reply timeout for short commands (find, select, SAM status, SAM ID, additional address). */
  commandTimeoutMs: number;
  /** Reply timeout for the read (the SAM talks to the card over RF first; ~1 s on real readers). */
  readTimeoutMs: number;
  /** Ask for the fingerprint block too (30 10 instead of 30 01). */
  readFingerprint: boolean;
  /** Read 追加住址 after resident cards and residence permits. */
  readAdditionalAddress: boolean;
  /** Pause before the first attempt to reopen an unplugged reader. */
  reconnectIntervalMs: number;
  /** Longest pause between reopen attempts (doubling from reconnectIntervalMs); default: no growth. */
  reconnectMaxMs?: number;
}

export const defaultIdCardDriverOptions: IdCardDriverOptions = {
  pollIntervalMs: 250,
  commandTimeoutMs: 1000,
  readTimeoutMs: 3000,
  readFingerprint: false,
  readAdditionalAddress: true,
  reconnectIntervalMs: 1000,
};

/** Turns the whole frame of a read reply into an IdentityDocument (the step the bench times). */
export function identityDocumentFromReadReply(reply: SamReply, withFingerprint: boolean): IdentityDocument {
  const { text, photo, fingerprint } = decodeCardReadData(reply.data, withFingerprint);
  return makeIdentityDocument(decodeIdentityText(text), photo, fingerprint);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class IdCardDriver implements DeviceDriver {
  readonly kind = 'id-card' as const;
  readonly options: IdCardDriverOptions;
  readonly #transport: Transport;
  readonly #framer = new Ga467Framer();
  readonly #events = new DriverEvents('id-card');
  /** The reply awaited from the SAM, under the command that asked for it. */
  readonly #replies = new Waitress<SamCommand, SamReply>();
  /** A SAM answers one command at a time: commands never overlap. */
  readonly #commands = new Sequencer();
  readonly #poll = new PollLoop(() => this.#pollStep());
  readonly #reconnect: ReconnectPolicy;
  #awaitingRemoval = false;
  #lastErrorCode: DeviceErrorCode | undefined;
  readonly #unsubscribe: (() => void)[];

  constructor(transport: Transport, options: Partial<IdCardDriverOptions> = {}) {
    this.#transport = transport;
    this.options = { ...defaultIdCardDriverOptions, ...options };
    this.#reconnect = new ReconnectPolicy({ initialMs: this.options.reconnectIntervalMs, maxMs: this.options.reconnectMaxMs });
    this.#unsubscribe = [
      transport.onData((chunk) => this.#onData(chunk)),
      transport.onClose((error) => this.#onClose(error)),
    ];
  }

  get status(): DeviceStatus {
    return this.#events.status;
  }

  onEvent(listener: (event: DeviceEvent) => void): () => void {
    return this.#events.subscribe(listener);
  }

  /** Opens the transport if needed, checks the SAM answers, then polls for cards. */
  async start(): Promise<void> {
    if (this.#poll.running) return;
    await this.connect();
    this.#poll.start();
  }

  async stop(): Promise<void> {
    await this.#poll.stop();
  }

  /** Stops and detaches from the transport for good. */
  async dispose(): Promise<void> {
    await this.stop();
    for (const off of this.#unsubscribe) off();
  }

  /** Opens the transport (if closed) and asks the SAM for its status. */
  async connect(): Promise<void> {
    this.#events.setStatus('connecting');
    try {
      if (!this.#transport.isOpen) await this.#transport.open();
      await this.#expectOk('samStatus');
      this.#events.setStatus('ready');
    } catch (e) {
      const error = asDeviceError(e);
      this.#events.setStatus(this.#transport.isOpen ? 'error' : 'disconnected', error);
      throw error;
    }
  }

  /** Reads the SAM's serial number (GA 467 12 FF). */
  async readSamId(): Promise<string> {
    return decodeSamId((await this.#expectOk('readSamId')).data);
  }

  /**
   * One find → select → read, and the additional address when asked for. Throws DeviceError
   * ('no-card' when nothing lies on the reader).
   */
  async readCard(): Promise<IdentityDocument> {
    await this.#expectOk('findCard');
    return this.#selectAndRead();
  }

  /** Polls until a card is read (for one-shot use such as the `device read` CLI). */
  async waitForCard(timeoutMs: number): Promise<IdentityDocument> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await this.readCard();
      } catch (e) {
        const error = asDeviceError(e);
        if (error.code !== 'no-card' || Date.now() + this.options.pollIntervalMs > deadline) throw error;
      }
      await sleep(this.options.pollIntervalMs);
    }
  }

  async #selectAndRead(): Promise<IdentityDocument> {
    this.#events.setStatus('reading');
    try {
      await this.#expectOk('selectCard');
      const withFingerprint = this.options.readFingerprint;
      const reply = await this.#expectOk(withFingerprint ? 'readTextPhotoAndFingerprint' : 'readTextAndPhoto');
      const document = identityDocumentFromReadReply(reply, withFingerprint);
      if (this.options.readAdditionalAddress && (document.cardType === 'resident' || document.cardType === 'residence-permit')) {
        const address = await this.#transact('readAdditionalAddress', this.options.commandTimeoutMs);
        if (address.sw3 !== SW_NO_SUCH_ITEM) {
          const error = statusError(address);
          if (error) throw error;
          const text = decodeAdditionalAddress(address.data);
          if (text) document.additionalAddress = text;
        }
      }
      return document;
    } finally {
      if (this.#events.status === 'reading') this.#events.setStatus('ready');
    }
  }

  /** One turn of the poll loop; returns the pause before the next (longer while the reader is away). */
  async #pollStep(): Promise<number> {
    try {
      if (!this.#transport.isOpen) {
        await this.connect();
        this.#lastErrorCode = undefined;
        this.#reconnect.reset();
      }
      await this.#pollOnce();
    } catch (e) {
      this.#report(asDeviceError(e));
    }
    return this.#transport.isOpen ? this.options.pollIntervalMs : this.#reconnect.nextDelayMs();
  }

  async #pollOnce(): Promise<void> {
    const found = await this.#transact('findCard', this.options.commandTimeoutMs);
    if (this.#events.status !== 'ready') this.#events.setStatus('ready'); // the reader answers again
    if (found.sw3 !== SW_FIND_SUCCESS) {
      const error = statusError(found);
      if (error && error.code !== 'no-card') throw error;
      this.#awaitingRemoval = false; // the field is empty: the next card may be read
      this.#lastErrorCode = undefined;
      return;
    }
    if (this.#awaitingRemoval) return; // the same card still lies there
    try {
      const document = await this.#selectAndRead();
      this.#lastErrorCode = undefined;
      this.#events.emit({ type: 'identity-document', document: identityDocumentToJson(document) });
    } finally {
      // Read or failed, this card must be lifted and placed again (what the error message tells the
      // nurse) — unless the reader itself went away, in which case whatever lies there is read on return.
      if (this.#transport.isOpen) this.#awaitingRemoval = true;
    }
  }

  /** Emits an error event, once per run of the same error (a silent reader is not reported every 250 ms). */
  #report(error: DeviceError): void {
    if (error.code === this.#lastErrorCode && (error.code === 'timeout' || error.code === 'unplugged' || error.code === 'port-not-found' || error.code === 'port-open-failed')) return;
    this.#lastErrorCode = error.code;
    this.#events.reportError(error);
  }

  async #expectOk(command: SamCommand): Promise<SamReply> {
    const timeout = command.startsWith('readText') ? this.options.readTimeoutMs : this.options.commandTimeoutMs;
    const reply = await this.#transact(command, timeout);
    const error = statusError(reply);
    if (error) throw error;
    return reply;
  }

  /** Sends one command and waits for its reply; commands never overlap (a SAM answers one at a time). */
  #transact(command: SamCommand, timeoutMs: number): Promise<SamReply> {
    return this.#commands.run(() => this.#transactNow(command, timeoutMs));
  }

  async #transactNow(command: SamCommand, timeoutMs: number): Promise<SamReply> {
    if (!this.#transport.isOpen) throw new DeviceError('port-closed', this.#transport.path);
    this.#framer.reset(); // a fresh exchange: drop leftovers of a spoiled one
    const reply = this.#replies.wait(command, timeoutMs, () => {
      const partial = this.#framer.pendingBytes;
      this.#framer.reset();
      return partial > 0
        ? new DeviceError('bad-frame', `truncated reply to ${command}: ${partial} bytes then silence`)
        : new DeviceError('timeout', `no reply to ${command} within ${timeoutMs} ms`);
    });
    try {
      await this.#transport.write(encodeCommand(command));
    } catch (e) {
      this.#replies.reject(command, asDeviceError(e));
    }
    return reply;
  }

  #onData(chunk: Uint8Array): void {
    for (const frame of this.#framer.push(chunk)) {
      const command = this.#replies.oldest;
      if (command === undefined) continue; // a late reply to a command that already timed out
      try {
        this.#replies.resolve(command, decodeReply(frame));
      } catch (e) {
        this.#replies.reject(command, asDeviceError(e));
      }
    }
  }

  #onClose(error: DeviceError | undefined): void {
    this.#framer.reset();
    // We cannot see the field while the reader is away: read whatever lies there once it is back.
    this.#awaitingRemoval = false;
    this.#replies.rejectAll(error ?? new DeviceError('port-closed', this.#transport.path));
    this.#events.setStatus('disconnected', error);
  }
}

function asDeviceError(e: unknown): DeviceError {
  if (isDeviceError(e)) return e;
  return new DeviceError('device-status', e instanceof Error ? e.message : String(e), { cause: e });
}
