/**
 * ReaderFraming: what the card-reading sequence needs from a contact-card reader, whatever its wire
 * protocol. Serial readers each speak a vendor framing (none is public, docs/protocols.md §2), so the
 * framing is a plug-in under the APDU layer; serial-framing.ts implements the documented profile of
 * PROFILE.md, and a PC/SC (CCID) framing can sit beside it.
 *
 * Every method rejects only with DeviceError.
 */
import type { Transport } from '../transport/transport.ts';

export interface ReaderFraming {
  /** Whether a card sits in the slot (contacts closed), without powering it. */
  isCardPresent(): Promise<boolean>;
  /** Powers and resets the card; resolves with its ATR. */
  powerOn(): Promise<Uint8Array>;
  /** Sends one command APDU; resolves with the response APDU (data, SW1, SW2). */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  powerOff(): Promise<void>;
  /** Removes the framing's listeners from the transport. */
  dispose(): void;
}

export interface ReaderFramingOptions {
  /** How long one command may wait for its reply. */
  stepTimeoutMs: number;
}

export type ReaderFramingFactory = (transport: Transport, options: ReaderFramingOptions) => ReaderFraming;
