/**
 * InsuranceCardDriver: polls the reader for a card, reads it once (the APDU sequence of
 * docs/protocols.md §2 through a pluggable ReaderFraming), emits an `insurance-card` event, then waits for
 * the card to be taken away before reading again. Every failure becomes one `error` event with a
 * DeviceError and the driver carries on: a bad read waits for the card to be placed again; an unplug
 * reports `disconnected` and reopens the port until the reader is back.
 */
import type { DeviceEvent } from '../../core/contract/workstation-api.ts';
import type { DeviceDriver } from '../family/device-family.ts';
import { DriverEvents } from '../family/driver-events.ts';
import { PollLoop } from '../transport/poll-loop.ts';
import { ReconnectPolicy } from '../../core/async/reconnect.ts';
import type { Transport } from '../transport/transport.ts';
import { asDeviceError, readInsuranceCard } from './codec.ts';
import type { ReaderFraming, ReaderFramingFactory } from './reader-framing.ts';
import { createSerialReaderFraming } from './serial-framing.ts';

export interface InsuranceCardDriverOptions {
  /** How often the reader is asked whether a card is present. */
  pollIntervalMs: number;
  /** Timeout of each command (status, power, one APDU). */
  stepTimeoutMs: number;
  /** Pause before reopening a closed (unplugged) port. */
  reconnectIntervalMs: number;
  /** Longest pause between reopen attempts (doubling from reconnectIntervalMs); default: no growth. */
  reconnectMaxMs?: number;
  /** The reader's wire protocol; the documented serial profile by default. */
  framing: ReaderFramingFactory;
}

export const defaultInsuranceCardDriverOptions: InsuranceCardDriverOptions = {
  pollIntervalMs: 300,
  stepTimeoutMs: 1000,
  reconnectIntervalMs: 1000,
  framing: createSerialReaderFraming,
};

export class InsuranceCardDriver implements DeviceDriver {
  readonly kind = 'insurance-card' as const;
  readonly #options: InsuranceCardDriverOptions;
  readonly #events = new DriverEvents(this.kind);
  #framing: ReaderFraming | undefined;
  #offClose: (() => void) | undefined;
  readonly #poll = new PollLoop(() => this.#step());
  readonly #reconnect: ReconnectPolicy;
  /** The port closed and the pause before reopening it has begun. */
  #reopenDue = false;
  /** The card in the slot was read (or failed): wait until it is taken away. */
  #awaitingRemoval = false;
  /** Code of the error last reported while polling, so a dead reader is reported once, not every poll. */
  #reportedPollError: string | undefined;

  constructor(
    private readonly transport: Transport,
    options: Partial<InsuranceCardDriverOptions> = {},
  ) {
    this.#options = { ...defaultInsuranceCardDriverOptions, ...options };
    this.#reconnect = new ReconnectPolicy({ initialMs: this.#options.reconnectIntervalMs, maxMs: this.#options.reconnectMaxMs });
  }

  onEvent(listener: (event: DeviceEvent) => void): () => void {
    return this.#events.subscribe(listener);
  }

  /** Resolves once the reader answered a status poll; rejects with its DeviceError if it did not. */
  async start(): Promise<void> {
    if (this.#poll.running) return;
    this.#events.setStatus('connecting');
    try {
      if (!this.transport.isOpen) await this.transport.open();
      this.#framing = this.#options.framing(this.transport, { stepTimeoutMs: this.#options.stepTimeoutMs });
      await this.#framing.isCardPresent();
    } catch (error) {
      const deviceError = asDeviceError(error);
      this.#framing?.dispose();
      this.#framing = undefined;
      this.#events.setStatus('error', deviceError);
      throw deviceError;
    }
    this.#offClose = this.transport.onClose((error) => {
      if (!error) return;
      this.#events.reportError(error);
      this.#events.setStatus('disconnected', error);
      this.#reportedPollError = error.code;
      this.#poll.wake();
    });
    this.#events.setStatus('ready');
    this.#poll.start();
  }

  async stop(): Promise<void> {
    await this.#poll.stop();
    this.#offClose?.();
    this.#framing?.dispose();
    this.#framing = undefined;
    this.#events.setStatus('disconnected');
  }

  /** One turn of the poll loop; returns the pause before the next. A closed port is reopened after a pause. */
  async #step(): Promise<number> {
    if (!this.transport.isOpen) {
      if (this.#reopenDue) {
        await this.transport.open().catch(() => undefined);
        if (this.transport.isOpen) {
          this.#reopenDue = false;
          this.#reconnect.reset();
          return 0;
        }
      }
      this.#reopenDue = true;
      return this.#reconnect.nextDelayMs();
    }
    await this.#pollOnce();
    return this.#options.pollIntervalMs;
  }

  async #pollOnce(): Promise<void> {
    const framing = this.#framing!;
    let present: boolean;
    try {
      present = await framing.isCardPresent();
    } catch (error) {
      const deviceError = asDeviceError(error);
      if (this.#reportedPollError !== deviceError.code) {
        this.#reportedPollError = deviceError.code;
        this.#events.reportError(deviceError);
        this.#events.setStatus('error', deviceError);
      }
      return;
    }
    if (this.#reportedPollError !== undefined) {
      this.#reportedPollError = undefined;
      this.#events.setStatus('ready');
    }
    if (!present) {
      this.#awaitingRemoval = false;
      return;
    }
    if (this.#awaitingRemoval || !this.#poll.running) return;

    this.#awaitingRemoval = true;
    this.#events.setStatus('reading');
    try {
      await framing.powerOn();
      const card = await readInsuranceCard((apdu) => framing.transmit(apdu));
      this.#events.emit({ type: 'insurance-card', card });
      this.#events.setStatus('ready');
    } catch (error) {
      const deviceError = asDeviceError(error);
      // An unplug was already reported by the close listener.
      if (deviceError.code !== 'unplugged' && this.transport.isOpen) {
        this.#events.reportError(deviceError);
        this.#events.setStatus('ready');
      }
    } finally {
      if (this.transport.isOpen) await framing.powerOff().catch(() => undefined);
    }
  }
}
