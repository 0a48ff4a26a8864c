/**
 * Runs async tasks one after another, in the order they were asked for: a device answers one
 * command at a time, and two configuration changes must not interleave. A task that fails fails
 * only its own caller; the next task runs all the same.
 */
export class Sequencer {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(task, task);
    this.#tail = next.catch(() => undefined);
    return next;
  }
}
