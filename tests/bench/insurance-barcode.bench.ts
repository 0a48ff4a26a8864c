/**
 * Figures for the social security card reader and the barcode scanner:
 * - time from "card placed" to the insurance-card event, over an in-memory pair and over a real socat
 *   pty pair (12 APDUs + power on/off + status polls, with the driver's default 300 ms poll replaced by
 *   10 ms so the figure is the read itself);
 * - framer throughput for reader frames and for CR-terminated 480-byte voucher scans.
 * Run: npx tsx tests/bench/insurance-barcode.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { ScanFramer } from '../../devices/barcode/framer.ts';
import { encodeScan } from '../../devices/barcode/codec.ts';
import { makeVoucherToken } from '../../devices/barcode/test-data.ts';
import { sampleCardholders } from '../../devices/insurance-card/cardholders.ts';
import { encodeReaderFrame } from '../../devices/insurance-card/codec.ts';
import { InsuranceCardDriver } from '../../devices/insurance-card/driver.ts';
import { ReaderFramer } from '../../devices/insurance-card/framer.ts';
import { InsuranceCardSimulator } from '../../devices/insurance-card/simulator.ts';
import { createMemoryPair } from '../../devices/transport/memory.ts';
import { SerialTransport } from '../../devices/transport/serial.ts';
import type { Transport } from '../../devices/transport/transport.ts';
import { startPtyPair } from '../integration/devices/pty-pair.ts';
import { figure } from './support/figures.ts';

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

async function cardReadTimes(host: Transport, device: Transport, reads: number): Promise<number[]> {
  const simulator = new InsuranceCardSimulator(device);
  await simulator.start();
  const driver = new InsuranceCardDriver(host, { pollIntervalMs: 10, stepTimeoutMs: 1000 });
  let settle: ((error?: string) => void) | undefined;
  driver.onEvent((event) => {
    if (event.type === 'insurance-card') settle?.();
    if (event.type === 'error') settle?.(`read failed: ${event.error.code}`);
  });
  await driver.start();
  const times: number[] = [];
  for (let i = 0; i < reads; i++) {
    const read = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no card read within 10 s')), 10_000);
      settle = (error) => {
        clearTimeout(timer);
        if (error) reject(new Error(error));
        else resolve();
      };
    });
    const t0 = performance.now();
    simulator.insertCard(sampleCardholders[i % sampleCardholders.length]);
    await read;
    times.push(performance.now() - t0);
    simulator.removeCard();
    // Two polls after the removal: the driver has seen the slot empty, so the next card is new.
    await simulator.nextStatusPoll();
    await simulator.nextStatusPoll();
  }
  await driver.stop();
  await simulator.stop();
  return times;
}

const report = (label: string, times: number[]) => {
  figure({ name: `${label} median`, value: percentile(times, 0.5), unit: 'ms' });
  console.log(`${label}: median ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms (n=${times.length})`);
};

const memory = createMemoryPair();
await memory.device.open();
report('card placed → insurance-card event, memory pair', await cardReadTimes(memory.host, memory.device, 50));

let socat = false;
try {
  execFileSync('sh', ['-c', 'command -v socat'], { stdio: 'ignore' });
  socat = true;
} catch {
  console.log('socat not installed: pty figure skipped (apt-get install -y socat)');
}
if (socat) {
  const pair = await startPtyPair();
  const host = new SerialTransport(pair.hostPath, { baudRate: 115200 });
  const device = new SerialTransport(pair.devicePath, { baudRate: 115200 });
  await device.open();
  report('card placed → insurance-card event, socat pty pair', await cardReadTimes(host, device, 20));
  await host.close();
  await device.close();
  await pair.dispose();
}

{
  const frames = Array.from({ length: 10_000 }, (_, i) => encodeReaderFrame({ command: 0x32, data: Uint8Array.of(0, i & 0xff, 0x90, 0x00) }));
  const stream = Uint8Array.from(frames.flatMap((f) => Array.from(f)));
  const framer = new ReaderFramer();
  const t0 = performance.now();
  let found = 0;
  for (let i = 0; i < stream.length; i += 64) found += framer.push(stream.subarray(i, i + 64)).length;
  const ms = performance.now() - t0;
  console.log(`ReaderFramer: ${found} frames (${stream.length} bytes, 64-byte reads) in ${ms.toFixed(1)} ms = ${(stream.length / 1024 / (ms / 1000)).toFixed(0)} KiB/s`);
}

{
  const scan = encodeScan(makeVoucherToken(480), 'cr');
  const count = 5_000;
  let codes = 0;
  const framer = new ScanFramer(
    { suffix: 'cr', interByteTimeoutMs: 50, maxCodeBytes: 4296, incompleteTimeoutMs: 1000 },
    { code: () => codes++, error: (e) => console.log('unexpected', e.code) },
  );
  const t0 = performance.now();
  for (let i = 0; i < count; i++) for (let j = 0; j < scan.length; j += 64) framer.push(scan.subarray(j, j + 64));
  await new Promise((r) => setImmediate(r));
  const ms = performance.now() - t0;
  framer.dispose();
  console.log(`ScanFramer (CR): ${codes} voucher codes of ${scan.length} bytes in ${ms.toFixed(1)} ms = ${((count * scan.length) / 1024 / (ms / 1000)).toFixed(0)} KiB/s`);
}
process.exit(0);
