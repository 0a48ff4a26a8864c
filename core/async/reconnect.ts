/**
 * How long to wait before the next attempt to reopen a device that went away: the first pause,
 * growing by `factor` after each failed attempt up to `maxMs`, back to the first pause once the
 * device answered. With `maxMs` equal to `initialMs` the pause stays constant (a reader on a desk
 * is plugged back within seconds; nothing is gained by waiting longer).
 */
export interface ReconnectPolicyOptions {
  initialMs: number;
  maxMs?: number;
  factor?: number;
}

export class ReconnectPolicy {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #factor: number;
  #attempts = 0;

  constructor({ initialMs, maxMs = initialMs, factor = 2 }: ReconnectPolicyOptions) {
    this.#initialMs = initialMs;
    this.#maxMs = Math.max(initialMs, maxMs);
    this.#factor = factor;
  }

  /** The pause before the next attempt; each call counts one attempt. */
  nextDelayMs(): number {
    const delay = Math.min(this.#maxMs, this.#initialMs * this.#factor ** this.#attempts);
    this.#attempts++;
    return delay;
  }

  /** The device is back: the next outage starts from the first pause again. */
  reset(): void {
    this.#attempts = 0;
  }
}
