/**
 * The device side of the serial profile (PROFILE.md): a contact-card reader with a social security
 * card in it, byte for byte. The card has a file system with the SSSE application and EF05/EF06
 * records built from a sample cardholder. Named faults fire once, on the next card read:
 *
 * - 'bad-checksum'            the next APDU reply carries a wrong LRC
 * - 'truncated'               the next APDU reply stops halfway and never finishes
 * - 'silent'                  the next APDU gets no reply at all
 * - 'garbage-before-preamble' line noise (including a false STX) before the next APDU reply
 * - 'unplugged-mid-frame'     half of the next APDU reply, then the cable is pulled
 * - 'no-card'                 the next power-on finds no card (lifted or dirty contacts)
 * - 'select-failed'           the SSSE select answers 6A82: not a social security card
 */
import type { InsuranceCard } from '../../core/insurance/insurance-card.ts';
import type { DeviceSimulator } from '../family/device-family.ts';
import type { Transport } from '../transport/transport.ts';
import { sampleCardholders } from './cardholders.ts';
import { encodeReaderFrame, ReaderCommand, ReaderStatus, type ReaderFrame } from './codec.ts';
import { ReaderFramer } from './framer.ts';
import { cardReaderFaults, type CardReaderFault } from '../family/card-reader-faults.ts';
import { SimulatedCard } from './simulated-card.ts';

/** The serial reader plays the common card-reader faults. */
export const insuranceReaderFaults = cardReaderFaults;
export type InsuranceReaderFault = CardReaderFault;

export interface InsuranceCardSimulatorOptions {
  /** A card already in the slot at start (default: none). */
  card: InsuranceCard | undefined;
  /** A fault to fire on the first read. */
  fault: InsuranceReaderFault | undefined;
  /** How 'unplugged-mid-frame' pulls the cable (a memory pair's unplug); default closes the transport. */
  unplug: (() => void) | undefined;
  /** Delay before each reply, as a real reader's processing time. */
  replyDelayMs: number;
}

/** ATR of a typical T=0 social security card (3B 6C … historical bytes); only its presence matters here. */
const SAMPLE_ATR = Uint8Array.of(0x3b, 0x6c, 0x00, 0x00, 0x86, 0x38, 0x86, 0x8c, 0x43, 0x53, 0x31, 0x30, 0x30, 0x30, 0x00, 0x00);

/** Noise with a false STX announcing a 0x0120-byte frame, to prove the host resynchronises. */
const LINE_NOISE = Uint8Array.of(0xff, 0x00, 0x55, 0x02, 0x01, 0x20, 0x32, 0xaa, 0x03, 0x7e);

const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};
/** SELECT by DF name (`00 A4 04 …`): the command the 'select-failed' fault answers with 6A82. */
const isSsseSelect = (apdu: Uint8Array) => apdu[1] === 0xa4 && apdu[2] === 0x04;

export class InsuranceCardSimulator implements DeviceSimulator {
  readonly #framer = new ReaderFramer();
  readonly #options: InsuranceCardSimulatorOptions;
  #unsubscribe: (() => void) | undefined;
  #card: SimulatedCard | undefined;
  #powered = false;
  #fault: InsuranceReaderFault | undefined;
  readonly #statusWaiters: Array<() => void> = [];
  /** Every command frame received, for tests that check what the host sent. */
  readonly received: ReaderFrame[] = [];

  constructor(
    private readonly transport: Transport,
    options: Partial<InsuranceCardSimulatorOptions> = {},
  ) {
    this.#options = { card: undefined, fault: undefined, unplug: undefined, replyDelayMs: 0, ...options };
    if (this.#options.card) this.insertCard(this.#options.card);
    this.#fault = this.#options.fault;
  }

  async start(): Promise<void> {
    if (!this.transport.isOpen) await this.transport.open();
    this.#unsubscribe ??= this.transport.onData((chunk) => {
      for (const event of this.#framer.push(chunk)) {
        if (event.type === 'frame') void this.#answer(event.frame);
        else void this.#send(encodeReaderFrame({ command: 0x00, data: Uint8Array.of(ReaderStatus.frameError) }));
      }
    });
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  insertCard(holder: InsuranceCard = sampleCardholders[0]!): void {
    this.#card = new SimulatedCard(holder);
    this.#powered = false;
  }

