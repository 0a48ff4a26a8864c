import { describe, expect, it } from 'vitest';
import { CallerCache, type Caller } from './authenticate.ts';

const nurse: Caller = { userId: 'chengguan-nurse', workstationId: 'ws-1', institutionId: 'chengguan', role: 'nurse', institutionKind: 'township_clinic' };

describe('the cache of checked callers', () => {
  it('trusts a checked token for its window, then asks for the user and workstation again', () => {
    let now = 10_000;
    const cache = new CallerCache(1000, () => now);
    cache.set('token-a', nurse, now + 900_000);
    now += 999;
    expect(cache.get('token-a')).toEqual(nurse);
    now += 1;
    expect(cache.get('token-a')).toBeUndefined();
  });

  it('never trusts a token past its own expiry', () => {
    let now = 10_000;
    const cache = new CallerCache(1000, () => now);
    cache.set('token-a', nurse, now + 200);
    now += 200;
    expect(cache.get('token-a')).toBeUndefined();
  });

  it('forgets everyone when an administrator revokes or disables someone here', () => {
    const cache = new CallerCache(1000);
    cache.set('token-a', nurse, Date.now() + 60_000);
    cache.clear();
    expect(cache.get('token-a')).toBeUndefined();
  });

  it('keeps nothing when the window is 0, and stays bounded under a flood of tokens', () => {
    const off = new CallerCache(0);
    off.set('token-a', nurse, Date.now() + 60_000);
    expect(off.get('token-a')).toBeUndefined();
    const small = new CallerCache(1000, Date.now, 3);
    for (const t of ['a', 'b', 'c', 'd']) small.set(t, nurse, Date.now() + 60_000);
    expect(['a', 'b', 'c'].map((t) => small.get(t))).toEqual([undefined, undefined, undefined]);
    expect(small.get('d')).toEqual(nurse);
  });
});
