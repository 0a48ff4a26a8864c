import { afterEach, describe, expect, it, vi } from 'vitest';
import { PollLoop } from './poll-loop.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('PollLoop', () => {
  it('pauses as long as each step asks, and stop() ends a long pause at once', async () => {
    vi.useFakeTimers();
    const steps: number[] = [];
    const loop = new PollLoop(async () => {
      steps.push(steps.length + 1);
      return steps.length === 1 ? 100 : 60_000;
    });
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(steps).toEqual([1]);
    await vi.advanceTimersByTimeAsync(100);
    expect(steps).toEqual([1, 2]);
    await loop.stop(); // would otherwise wait a minute
    expect(loop.running).toBe(false);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(steps).toEqual([1, 2]);
  });

  it('carries on after a step that throws, after the error pause', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const loop = new PollLoop(async () => {
      calls++;
      if (calls === 1) throw new Error('unexpected');
      return 10;
    }, 50);
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(50);
    expect(calls).toBe(2);
    await loop.stop();
  });
});
