/**
 * The listener half every Transport implementation shares: who hears the bytes that arrive and who
 * hears the port close. Listeners are called in the order they subscribed; one may unsubscribe
 * itself (or another) while being called.
 */
import type { DeviceError } from '../../core/contract/device-error.ts';

export class TransportListeners {
  readonly #data = new Set<(chunk: Uint8Array) => void>();
  readonly #close = new Set<(error?: DeviceError) => void>();

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.#data.add(listener);
    return () => this.#data.delete(listener);
  }

  onClose(listener: (error?: DeviceError) => void): () => void {
    this.#close.add(listener);
    return () => this.#close.delete(listener);
  }

  data(chunk: Uint8Array): void {
    for (const listener of this.#data) listener(chunk);
  }

  /** `error` is set when the close was not asked for (unplugged, I/O error). */
  closed(error: DeviceError | undefined): void {
    for (const listener of this.#close) listener(error);
  }
}
