/**
 * Replies awaited with a timeout, matched by a key (a command, a sequence number, a call id): the
 * request/reply half of every device protocol here and of both clients of the device agent (the
 * Electron device host, the browser's agent client), after zigbee-herdsman's Waitress. Pure, so
 * every process can use it. Whoever reads
 * the wire calls `resolve(key, reply)` / `reject(key, error)`; a reply nobody waits for any more (it
 * came after its timeout) finds no waiter and is dropped by the caller. Every waiter settles exactly
 * once: by its reply, its error, its timeout or `rejectAll` (the port closed).
 *
 * p-timeout would wrap one promise in a timer, but the matching of replies to waiters, which is the
 * part each driver used to write by hand, would stay ours; so this small module does both.
 */
interface Waiter<Reply> {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class Waitress<Key, Reply> {
  readonly #waiters = new Map<Key, Waiter<Reply>>();

  /**
   * Waits for the reply under `key`. After `timeoutMs` the waiter is removed and rejected with what
   * `timeoutError()` returns (called then, so it can describe what had arrived so far).
   */
  wait(key: Key, timeoutMs: number, timeoutError: () => Error): Promise<Reply> {
    if (this.#waiters.has(key)) return Promise.reject(new Error(`Waitress: already waiting for ${String(key)}`));
    const reply = new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(key);
        reject(timeoutError());
      }, timeoutMs);
      this.#waiters.set(key, { resolve, reject, timer });
    });
    // A caller waits first and writes its request second (so no reply can come before the waiter),
    // and only then awaits. A bad reply can arrive while the write is still in flight: rejected before
    // anyone listened, Node called it unhandled and killed the process (the `device read` CLI printed a
    // raw DeviceError instead of its one line). The caller still receives the rejection.
    reply.catch(() => undefined);
    return reply;
  }

  /** Whether anyone waits: for `key`, or for anything at all. */
  isWaiting(key?: Key): boolean {
    return key === undefined ? this.#waiters.size > 0 : this.#waiters.has(key);
  }

  /** The key waited for longest (a half-duplex device has at most one). */
  get oldest(): Key | undefined {
    for (const key of this.#waiters.keys()) return key;
    return undefined;
  }

  /** Settles the waiter for `key` with its reply; false when nobody waited (a late or stray reply). */
  resolve(key: Key, reply: Reply): boolean {
    const waiter = this.#take(key);
    waiter?.resolve(reply);
    return waiter !== undefined;
  }

  /** Rejects the waiter for `key`; false when nobody waited. */
  reject(key: Key, error: Error): boolean {
    const waiter = this.#take(key);
    waiter?.reject(error);
    return waiter !== undefined;
  }

  /** Rejects every waiter (the link closed). */
  rejectAll(error: Error): void {
    for (const key of [...this.#waiters.keys()]) this.reject(key, error);
  }

  #take(key: Key): Waiter<Reply> | undefined {
    const waiter = this.#waiters.get(key);
    if (!waiter) return undefined;
    this.#waiters.delete(key);
    clearTimeout(waiter.timer);
    return waiter;
  }
}
