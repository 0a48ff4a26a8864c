/**
 * The SAM side of a GA 467 reader, byte for byte: answers find / select / read / SAM ID / SAM status /
 * additional address on a Transport, with a card that can be placed on and lifted off the reader,
 * and named faults that reproduce what goes wrong in clinics.
 */
import { DeviceError } from '../../core/contract/device-error.ts';
import type { IdentityDocument } from '../../core/identity/identity-document.ts';
import { encodeIdentityText, type IdentityText } from '../../core/identity/text-block.ts';
import type { DeviceSimulator } from '../family/device-family.ts';
import type { Transport } from '../transport/transport.ts';
import {
  SW_FIND_SUCCESS,
  SW_NO_SUCH_ITEM,
  SW_SUCCESS,
  decodeCommand,
  encodeAdditionalAddress,
  encodeCardReadData,
  encodeReply,
  encodeSamId,
  samCommandOf,
  type SamCommand,
} from './codec.ts';
import { Ga467Framer } from './framer.ts';
import { cardReaderFaults, isCardReaderFault, type CardReaderFault } from '../family/card-reader-faults.ts';
import { findIdentitySample } from './samples.ts';

/** The GA 467 reader plays the common card-reader faults. */
export const samFaults = cardReaderFaults;
export type SamFault = CardReaderFault;
export const isSamFault = isCardReaderFault;

export interface IdCardSimulatorOptions {
  /** Sample placed on the reader at start (see samples.ts). */
  sampleId: string;
  fault: SamFault;
  /** How many replies the fault spoils: a number, or 'always'. Default 1. */
  faultTimes: number | 'always';
  samId: string;
  /**
   * Pace replies at this baud rate (8N1: 10 bits a byte) as a real reader's UART would. Off by
   * default; ptys and memory pairs deliver at once.
   */
  pacedBaudRate: number;
  /** Called for 'unplugged-mid-frame' after half a reply: pull the cable (pair.unplug, kill socat). */
  unplug: () => void;
}

/** Which command each fault spoils. */
const faultTarget: Record<SamFault, SamCommand> = {
  'bad-checksum': 'readTextAndPhoto',
  truncated: 'readTextAndPhoto',
  silent: 'readTextAndPhoto',
  'garbage-before-preamble': 'readTextAndPhoto',
  'unplugged-mid-frame': 'readTextAndPhoto',
  'no-card': 'findCard',
  'select-failed': 'selectCard',
};

const SW_NO_CARD = 0x80;
const SW_SELECT_FAILED = 0x81;
const SW_READ_FAILED = 0x41;
const SW_COMMAND_ERROR = 0x21;
const SW_CHECKSUM_ERROR = 0x10;

