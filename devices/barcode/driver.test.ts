import { afterEach, describe, expect, it } from 'vitest';
import { scannedCodeSchema } from '../../core/insurance/scanned-code.ts';
import { EventLog, sleep, untilStatus } from '../../tests/integration/devices-insurance-barcode/event-log.ts';
import { createMemoryPair } from '../transport/memory.ts';
import { BarcodeScannerDriver, barcodeScannerOptionsSchema } from './driver.ts';
import { barcodeFamily } from './family.ts';
import { BarcodeScannerSimulator } from './simulator.ts';
import { makeVoucherToken } from './test-data.ts';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function setUp(options: { chunkSize?: number; suffix?: 'cr' | 'crlf' | 'none' } = {}) {
  const pair = createMemoryPair({ chunkSize: options.chunkSize, hostPath: 'memory:scanner-host', devicePath: 'memory:scanner' });
  const suffix = options.suffix ?? 'cr';
  const simulator = new BarcodeScannerSimulator(pair.device, { suffix });
  await simulator.start();
  const driver = new BarcodeScannerDriver(pair.host, { suffix, interByteTimeoutMs: 150, reconnectIntervalMs: 20 });
  const log = new EventLog(driver);
  await driver.start();
  stops.push(() => driver.stop());
  return { pair, simulator, driver, log };
}

describe.each([
  ['cr', undefined],
  ['crlf', 7],
  ['none', 7],
] as const)('BarcodeScannerDriver ↔ simulator, suffix %s, chunk size %s', (suffix, chunkSize) => {
  it('emits a scanned insurance voucher as one code, typed at scanner pace', async () => {
    const { simulator, log } = await setUp({ suffix, chunkSize });
    const token = makeVoucherToken(600);
    const before = Date.now();
    await simulator.scan(token, { burstBytes: 64, burstPauseMs: 2 });
    const { code } = await log.next('scanned-code');
    expect(code.text).toBe(token);
    expect(code.symbology).toBe('medical-insurance-voucher');
    expect(Date.parse(code.receivedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(scannedCodeSchema.parse(JSON.parse(JSON.stringify(code)))).toEqual(code);
  });

  it('emits two scans in a row as two codes', async () => {
    const { simulator, log } = await setUp({ suffix, chunkSize });
    await simulator.scan('S20261123-0001');
    if (suffix === 'none') await sleep(400);
    await simulator.scan('6901234567892');
    expect((await log.next('scanned-code')).code.text).toBe('S20261123-0001');
    const second = (await log.next('scanned-code')).code;
    expect(second).toMatchObject({ text: '6901234567892', symbology: 'ean-13' });
  });
});

describe('BarcodeScannerDriver failures', () => {
  it('reports an over-long code with a clear error and reads the next scan', async () => {
    const pair = createMemoryPair();
    const simulator = new BarcodeScannerSimulator(pair.device, { suffix: 'cr' });
    await simulator.start();
    const driver = new BarcodeScannerDriver(pair.host, { suffix: 'cr', maxCodeBytes: 256 });
    const log = new EventLog(driver);
    await driver.start();
    stops.push(() => driver.stop());
    await simulator.scan('Z'.repeat(1000));
    await simulator.scan('NEXT-OK');
    const { error } = await log.next('error');
    expect(error).toMatchObject({ code: 'scan-too-long', messageZh: expect.stringContaining('过长') });
    expect((await log.next('scanned-code')).code.text).toBe('NEXT-OK');
  });

  it('reports an unplugged scanner, reopens the port and reads the next scan', async () => {
    const { pair, simulator, log } = await setUp();
    pair.unplug();
    expect((await log.next('error')).error.code).toBe('unplugged');
    await pair.device.open();
    await untilStatus(log, 'ready');
    await simulator.scan('AFTER-REPLUG');
    expect((await log.next('scanned-code')).code.text).toBe('AFTER-REPLUG');
    expect(log.all('status').map((e) => e.status)).toContain('disconnected');
  });
});

describe('barcodeFamily', () => {
  it('never claims a port on probe: scanners do not answer', async () => {
    const pair = createMemoryPair();
    await barcodeFamily.createSimulator(pair.device).start();
    expect(await barcodeFamily.probe(pair.host, 100)).toBe(false);
  });

  it('validates scanner options from settings', () => {
    expect(barcodeScannerOptionsSchema.parse({ suffix: 'crlf', interByteTimeoutMs: 40 })).toEqual({ suffix: 'crlf', interByteTimeoutMs: 40 });
    expect(barcodeScannerOptionsSchema.safeParse({ suffix: 'tab' }).success).toBe(false);
    expect(barcodeScannerOptionsSchema.safeParse({ maxCodeBytes: 10 ** 9 }).success).toBe(false);
  });
});
