/**
 * Collects a driver's DeviceEvents and waits for the next one that matches, with a deadline, so a
 * test fails with the events it did see instead of hanging.
 */
import type { DeviceEvent } from '../../../core/contract/workstation-api.ts';
import type { DeviceDriver } from '../../../devices/family/device-family.ts';

export type EventOf<T extends DeviceEvent['type']> = Extract<DeviceEvent, { type: T }>;

export class EventLog {
  readonly events: DeviceEvent[] = [];
  #cursor = 0;
  #waiters = new Set<() => void>();

  constructor(driver: Pick<DeviceDriver, 'onEvent'>) {
    driver.onEvent((event) => {
      this.events.push(event);
      for (const wake of this.#waiters) wake();
    });
  }

  /** Events of a type seen so far (from the start). */
  all<T extends DeviceEvent['type']>(type: T): EventOf<T>[] {
    return this.events.filter((e): e is EventOf<T> => e.type === type);
  }

  /** The next event of `type` after the last one returned by `next`. */
  next<T extends DeviceEvent['type']>(type: T, timeoutMs = 5000): Promise<EventOf<T>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (let i = this.#cursor; i < this.events.length; i++) {
          const event = this.events[i]!;
          if (event.type === type) {
            this.#cursor = i + 1;
            cleanup();
            resolve(event as EventOf<T>);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${type} event within ${timeoutMs} ms; saw ${JSON.stringify(this.events.slice(this.#cursor))}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * After a card was removed: waits for two status polls, so the driver has surely seen the slot
 * empty (the first may have been answered just before the removal).
 */
export async function slotSeenEmpty(reader: { nextStatusPoll(): Promise<void> }): Promise<void> {
  await reader.nextStatusPoll();
  await reader.nextStatusPoll();
}

/** Waits for the next status event with the given status (e.g. 'ready' after a reconnect). */
export async function untilStatus(log: EventLog, status: EventOf<'status'>['status'], timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const event = await log.next('status', Math.max(1, deadline - Date.now()));
    if (event.status === status) return;
  }
}
