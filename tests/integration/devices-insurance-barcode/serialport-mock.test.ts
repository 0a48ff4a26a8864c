/**
 * Both families over serialport's own stream code with the mock binding (SerialPortMock): the driver
 * on a SerialTransport, the simulator on the mock port's device end. Reads arrive in chunks of at
 * most `maxReadSize` bytes; 7 cuts every reader frame awkwardly.
 */
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { BarcodeScannerDriver } from '../../../devices/barcode/driver.ts';
import { BarcodeScannerSimulator } from '../../../devices/barcode/simulator.ts';
import { makeVoucherToken } from '../../../devices/barcode/test-data.ts';
import { sampleCardholders } from '../../../devices/insurance-card/cardholders.ts';
import { InsuranceCardDriver } from '../../../devices/insurance-card/driver.ts';
import { InsuranceCardSimulator, type InsuranceReaderFault } from '../../../devices/insurance-card/simulator.ts';
import { MockDeviceTransport } from '../../../devices/transport/serial-mock-device.ts';
import { SerialTransport } from '../../../devices/transport/serial.ts';
import { EventLog, slotSeenEmpty, untilStatus } from './event-log.ts';

const timings = { pollIntervalMs: 15, stepTimeoutMs: 400, reconnectIntervalMs: 30 };
const [first, second] = sampleCardholders as [(typeof sampleCardholders)[0], (typeof sampleCardholders)[0]];

let portCounter = 0;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mockPort(maxReadSize: number | undefined, baudRate: number) {
  const path = `/dev/ttyMOCK-ins-bar-${process.pid}-${portCounter++}`;
  SerialPortMock.binding.createPort(path, { echo: false, record: false, ...(maxReadSize ? { maxReadSize } : {}) });
  const host = new SerialTransport(path, { baudRate }, { binding: 'mock' });
  await host.open();
  const device = new MockDeviceTransport(host);
  await device.open();
  cleanups.push(() => host.close());
  return { host, device };
}

async function readerOverMock(maxReadSize?: number) {
  const { host, device } = await mockPort(maxReadSize, 115200);
  const simulator = new InsuranceCardSimulator(device, { unplug: () => device.unplug() });
  await simulator.start();
  const driver = new InsuranceCardDriver(host, timings);
  const log = new EventLog(driver);
  await driver.start();
  cleanups.push(() => driver.stop());
  return { host, device, simulator, log };
}

async function nextCardReads(simulator: InsuranceCardSimulator, log: EventLog) {
  simulator.removeCard();
  await slotSeenEmpty(simulator);
  simulator.insertCard(second);
  expect((await log.next('insurance-card')).card).toEqual(second);
}

const faults: Array<[InsuranceReaderFault, string | undefined]> = [
  ['bad-checksum', 'bad-checksum'],
  ['truncated', 'bad-frame'],
  ['silent', 'timeout'],
  ['garbage-before-preamble', undefined],
  ['unplugged-mid-frame', 'unplugged'],
  ['no-card', 'no-card'],
  ['select-failed', 'select-failed'],
];

describe.each([undefined, 7])('social security card reader over SerialPortMock (maxReadSize %s)', (maxReadSize) => {
  it('reads the card on the reader into an insurance-card event', async () => {
    const { simulator, log } = await readerOverMock(maxReadSize);
    simulator.insertCard(first);
    expect((await log.next('insurance-card')).card).toEqual(first);
  });

  it.each(faults)('fault %s → %s, and the next card still reads', async (fault, code) => {
    const { device, simulator, log } = await readerOverMock(maxReadSize);
    simulator.injectFault(fault);
    simulator.insertCard(first);
    if (code === undefined) {
      // Noise before the preamble is skipped: the card reads with no error at all.
      expect((await log.next('insurance-card')).card).toEqual(first);
      expect(log.all('error')).toEqual([]);
      return;
    }
    const { error } = await log.next('error');
    expect(error.code).toBe(code);
    expect(error.messageZh).not.toBe('');
    if (fault === 'unplugged-mid-frame') await device.open(); // plugged back in; the driver reopens
    await nextCardReads(simulator, log);
    expect(log.all('error').map((e) => e.error.code)).toEqual([code]);
  });
});

describe.each([undefined, 7])('barcode scanner over SerialPortMock (maxReadSize %s)', (maxReadSize) => {
  it('emits a long insurance voucher scanned with CRLF as one code', async () => {
    const { host, device } = await mockPort(maxReadSize, 9600);
    const simulator = new BarcodeScannerSimulator(device, { suffix: 'crlf', burstBytes: 32, burstPauseMs: 1 });
    const driver = new BarcodeScannerDriver(host, { suffix: 'crlf' });
    const log = new EventLog(driver);
    await driver.start();
    cleanups.push(() => driver.stop());
    const token = makeVoucherToken(700);
    await simulator.scan(token);
    expect((await log.next('scanned-code')).code).toMatchObject({ text: token, symbology: 'medical-insurance-voucher' });
  });

  it('reports an unplugged scanner and reads again once it is back', async () => {
    const { host, device } = await mockPort(maxReadSize, 9600);
    const simulator = new BarcodeScannerSimulator(device, { suffix: 'cr' });
    const driver = new BarcodeScannerDriver(host, { suffix: 'cr', reconnectIntervalMs: 20 });
    const log = new EventLog(driver);
    await driver.start();
    cleanups.push(() => driver.stop());
    device.unplug();
    expect((await log.next('error')).error.code).toBe('unplugged');
    await device.open();
    await untilStatus(log, 'ready');
    await simulator.scan('S20261123-0099');
    expect((await log.next('scanned-code')).code.text).toBe('S20261123-0099');
  });
});
