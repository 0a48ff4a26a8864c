/**
 * Waiting between retries: doubles from `initialMs` to `maxMs` after each failure, back to
 * `initialMs` after a success, and can be cut short (the nurse presses 同步, the network returns).
 * RxDB's own retry waits a fixed time that nothing can interrupt, so the replication handlers retry
 * here instead.
 */
export class Backoff {
  private delay: number;
  private wakers = new Set<() => void>();

  constructor(
    private readonly initialMs = 1_000,
    private readonly maxMs = 60_000,
  ) {
    this.delay = initialMs;
  }

  get nextDelayMs(): number {
    return this.delay;
  }

  succeeded(): void {
    this.delay = this.initialMs;
  }

  /** Waits the current delay (or until wake()), then doubles it for the next failure. */
  async failed(): Promise<void> {
    const ms = this.delay;
    this.delay = Math.min(this.delay * 2, this.maxMs);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  /** Ends every current wait now and retries at the initial delay. */
  wake(): void {
    this.delay = this.initialMs;
    for (const w of [...this.wakers]) w();
  }
}
