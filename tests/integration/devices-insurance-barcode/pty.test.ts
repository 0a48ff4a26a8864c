/**
 * Both families over a real pseudo-terminal pair (socat, docs/protocols.md §5): driver on one end through
 * SerialTransport with the OS binding, simulator on the other, bytes through the kernel's tty layer.
 * Killing socat is a real unplug; starting it again on the same paths is the replug.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BarcodeScannerDriver } from '../../../devices/barcode/driver.ts';
import { BarcodeScannerSimulator } from '../../../devices/barcode/simulator.ts';
import { makeVoucherToken } from '../../../devices/barcode/test-data.ts';
import { sampleCardholders } from '../../../devices/insurance-card/cardholders.ts';
import { InsuranceCardDriver } from '../../../devices/insurance-card/driver.ts';
import { insuranceCardFamily } from '../../../devices/insurance-card/family.ts';
import { InsuranceCardSimulator } from '../../../devices/insurance-card/simulator.ts';
import { SerialTransport } from '../../../devices/transport/serial.ts';
import { requireSystemDependency } from '../../support/system-deps.ts';
import { startPtyPair, type PtyPair } from '../devices/pty-pair.ts';
import { EventLog, sleep, slotSeenEmpty } from './event-log.ts';

const timings = { pollIntervalMs: 20, stepTimeoutMs: 1000, reconnectIntervalMs: 50 };
const [first, second, third] = sampleCardholders as [(typeof sampleCardholders)[0], (typeof sampleCardholders)[0], (typeof sampleCardholders)[0]];

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function ptyEnds(baudRate: number) {
  const pair = await startPtyPair();
  cleanups.push(() => pair.dispose());
  const host = new SerialTransport(pair.hostPath, { baudRate });
  const device = new SerialTransport(pair.devicePath, { baudRate });
  await device.open();
  cleanups.push(() => host.close(), () => device.close());
  return { pair, host, device };
}

async function reopenWhenBack(pair: PtyPair, transport: SerialTransport) {
  await pair.replug();
  await transport.open();
}

describe.runIf(requireSystemDependency('socat'))('devices over a socat pty pair', () => {
  it('probes the reader and reads two cards in turn', async () => {
    const { host, device } = await ptyEnds(115200);
    const simulator = new InsuranceCardSimulator(device);
    await simulator.start();
    await host.open();
    expect(await insuranceCardFamily.probe(host, 500)).toBe(true);

    const driver = new InsuranceCardDriver(host, timings);
    const log = new EventLog(driver);
    await driver.start();
    cleanups.push(() => driver.stop());
    simulator.insertCard(first);
    expect((await log.next('insurance-card')).card).toEqual(first);
    simulator.removeCard();
    await slotSeenEmpty(simulator);
    simulator.insertCard(second);
    expect((await log.next('insurance-card')).card).toEqual(second);
    expect(log.all('error')).toEqual([]);
  });

  it('reports a corrupt reply and then reads the next card', async () => {
    const { host, device } = await ptyEnds(115200);
    const simulator = new InsuranceCardSimulator(device, { fault: 'bad-checksum' });
    await simulator.start();
    const driver = new InsuranceCardDriver(host, timings);
    const log = new EventLog(driver);
    await driver.start();
    cleanups.push(() => driver.stop());
    simulator.insertCard(first);
    expect((await log.next('error')).error.code).toBe('bad-checksum');
    simulator.removeCard();
    await slotSeenEmpty(simulator);
    simulator.insertCard(second);
    expect((await log.next('insurance-card')).card).toEqual(second);
  });

  it('survives the reader being unplugged mid-frame and plugged back in', async () => {
    const { pair, host, device } = await ptyEnds(115200);
    const simulator = new InsuranceCardSimulator(device, { fault: 'unplugged-mid-frame', unplug: () => void pair.unplug() });
    await simulator.start();
    const driver = new InsuranceCardDriver(host, timings);
    const log = new EventLog(driver);
    await driver.start();
    cleanups.push(() => driver.stop());
    simulator.insertCard(first);
    // Over a pty the hang-up races the half-read frame: the driver may first report the cut frame
    // ('bad-frame') or the missing rest of it ('timeout'), but it must report the unplug.
    const codes: string[] = [];
    while (!codes.includes('unplugged')) codes.push((await log.next('error', 10_000)).error.code);
    expect(codes.filter((code) => !['unplugged', 'bad-frame', 'timeout'].includes(code))).toEqual([]);

    simulator.removeCard();
    await reopenWhenBack(pair, device);
    await slotSeenEmpty(simulator);
    simulator.insertCard(third);
    expect((await log.next('insurance-card', 10_000)).card).toEqual(third);
  });

  it('receives a long insurance voucher from a CR scanner typing at 9600-baud pace', async () => {
    const { host, device } = await ptyEnds(9600);
    // 9600 baud ≈ 1 byte per ms: bursts of 16 bytes every 16 ms.
    const simulator = new BarcodeScannerSimulator(device, { suffix: 'cr', burstBytes: 16, burstPauseMs: 16 });
    const driver = new BarcodeScannerDriver(host, { suffix: 'cr' });
    const log = new EventLog(driver);
    await driver.start();
    cleanups.push(() => driver.stop());
    const token = makeVoucherToken(480);
    await simulator.scan(token);
    await simulator.scan('S20261123-0007');
    expect((await log.next('scanned-code')).code).toMatchObject({ text: token, symbology: 'medical-insurance-voucher' });
    expect((await log.next('scanned-code')).code.text).toBe('S20261123-0007');
  });

  it('splits suffix-less scans on the pause between them', async () => {
    const { host, device } = await ptyEnds(9600);
    const simulator = new BarcodeScannerSimulator(device, { suffix: 'none', burstBytes: 8, burstPauseMs: 5 });
    const driver = new BarcodeScannerDriver(host, { suffix: 'none', interByteTimeoutMs: 150 });
    const log = new EventLog(driver);
    await driver.start();
    cleanups.push(() => driver.stop());
    await simulator.scan('6901234567892');
    await sleep(500);
    await simulator.scan('S20261123-0008');
    expect((await log.next('scanned-code')).code).toMatchObject({ text: '6901234567892', symbology: 'ean-13' });
    expect((await log.next('scanned-code')).code.text).toBe('S20261123-0008');
  });
});
