/**
 * The event side every device driver shares: subscribers, the last status reported (so a status is
 * announced once, not on every poll), and errors as plain DeviceError JSON. A subscriber that
 * throws must not stop the driver or starve the other subscribers, so each call is isolated.
 */
import type { DeviceEvent, DeviceKind, DeviceStatus } from '../../core/contract/workstation-api.ts';
import type { DeviceError } from '../../core/contract/device-error.ts';

export class DriverEvents {
  readonly #listeners = new Set<(event: DeviceEvent) => void>();
  #status: DeviceStatus = 'disconnected';

  constructor(private readonly kind: DeviceKind) {}

  get status(): DeviceStatus {
    return this.#status;
  }

  subscribe(listener: (event: DeviceEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: DeviceEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A faulty subscriber must not stop the device or the other subscribers.
      }
    }
  }

  /** Announces a status change; the same status again is announced only when it carries an error. */
  setStatus(status: DeviceStatus, error?: DeviceError): void {
    if (status === this.#status && !error) return;
    this.#status = status;
    this.emit({ type: 'status', kind: this.kind, status, ...(error ? { error: error.toJSON() } : {}) });
  }

  reportError(error: DeviceError): void {
    this.emit({ type: 'error', kind: this.kind, error: error.toJSON() });
  }
}
