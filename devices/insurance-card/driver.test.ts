import { afterEach, describe, expect, it } from 'vitest';
import { insuranceCardSchema } from '../../core/insurance/insurance-card.ts';
import { EventLog, sleep, slotSeenEmpty } from '../../tests/integration/devices-insurance-barcode/event-log.ts';
import { createMemoryPair } from '../transport/memory.ts';
import { sampleCardholders } from './cardholders.ts';
import { InsuranceCardDriver } from './driver.ts';
import { insuranceCardFamily } from './family.ts';
import { InsuranceCardSimulator, type InsuranceReaderFault } from './simulator.ts';

const fastTimings = { pollIntervalMs: 15, stepTimeoutMs: 400, reconnectIntervalMs: 30 };
const [first, second] = sampleCardholders as [(typeof sampleCardholders)[0], (typeof sampleCardholders)[0]];

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function setUp(chunkSize?: number) {
  const pair = createMemoryPair({ chunkSize, hostPath: 'memory:reader-host', devicePath: 'memory:reader' });
  const simulator = new InsuranceCardSimulator(pair.device, { unplug: pair.unplug });
  await simulator.start();
  const driver = new InsuranceCardDriver(pair.host, fastTimings);
  const log = new EventLog(driver);
  await driver.start();
  stops.push(() => driver.stop(), () => simulator.stop());
  return { pair, simulator, driver, log };
}

describe.each([
  ['whole reads', undefined],
  ['reads cut every 7 bytes', 7],
])('InsuranceCardDriver ↔ simulator over memory (%s)', (_label, chunkSize) => {
  it('reads a card placed on the reader once, and again only after it was lifted', async () => {
    const { simulator, log } = await setUp(chunkSize);
    simulator.insertCard(first);
    const read = await log.next('insurance-card');
    expect(read.card).toEqual(first);
    expect(insuranceCardSchema.parse(JSON.parse(JSON.stringify(read.card)))).toEqual(first);

    await sleep(fastTimings.pollIntervalMs * 6);
    expect(log.all('insurance-card')).toHaveLength(1);

    simulator.removeCard();
    await slotSeenEmpty(simulator);
    simulator.insertCard(second);
    expect((await log.next('insurance-card')).card).toEqual(second);
    expect(log.all('error')).toEqual([]);
  });

  it('reports reading while the card is read, then ready', async () => {
    const { simulator, log } = await setUp(chunkSize);
    simulator.insertCard(first);
    await log.next('insurance-card');
    const statuses = log.all('status').map((e) => e.status);
    expect(statuses.slice(-3)).toEqual(['ready', 'reading', 'ready']);
  });
});

const faultOutcomes: Array<[InsuranceReaderFault, string, RegExp | undefined]> = [
  ['bad-checksum', 'bad-checksum', undefined],
  ['truncated', 'bad-frame', /truncated reply to command 32/],
  ['silent', 'timeout', /no reply to command 32/],
  ['no-card', 'no-card', undefined],
  ['select-failed', 'select-failed', /select SSSE: SW 6A82/],
];

describe.each([undefined, 7])('named faults over memory (chunk size %s)', (chunkSize) => {
  it.each(faultOutcomes)('%s ends in one %s error, then the next card reads', async (fault, code, detail) => {
    const { simulator, log } = await setUp(chunkSize);
    simulator.injectFault(fault);
    simulator.insertCard(first);
    const { error } = await log.next('error');
    expect(error.code).toBe(code);
    if (detail) expect(error.detail).toMatch(detail);
    expect(error.messageZh.length).toBeGreaterThan(0);

    simulator.removeCard();
    await slotSeenEmpty(simulator);
    simulator.insertCard(second);
    expect((await log.next('insurance-card')).card).toEqual(second);
    expect(log.all('insurance-card')).toHaveLength(1);
    expect(log.all('error')).toHaveLength(1);
  });

  it('garbage-before-preamble is skipped and the card still reads, without an error', async () => {
    const { simulator, log } = await setUp(chunkSize);
    simulator.injectFault('garbage-before-preamble');
    simulator.insertCard(first);
    expect((await log.next('insurance-card')).card).toEqual(first);
    expect(log.all('error')).toEqual([]);
  });

  it('unplugged-mid-frame reports the unplug, reconnects, and reads the next card', async () => {
    const { pair, simulator, log } = await setUp(chunkSize);
    simulator.injectFault('unplugged-mid-frame');
    simulator.insertCard(first);
    const { error } = await log.next('error');
    expect(error.code).toBe('unplugged');
    expect(log.all('status').some((e) => e.status === 'disconnected')).toBe(true);

    await pair.device.open(); // the reader is plugged back in; the driver reopens its side itself
    simulator.removeCard();
    await slotSeenEmpty(simulator);
    simulator.insertCard(second);
    expect((await log.next('insurance-card')).card).toEqual(second);
    expect(log.all('error').map((e) => e.error.code)).toEqual(['unplugged']);
  });
});

describe('subscribers', () => {
  it('keep getting cards when another subscriber throws', async () => {
    const { driver, simulator, log } = await setUp();
    driver.onEvent(() => {
      throw new Error('broken subscriber');
    });
    simulator.insertCard(first);
    expect((await log.next('insurance-card')).card).toEqual(first);
    simulator.removeCard();
    await slotSeenEmpty(simulator);
    simulator.insertCard(second);
    expect((await log.next('insurance-card')).card).toEqual(second);
  });
});

describe('a reader that stops answering', () => {
  it('refuses to start when nothing answers on the port', async () => {
    const pair = createMemoryPair();
    const driver = new InsuranceCardDriver(pair.host, fastTimings);
    await expect(driver.start()).rejects.toMatchObject({ code: 'timeout' });
  });

  it('is reported once, not on every poll, and recovers when it answers again', async () => {
    const { simulator, log } = await setUp();
    await simulator.stop();
    await sleep(fastTimings.stepTimeoutMs * 4);
    expect(log.all('error').map((e) => e.error.code)).toEqual(['timeout']);
    await simulator.start();
    simulator.insertCard(first);
    expect((await log.next('insurance-card')).card).toEqual(first);
  });
});

describe('insuranceCardFamily', () => {
  it('finds a reader with a status command and no card in it', async () => {
    const pair = createMemoryPair();
    const simulator = insuranceCardFamily.createSimulator(pair.device);
    await simulator.start();
    await pair.host.open();
    expect(await insuranceCardFamily.probe(pair.host, 200)).toBe(true);
    await simulator.stop();
  });

  it('says no when nothing answers the probe', async () => {
    const pair = createMemoryPair();
    await pair.device.open();
    expect(await insuranceCardFamily.probe(pair.host, 100)).toBe(false);
  });
});
