/**
 * One capture in progress: the next `needed` samples of every channel, as they stream in. Packets
 * that never arrived are counted (and, when the caller allows gaps, filled by linear interpolation
 * once the strip is whole); electrodes that came off at any moment are remembered. `done` resolves
 * with the channels when the strip is full; the driver turns them into an EcgRecording.
 */
import type { DeviceError } from '../../core/contract/device-error.ts';
import type { Electrode } from '../../core/ecg/synthesis/noise.ts';

export class CaptureBuffer {
  readonly channels: Int32Array[];
  readonly leadOff = new Set<Electrode>();
  readonly startTime = new Date().toISOString();
  /** Samples lost to skipped packets. */
  lost = 0;
  readonly done: Promise<Int32Array[]>;
  readonly #received: Uint8Array;
  #filled = 0;
  #resolve!: (channels: Int32Array[]) => void;
  #reject!: (error: DeviceError) => void;

  constructor(
    channelCount: number,
    readonly needed: number,
  ) {
    this.channels = Array.from({ length: channelCount }, () => new Int32Array(needed));
    this.#received = new Uint8Array(needed);
    this.done = new Promise<Int32Array[]>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  get full(): boolean {
    return this.#filled === this.needed;
  }

  /** One sample of every channel (scaled), with the electrodes that were off. */
  add(values: Int32Array, leadOff: readonly Electrode[]): void {
    if (this.full) return;
    for (let c = 0; c < values.length; c++) this.channels[c]![this.#filled] = values[c]!;
    this.#received[this.#filled] = 1;
    for (const e of leadOff) this.leadOff.add(e);
    this.#filled++;
    this.#resolveWhenFull();
  }

  /** `count` samples that never arrived (lost packets); before the first sample the strip simply starts later. */
  skip(count: number): void {
    if (this.#filled === 0 || this.full) return;
    const skipped = Math.min(count, this.needed - this.#filled);
    this.lost += skipped;
    this.#filled += skipped;
    this.#resolveWhenFull();
  }

  fail(error: DeviceError): void {
    this.#reject(error);
  }

  #resolveWhenFull(): void {
    if (!this.full) return;
    for (const channel of this.channels) fillGaps(channel, this.#received);
    this.#resolve(this.channels);
  }
}

/** Linear interpolation across samples that never arrived (only kept when the caller allowed gaps). */
function fillGaps(channel: Int32Array, received: Uint8Array): void {
  let k = 0;
  while (k < channel.length) {
    if (received[k]) {
      k++;
      continue;
    }
    const start = k;
    while (k < channel.length && !received[k]) k++;
    const before = start > 0 ? channel[start - 1]! : (channel[k] ?? 0);
    const after = k < channel.length ? channel[k]! : before;
    for (let j = start; j < k; j++) channel[j] = Math.round(before + ((after - before) * (j - start + 1)) / (k - start + 1));
  }
}
