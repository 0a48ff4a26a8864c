/**
 * ID card reader benchmarks. Run: npx tsx tests/bench/id-card.bench.ts
 *
 * 1. Driver overhead: from the moment the last byte of a 1295-byte read reply arrives to the
 *    IdentityDocument in hand (framing, checksum, layout, UCS-2 decode, ID-number check). Target:
 *    median < 2 ms.
 * 2. A whole find → select → read over a real socat pty pair, the simulator pacing its bytes at
 *    115200 baud 8N1 as a reader's UART would. Compared with the wire time of the bytes exchanged.
 *    Target: within 10 % of wire time.
 */
import { performance } from 'node:perf_hooks';
import { decodeCommand, encodeCardReadData, encodeCommand, encodeReply, samCommandOf } from '../../devices/id-card/codec.ts';
import { IdCardDriver } from '../../devices/id-card/driver.ts';
import { identitySamples } from '../../devices/id-card/samples.ts';
import { IdCardSimulator, wireMs } from '../../devices/id-card/simulator.ts';
import { encodeIdentityText, type IdentityText } from '../../core/identity/text-block.ts';
import { createMemoryPair } from '../../devices/transport/memory.ts';
import { SerialTransport } from '../../devices/transport/serial.ts';
import { startPtyPair } from '../integration/devices/pty-pair.ts';
import { Ga467Framer } from '../../devices/id-card/framer.ts';
import { figure } from './support/figures.ts';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const ms = (n: number) => `${n.toFixed(3)} ms`;

async function driverOverhead(iterations: number): Promise<number[]> {
  const pair = createMemoryPair();
  await pair.device.open();
  const { photoWlt, ...text } = identitySamples[0]!.document;
  const readReply = encodeReply(0x90, encodeCardReadData({ text: encodeIdentityText(text as IdentityText), photo: photoWlt }));
  let lastByteAt = 0;
  const framer = new Ga467Framer(3);
  // A bare SAM: find and select answered through the pair; the read reply is delivered by hand so
  // the clock starts exactly when its last byte reaches the driver.
  pair.device.onData((chunk) => {
    for (const frame of framer.push(chunk)) {
      const { cmd, para } = decodeCommand(frame);
      const command = samCommandOf(cmd, para);
      if (command === 'findCard') void pair.device.write(encodeReply(0x9f, new Uint8Array(4)));
      else if (command === 'selectCard') void pair.device.write(encodeReply(0x90, new Uint8Array(8)));
      else if (command === 'readTextAndPhoto') {
        setImmediate(() => {
          pair.host.deliver(readReply.subarray(0, readReply.length - 1));
          lastByteAt = performance.now();
          pair.host.deliver(readReply.subarray(readReply.length - 1));
        });
      }
    }
  });
  await pair.host.open();
  const driver = new IdCardDriver(pair.host, { readAdditionalAddress: false });
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const document = await driver.readCard();
    const elapsed = performance.now() - lastByteAt;
    if (document.cardType !== 'resident') throw new Error('wrong document');
    if (i >= 50) samples.push(elapsed); // first reads warm the JIT
  }
  await driver.dispose();
  return samples;
}

async function fullReadOverPty(iterations: number, baudRate: number) {
  const pair = await startPtyPair();
  const host = new SerialTransport(pair.hostPath, { baudRate });
  const device = new SerialTransport(pair.devicePath, { baudRate });
  const simulator = new IdCardSimulator(device, { sampleId: identitySamples[0]!.id, pacedBaudRate: baudRate });
  await simulator.start();
  const driver = new IdCardDriver(host, { readAdditionalAddress: false });
  await driver.connect();
  const { photoWlt, ...text } = identitySamples[0]!.document;
  const bytes =
    encodeCommand('findCard').length + encodeReply(0x9f, new Uint8Array(4)).length +
    encodeCommand('selectCard').length + encodeReply(0x90, new Uint8Array(8)).length +
    encodeCommand('readTextAndPhoto').length +
    encodeReply(0x90, encodeCardReadData({ text: encodeIdentityText(text as IdentityText), photo: photoWlt })).length;
  const times: number[] = [];
  for (let i = 0; i < iterations + 2; i++) {
    const started = performance.now();
    await driver.readCard();
    if (i >= 2) times.push(performance.now() - started);
  }
  await driver.dispose();
  await host.close();
  await device.close();
  await pair.dispose();
  return { times, bytes, wire: wireMs(bytes, baudRate) };
}

const overhead = await driverOverhead(1050);
console.log('ID card driver overhead, last reply byte → IdentityDocument (1295-byte reply, 1000 reads)');
console.log(`  median ${ms(median(overhead))}   p95 ${ms(percentile(overhead, 0.95))}   max ${ms(Math.max(...overhead))}   target median < 2 ms: ${median(overhead) < 2 ? 'met' : 'NOT MET'}`);

const full = await fullReadOverPty(20, 115200);
const fullMedian = median(full.times);
const ratio = fullMedian / full.wire;
figure({ name: 'ID card driver overhead median (reply → IdentityDocument)', value: median(overhead), unit: 'ms', target: { op: '<', value: 2 } });
console.log('Full find → select → read over a socat pty, simulator paced at 115200 baud 8N1 (20 reads)');
console.log(`  ${full.bytes} bytes on the wire = ${ms(full.wire)} wire time`);
figure({ name: 'ID card full read over a pty, time over wire time', value: (ratio - 1) * 100, unit: '%', target: { op: '<=', value: 10 } });
console.log(`  median ${ms(fullMedian)}   min ${ms(Math.min(...full.times))}   max ${ms(Math.max(...full.times))}   ${((ratio - 1) * 100).toFixed(1)} % over wire time; target ≤ 10 %: ${ratio <= 1.1 ? 'met' : 'NOT MET'}`);
process.exit(0);
