import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReconnectPolicy } from './reconnect.ts';
import { Sequencer } from './sequencer.ts';
import { Waitress } from './waitress.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('Waitress: replies matched to requests, each with a timeout', () => {
  it('hands each reply to the request it answers, whatever order they come in', async () => {
    const waitress = new Waitress<number, string>();
    const first = waitress.wait(1, 1000, () => new Error('timeout 1'));
    const second = waitress.wait(2, 1000, () => new Error('timeout 2'));
    expect(waitress.oldest).toBe(1);
    expect(waitress.resolve(2, 'two')).toBe(true);
    expect(waitress.resolve(1, 'one')).toBe(true);
    await expect(first).resolves.toBe('one');
    await expect(second).resolves.toBe('two');
    expect(waitress.isWaiting()).toBe(false);
  });

  it('rejects a request nobody answered with the error built at its timeout, and drops the late reply', async () => {
    vi.useFakeTimers();
    const waitress = new Waitress<string, string>();
    let partial = 0;
    const reply = waitress.wait('find', 500, () => new Error(`no reply, ${partial} bytes`));
    partial = 7;
    vi.advanceTimersByTime(500);
    await expect(reply).rejects.toThrow('no reply, 7 bytes');
    expect(waitress.resolve('find', 'late')).toBe(false);
  });

  it('rejects every waiter when the link closes, and refuses a second wait on the same key', async () => {
    const waitress = new Waitress<number, string>();
    const a = waitress.wait(1, 1000, () => new Error('timeout'));
    await expect(waitress.wait(1, 1000, () => new Error('timeout'))).rejects.toThrow('already waiting');
    waitress.rejectAll(new Error('unplugged'));
    await expect(a).rejects.toThrow('unplugged');
    expect(waitress.isWaiting(1)).toBe(false);
  });

  it('keeps a reply rejected while the request is still being written for the caller, without an unhandled rejection', async () => {
    const waitress = new Waitress<string, string>();
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const reply = waitress.wait('find', 1000, () => new Error('timeout'));
      waitress.reject('find', new Error('bad checksum')); // the device answered before the write completed
      await new Promise((resolve) => setTimeout(resolve, 20)); // the write's callback, a few ticks later
      await expect(reply).rejects.toThrow('bad checksum');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});

describe('Sequencer: one task at a time, in order', () => {
  it('starts a task only after the one before it settled, even when that one failed', async () => {
    const sequencer = new Sequencer();
    const log: string[] = [];
    let releaseFirst!: () => void;
    const first = sequencer.run(async () => {
      log.push('first starts');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      log.push('first fails');
      throw new Error('first failed');
    });
    const second = sequencer.run(async () => {
      log.push('second runs');
      return 2;
    });
    await vi.waitFor(() => expect(log).toEqual(['first starts']));
    releaseFirst();
    await expect(first).rejects.toThrow('first failed');
    await expect(second).resolves.toBe(2);
    expect(log).toEqual(['first starts', 'first fails', 'second runs']);
  });

  it('is idle only once every task it was given has settled', async () => {
    const sequencer = new Sequencer();
    expect(sequencer.idle).toBe(true);
    let release!: () => void;
    const first = sequencer.run(() => new Promise<void>((resolve) => (release = resolve)));
    const second = sequencer.run(async () => {
      throw new Error('second failed');
    });
    expect(sequencer.idle).toBe(false);
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    release();
    await first;
    expect(sequencer.idle).toBe(false);
    await expect(second).rejects.toThrow('second failed');
    expect(sequencer.idle).toBe(true);
  });
});

describe('ReconnectPolicy', () => {
  it('doubles the pause after each failed attempt up to the ceiling, and starts over once the device is back', () => {
    const policy = new ReconnectPolicy({ initialMs: 250, maxMs: 2000 });
    expect([1, 2, 3, 4, 5].map(() => policy.nextDelayMs())).toEqual([250, 500, 1000, 2000, 2000]);
    policy.reset();
    expect(policy.nextDelayMs()).toBe(250);
  });

  it('keeps a constant pause when no ceiling above the first pause is given', () => {
    const policy = new ReconnectPolicy({ initialMs: 1000 });
    expect([1, 2, 3].map(() => policy.nextDelayMs())).toEqual([1000, 1000, 1000]);
  });
});