  removeCard(): void {
    this.#card = undefined;
    this.#powered = false;
  }

  get cardInserted(): boolean {
    return this.#card !== undefined;
  }

  /**
   * Resolves when the reader next answers a card-status poll. After removeCard(), awaiting it means
   * the host has seen the slot empty, so the next insertCard() is a new card, not the same one
   * (the driver reads a card once and waits for it to be taken away).
   */
  nextStatusPoll(): Promise<void> {
    return new Promise((resolve) => this.#statusWaiters.push(resolve));
  }

  /** Arms a fault for the next card read (one shot). */
  injectFault(fault: InsuranceReaderFault): void {
    this.#fault = fault;
  }

  #takeFault(...faults: InsuranceReaderFault[]): InsuranceReaderFault | undefined {
    const fault = this.#fault;
    if (fault && faults.includes(fault)) {
      this.#fault = undefined;
      return fault;
    }
    return undefined;
  }

  async #answer(frame: ReaderFrame): Promise<void> {
    this.received.push(frame);
    if (this.#options.replyDelayMs > 0) await new Promise((r) => setTimeout(r, this.#options.replyDelayMs));
    const reply = (status: number, payload: Uint8Array = new Uint8Array(0)) =>
      encodeReaderFrame({ command: frame.command, data: concat(Uint8Array.of(status), payload) });

    switch (frame.command) {
      case ReaderCommand.cardStatus: {
        await this.#send(reply(ReaderStatus.ok, Uint8Array.of(this.#card ? 1 : 0)));
        for (const resolve of this.#statusWaiters.splice(0)) resolve();
        return;
      }
      case ReaderCommand.powerOn: {
        if (!this.#card || this.#takeFault('no-card')) return this.#send(reply(ReaderStatus.noCard));
        this.#powered = true;
        this.#card.reset();
        return this.#send(reply(ReaderStatus.ok, SAMPLE_ATR));
      }
      case ReaderCommand.powerOff:
        this.#powered = false;
        return this.#send(reply(ReaderStatus.ok));
      case ReaderCommand.exchangeApdu: {
        if (!this.#card) return this.#send(reply(ReaderStatus.noCard));
        if (!this.#powered) return this.#send(reply(ReaderStatus.cardMute));
        const fault = this.#takeFault('bad-checksum', 'truncated', 'silent', 'garbage-before-preamble', 'unplugged-mid-frame');
        const failSelect = isSsseSelect(frame.data) && this.#takeFault('select-failed') !== undefined;
        return this.#sendWithFault(reply(ReaderStatus.ok, this.#card.answer(frame.data, failSelect)), fault);
      }
      default:
        return this.#send(reply(ReaderStatus.unknownCommand));
    }
  }

  async #sendWithFault(frame: Uint8Array, fault: InsuranceReaderFault | undefined): Promise<void> {
    switch (fault) {
      case 'silent':
        return;
      case 'bad-checksum': {
        const corrupt = frame.slice();
        corrupt[corrupt.length - 2]! ^= 0x5a;
        return this.#send(corrupt);
      }
      case 'truncated':
        return this.#send(frame.subarray(0, Math.floor(frame.length / 2)));
      case 'garbage-before-preamble':
        return this.#send(concat(LINE_NOISE, frame));
      case 'unplugged-mid-frame': {
        await this.#send(frame.subarray(0, Math.floor(frame.length / 2)));
        await new Promise((r) => setTimeout(r, 5)); // let the half frame reach the host first
        if (this.#options.unplug) this.#options.unplug();
        else await this.transport.close();
        return;
      }
      default:
        return this.#send(frame);
    }
  }

  async #send(bytes: Uint8Array): Promise<void> {
    if (!this.transport.isOpen) return; // unplugged: the bytes go nowhere
    await this.transport.write(bytes).catch(() => undefined);
  }
}
