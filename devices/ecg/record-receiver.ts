/**
 * The receiving end of the ECG record transfer (PROFILE.md §3): stop-and-wait with a CRC-16 per
 * block, NAK and retransmission, a file CRC at the end. Only a whole, verified file is delivered;
 * every failure rejects `done` with a DeviceError and delivers nothing. The driver feeds it the
 * transfer frames (and tells it of corrupted ones) while it runs.
 */
import { DeviceError, isDeviceError } from '../../core/contract/device-error.ts';
import { readScpEcg } from '../../core/ecg/formats/index.ts';
import type { EcgRecording } from '../../core/ecg/recording.ts';
import { crc16, type TransferFrame } from './codec.ts';

export interface RecordReceiverOptions {
  /** Sends one transfer frame to the cart (ACK, NAK, CAN). */
  send(frame: TransferFrame): Promise<void>;
  /** No transfer frame for this long aborts the transfer. */
  transferTimeoutMs: number;
  /** Largest file accepted. */
  maxFileBytes: number;
  /** Called once, synchronously, when the transfer ended either way. */
  onSettled(): void;
}

export class RecordReceiver {
  /** The verified file; rejects with a DeviceError. */
  readonly done: Promise<Uint8Array>;
  #resolve!: (file: Uint8Array) => void;
  #reject!: (error: DeviceError) => void;
  #settled = false;
  #header: Extract<TransferFrame, { kind: 'enq' }> | undefined;
  #blocks: Uint8Array[] = [];
  #received = 0;
  #expected = 1;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: RecordReceiverOptions) {
    this.done = new Promise<Uint8Array>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.#arm();
  }

  fail(error: DeviceError): void {
    if (this.#settled) return;
    this.#finish();
    this.#reject(error);
  }

  onCorruptFrame(): void {
    this.#arm();
    if (this.#header) void this.#send({ kind: 'nak', seq: this.#expected });
  }

  onFrame(frame: TransferFrame): void {
    this.#arm();
    switch (frame.kind) {
      case 'enq':
        if (frame.totalBytes > this.options.maxFileBytes) {
          void this.#send({ kind: 'can', reason: 'too-large' });
          return this.fail(new DeviceError('ecg-transfer-aborted', `file of ${frame.totalBytes} bytes is too large`));
        }
        this.#header = frame;
        this.#blocks = [];
        this.#received = 0;
        this.#expected = 1;
        return void this.#send({ kind: 'ack', seq: 0 });
      case 'block': {
        const header = this.#header;
        if (!header) return;
        if (frame.seq === this.#expected - 1) return void this.#send({ kind: 'ack', seq: frame.seq }); // our ACK was lost
        if (frame.seq !== this.#expected || frame.data.length > header.blockSize || this.#received + frame.data.length > header.totalBytes) {
          return void this.#send({ kind: 'nak', seq: this.#expected });
        }
        this.#blocks.push(frame.data);
        this.#received += frame.data.length;
        this.#expected++;
        return void this.#send({ kind: 'ack', seq: frame.seq });
      }
      case 'eot': {
        const header = this.#header;
        if (!header) return;
        const file = concat(this.#blocks, this.#received);
        if (this.#received !== header.totalBytes || crc16(file) !== header.fileCrc) {
          void this.#send({ kind: 'can', reason: 'too-many-retries' });
          return this.fail(new DeviceError('ecg-transfer-failed', `${this.#received} of ${header.totalBytes} bytes, file CRC mismatch`));
        }
        void this.#send({ kind: 'ack', seq: frame.seq });
        this.#finish();
        return this.#resolve(file);
      }
      case 'can':
        return this.fail(new DeviceError('ecg-transfer-aborted', `the cart cancelled: ${frame.reason}`));
      default:
        return; // ack/nak are the sender's to receive
    }
  }

  #send(frame: TransferFrame): Promise<void> {
    return this.options.send(frame).catch((error: unknown) => this.fail(asWriteError(error)));
  }

  #arm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      void this.#send({ kind: 'can', reason: 'timeout' });
      this.fail(new DeviceError('ecg-transfer-aborted', `no data from the cart for ${this.options.transferTimeoutMs} ms`));
    }, this.options.transferTimeoutMs);
  }

  #finish(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#settled = true;
    this.#blocks = [];
    this.options.onSettled();
  }
}

/** Decodes a received record; a file that is not valid SCP-ECG is a failed transfer. */
export function decodeScp(bytes: Uint8Array): EcgRecording {
  try {
    return readScpEcg(bytes);
  } catch (error) {
    throw new DeviceError('ecg-transfer-failed', `not a valid SCP-ECG record: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function asWriteError(error: unknown): DeviceError {
  return isDeviceError(error) ? error : new DeviceError('write-failed', error instanceof Error ? error.message : String(error));
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p.subarray(0, total - offset), offset);
    offset += p.length;
  }
  return out;
}
