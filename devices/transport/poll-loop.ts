/**
 * The loop under every polling driver (the card readers): run one step, pause for as long as the
 * step says, again, until stopped. `stop()` ends a pause at once and resolves when the step that is
 * running has finished, so a driver never touches the port after stop() returned. Steps turn their
 * failures into events; a step that throws anyway is followed by `errorPauseMs`, never a busy loop.
 */
export class PollLoop {
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  /** `step` returns the pause before the next step, in ms. */
  constructor(
    private readonly step: () => Promise<number>,
    private readonly errorPauseMs = 1000,
  ) {}

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
  }

  /** Ends the current pause early (a port closed: poll, or reconnect, now). */
  wake(): void {
    this.#wake?.();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let pause: number;
      try {
        pause = await this.step();
      } catch {
        pause = this.errorPauseMs;
      }
      if (!this.#running) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pause);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#wake = done;
      });
      this.#wake = undefined;
    }
  }
}