type CardState = 'absent' | 'in-field' | 'found' | 'selected';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class IdCardSimulator implements DeviceSimulator {
  readonly #transport: Transport;
  readonly #framer = new Ga467Framer(3);
  #card: IdentityDocument | undefined;
  #state: CardState = 'absent';
  #fault: SamFault | undefined;
  #faultLeft: number = 0;
  #samId: string;
  #pacedBaudRate: number | undefined;
  #unplug: (() => void) | undefined;
  #stopData: (() => void) | undefined;
  #queue: Promise<void> = Promise.resolve();
  #replyStart = 0;
  /** Commands received, by name, for tests and the demo panel. */
  readonly received: string[] = [];

  constructor(transport: Transport, options: Partial<IdCardSimulatorOptions> = {}) {
    this.#transport = transport;
    this.#samId = options.samId ?? '05.01-20231123-0000012345-2063210417';
    this.#pacedBaudRate = options.pacedBaudRate;
    this.#unplug = options.unplug;
    if (options.fault) this.setFault(options.fault, options.faultTimes ?? 1);
    if (options.sampleId) this.placeSample(options.sampleId);
  }

  async start(): Promise<void> {
    if (!this.#transport.isOpen) await this.#transport.open();
    this.#stopData ??= this.#transport.onData((chunk) => {
      for (const frame of this.#framer.push(chunk)) {
        // Answer in order, one at a time, as a SAM does.
        this.#queue = this.#queue.then(() => this.#answer(frame)).catch(() => undefined);
      }
    });
  }

  async stop(): Promise<void> {
    this.#stopData?.();
    this.#stopData = undefined;
    await this.#queue;
  }

  /** Puts a card on the reader. */
  placeCard(document: IdentityDocument): void {
    this.#card = document;
    this.#state = 'in-field';
  }

  placeSample(sampleId: string): void {
    const sample = findIdentitySample(sampleId);
    if (!sample) throw new RangeError(`no identity sample "${sampleId}"`);
    this.placeCard(sample.document);
  }

  /** Lifts the card off the reader. */
  removeCard(): void {
    this.#card = undefined;
    this.#state = 'absent';
  }

  get cardPresent(): boolean {
    return this.#card !== undefined;
  }

  setFault(fault: SamFault | undefined, times: number | 'always' = 1): void {
    this.#fault = fault;
    this.#faultLeft = times === 'always' ? Number.POSITIVE_INFINITY : times;
  }

  #takeFault(command: SamCommand): SamFault | undefined {
    const fault = this.#fault;
    if (!fault || faultTarget[fault] !== command || this.#faultLeft <= 0) return undefined;
    this.#faultLeft -= 1;
    if (this.#faultLeft <= 0) this.#fault = undefined;
    return fault;
  }

  async #answer(frame: Uint8Array): Promise<void> {
    let cmd: number;
    let para: number;
    let data: Uint8Array;
    try {
      ({ cmd, para, data } = decodeCommand(frame));
    } catch (e) {
      // GA 467: the SAM answers 10 to a checksum error and 11 to a length error in what it received.
      if (e instanceof DeviceError) await this.#send(encodeReply(e.code === 'bad-checksum' ? SW_CHECKSUM_ERROR : 0x11));
      return;
    }
    const command = samCommandOf(cmd, para);
    this.received.push(command ?? 'unknown');
    // When paced, the reply's schedule starts once the command itself would have finished arriving.
    this.#replyStart = performance.now() + (this.#pacedBaudRate ? wireMs(frame.length, this.#pacedBaudRate) : 0);
    if (!command) return this.#send(encodeReply(SW_COMMAND_ERROR));
    const fault = this.#takeFault(command);
    if (fault === 'silent') return;
    const reply = this.#reply(command, data, fault);
    switch (fault) {
      case 'bad-checksum':
        reply[reply.length - 1] = reply.at(-1)! ^ 0x5a;
        return this.#send(reply);
      case 'truncated':
        return this.#send(reply.subarray(0, Math.floor(reply.length / 2)));
      case 'garbage-before-preamble':
        return this.#send(Uint8Array.from([0x00, 0x13, 0xaa, 0xaa, 0x96, 0xff, 0xaa, 0x69, ...reply]));
      case 'unplugged-mid-frame':
        await this.#send(reply.subarray(0, Math.floor(reply.length / 2)));
        await sleep(5); // let the half frame reach the host before the cable goes
        if (this.#unplug) this.#unplug();
        else await this.#transport.close();
        return;
      default:
        return this.#send(reply);
    }
  }

  #reply(command: SamCommand, data: Uint8Array, fault: SamFault | undefined): Uint8Array {
    switch (command) {
      case 'resetSam':
      case 'samStatus':
        return encodeReply(SW_SUCCESS);
      case 'readSamId':
        return encodeReply(SW_SUCCESS, encodeSamId(this.#samId));
      case 'setMaxRfFrameBytes':
        return encodeReply(data.length === 1 ? SW_SUCCESS : 0x11);
      case 'findCard':
        if (fault === 'no-card' || !this.#card) return encodeReply(SW_NO_CARD);
        this.#state = 'found';
        return encodeReply(SW_FIND_SUCCESS, new Uint8Array(4));
      case 'selectCard':
        if (fault === 'select-failed' || this.#state !== 'found') return encodeReply(SW_SELECT_FAILED);
        this.#state = 'selected';
        return encodeReply(SW_SUCCESS, new Uint8Array(8));
      case 'readTextAndPhoto':
      case 'readTextPhotoAndFingerprint': {
        const card = this.#card;
        if (this.#state !== 'selected' || !card) return encodeReply(SW_READ_FAILED);
        const { photoWlt, fingerprint, ...text } = card;
        const readData = encodeCardReadData({
          text: encodeIdentityText(text as IdentityText),
          photo: photoWlt,
          fingerprint: command === 'readTextPhotoAndFingerprint' ? (fingerprint ?? new Uint8Array(0)) : undefined,
        });
        // Stays selected: the additional address may follow. A new read needs a new find + select.
        return encodeReply(SW_SUCCESS, readData);
      }
      case 'readAdditionalAddress': {
        const card = this.#card;
        if (this.#state !== 'selected' || !card) return encodeReply(SW_READ_FAILED);
        const address = 'additionalAddress' in card ? card.additionalAddress : undefined;
        return address ? encodeReply(SW_SUCCESS, encodeAdditionalAddress(address)) : encodeReply(SW_NO_SUCH_ITEM);
      }
    }
  }

  async #send(bytes: Uint8Array): Promise<void> {
    if (!this.#transport.isOpen) return;
    try {
      if (!this.#pacedBaudRate) return await this.#transport.write(bytes);
      // Pace in 64-byte slices against an absolute schedule so timer jitter does not accumulate.
      const started = this.#replyStart;
      for (let offset = 0; offset < bytes.length; offset += 64) {
        const slice = bytes.subarray(offset, Math.min(bytes.length, offset + 64));
        const due = started + wireMs(offset + slice.length, this.#pacedBaudRate);
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        await this.#transport.write(slice);
      }
    } catch {
      // The host went away mid-reply; a SAM just stops talking.
    }
  }
}

/** Time a UART at `baudRate` 8N1 needs for `bytes` (10 bits a byte: start, 8 data, stop). */
export const wireMs = (bytes: number, baudRate: number) => (bytes * 10 * 1000) / baudRate;
