/**
 * Runs async tasks one after another, in the order they were asked for: a device answers one
 * command at a time, two configuration changes must not interleave, and two writes of one local
 * document must not cross. A task that fails fails only its own caller; the next task runs all the same.
 */
export class Sequencer {
  #tail: Promise<unknown> = Promise.resolve();
  #unsettled = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    this.#unsettled++;
    const next = this.#tail.then(task, task);
    // Counted down before any caller's own handlers run (registered first), so `idle` is true there.
    const settled = () => void this.#unsettled--;
    this.#tail = next.then(settled, settled);
    return next;
  }

  /** Nothing queued or running: a keeper of one sequencer per key may forget this one. */
  get idle(): boolean {
    return this.#unsettled === 0;
  }
}
