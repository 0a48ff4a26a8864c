/**
 * Replays tests/fixtures/insurance-card/read-session.transcript: a scripted reader that expects the
 * host's frames byte for byte, in order, and answers with the recorded replies. Pins the wire format
 * independently of the simulator (which the transcript came from).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleCardholders } from '../../../devices/insurance-card/cardholders.ts';
import { InsuranceCardDriver } from '../../../devices/insurance-card/driver.ts';
import { createMemoryPair } from '../../../devices/transport/memory.ts';
import { EventLog } from './event-log.ts';

type Line = { direction: '>' | '<'; bytes: Uint8Array };

const transcript: Line[] = readFileSync(new URL('../../fixtures/insurance-card/read-session.transcript', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => /^[<>] /.test(line))
  .map((line) => ({
    direction: line[0] as '>' | '<',
    bytes: Uint8Array.from(line.slice(2).trim().split(' '), (h) => parseInt(h, 16)),
  }));

const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' ');

describe('the recorded read session', () => {
  it('is what the driver sends, byte for byte, and reads back 张伟’s card', async () => {
    const pair = createMemoryPair({ chunkSize: 5 });
    await pair.device.open();
    const expectedHost = transcript.filter((l) => l.direction === '>').map((l) => toHex(l.bytes));
    const seenHost: string[] = [];
    let cursor = 0;
    let pending: number[] = [];
    pair.device.onData((chunk) => {
      pending.push(...chunk);
      for (;;) {
        const expected = transcript[cursor];
        if (!expected || expected.direction !== '>' || pending.length < expected.bytes.length) return;
        seenHost.push(toHex(Uint8Array.from(pending.slice(0, expected.bytes.length))));
        pending = pending.slice(expected.bytes.length);
        cursor++;
        while (transcript[cursor]?.direction === '<') void pair.device.write(transcript[cursor++]!.bytes);
      }
    });

    const driver = new InsuranceCardDriver(pair.host, { pollIntervalMs: 5000 });
    const log = new EventLog(driver);
    await driver.start();
    const { card } = await log.next('insurance-card');
    await driver.stop();
    expect(card).toEqual(sampleCardholders[0]);
    expect(seenHost.slice(0, expectedHost.length)).toEqual(expectedHost);
  });
});
