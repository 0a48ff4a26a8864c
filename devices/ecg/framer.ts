/**
 * Finds frame edges in the CW-ECG8 byte stream (zigbee-herdsman's parser, in spirit): start byte,
 * fixed sample-packet length or message length field, end byte. After garbage, a bad length or a
 * wrong end byte it drops one byte and searches again from the next start byte, so it
 * resynchronises on its own and never throws. Reads may split frames anywhere.
 *
 * Unlike a plain edge finder it also checks the CRC before consuming a candidate: a start byte in
 * line noise, followed 29 bytes later by a C0, would otherwise swallow the beginning of the real
 * frame behind it (and, noise repeating, of its retransmissions). A candidate with the right shape
 * but a wrong CRC is reported as a DeviceError item and only its first byte is dropped.
 */
import { DeviceError } from '../../core/contract/device-error.ts';
import { FRAME_END, MAX_MESSAGE_PAYLOAD, MESSAGE_OVERHEAD, MESSAGE_START, SAMPLE_PACKET_LENGTH, SAMPLE_START, crc16, crc8 } from './codec.ts';

/** A whole frame, or the report of a frame-shaped run of bytes whose checksum failed. */
export type FramedItem = Uint8Array | DeviceError;

export interface StreamFramer {
  /** Appends a chunk and returns every whole frame (and checksum failure) it completed, in order. */
  push(chunk: Uint8Array): FramedItem[];
  /** Forgets buffered bytes (after an unplug or a reopen). */
  reset(): void;
  /** Bytes skipped while searching for a frame since creation (garbage, broken frames). */
  readonly discardedBytes: number;
}

export class Cwecg8Framer implements StreamFramer {
  #buffer = new Uint8Array(4096);
  #start = 0;
  #end = 0;
  #discarded = 0;

  get discardedBytes(): number {
    return this.#discarded;
  }

  reset(): void {
    this.#start = 0;
    this.#end = 0;
  }

  push(chunk: Uint8Array): FramedItem[] {
    this.#append(chunk);
    const frames: FramedItem[] = [];
    const b = this.#buffer;
    while (this.#start < this.#end) {
      const first = b[this.#start]!;
      if (first !== SAMPLE_START && first !== MESSAGE_START) {
        this.#skip(1);
        continue;
      }
      const available = this.#end - this.#start;
      let length: number;
      if (first === SAMPLE_START) {
        length = SAMPLE_PACKET_LENGTH;
      } else {
        if (available < 6) break;
        const payload = (b[this.#start + 4]! << 8) | b[this.#start + 5]!;
        if (payload > MAX_MESSAGE_PAYLOAD) {
          this.#skip(1);
          continue;
        }
        length = MESSAGE_OVERHEAD + payload;
      }
      if (available < length) break;
      if (b[this.#start + length - 1] !== FRAME_END) {
        this.#skip(1); // a false start byte, or a frame cut short: look again one byte on
        continue;
      }
      const checksumError = this.#checksumError(first, this.#start, length);
      if (checksumError) {
        frames.push(checksumError);
        this.#skip(1);
        continue;
      }
      frames.push(b.slice(this.#start, this.#start + length));
      this.#start += length;
    }
    if (this.#start === this.#end) this.reset();
    return frames;
  }

  #checksumError(first: number, at: number, length: number): DeviceError | undefined {
    const b = this.#buffer;
    if (first === SAMPLE_START) {
      const crc = crc8(b, at + 1, at + 28);
      return crc === b[at + 28] ? undefined : new DeviceError('bad-checksum', `sample packet crc8 0x${b[at + 28]!.toString(16)}, computed 0x${crc.toString(16)}`);
    }
    const crc = crc16(b, at + 1, at + length - 3);
    const got = (b[at + length - 3]! << 8) | b[at + length - 2]!;
    return crc === got ? undefined : new DeviceError('bad-checksum', `message crc16 0x${got.toString(16)}, computed 0x${crc.toString(16)}`);
  }

  #skip(count: number): void {
    this.#start += count;
    this.#discarded += count;
  }

  #append(chunk: Uint8Array): void {
    const used = this.#end - this.#start;
    if (this.#end + chunk.length > this.#buffer.length) {
      // Move the waiting bytes to the front; grow only when they and the chunk do not fit.
      if (used + chunk.length > this.#buffer.length) {
        const next = new Uint8Array(2 ** Math.ceil(Math.log2(used + chunk.length)));
        next.set(this.#buffer.subarray(this.#start, this.#end));
        this.#buffer = next;
      } else {
        this.#buffer.copyWithin(0, this.#start, this.#end);
      }
      this.#start = 0;
      this.#end = used;
    }
    this.#buffer.set(chunk, this.#end);
    this.#end += chunk.length;
  }
}
