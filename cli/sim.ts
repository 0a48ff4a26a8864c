/**
 * `npm run sim -- <family> --port PATH [options]`: plays a device on a real serial path — usually
 * one end of a socat pty pair whose other end the app or `npm run device` opens.
 *
 *   id-card        [--sample ID] [--fault NAME] [--fault-times N|always] [--paced] [--baud N]
 *   insurance-card [--sample N] [--fault NAME]
 *   barcode        [--code TEXT] [--suffix cr|crlf|lf|none]
 *   ecg            [--fault NAME]
 *
 * While it runs, lines on stdin act on the device: `place SAMPLE`, `remove`, `fault NAME`
 * (id-card), `place N`, `remove` (insurance-card), `scan TEXT` (barcode). It prints one "ready" line on stderr once it listens.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { deviceFamilies, isDeviceKind } from '../devices/agent/families.ts';
import type { DeviceSimulator } from '../devices/family/device-family.ts';
import { BarcodeScannerSimulator } from '../devices/barcode/simulator.ts';
import { DEFAULT_SAMPLE_ID, findIdentitySample, identitySamples } from '../devices/id-card/samples.ts';
import { IdCardSimulator, isSamFault, samFaults } from '../devices/id-card/simulator.ts';
import { sampleCardholders } from '../devices/insurance-card/cardholders.ts';
import { InsuranceCardSimulator } from '../devices/insurance-card/simulator.ts';
import { SerialTransport } from '../devices/transport/serial.ts';
import { UsageError, exitWhenDone, oneLineError } from './device-cli-exit.ts';

const usage = `用法 Usage: npm run sim -- <id-card|insurance-card|barcode|ecg> --port PATH [options]
  id-card: --sample ID (${identitySamples.map((s) => s.id).join(', ')})
           --fault NAME (${samFaults.join(', ')}) [--fault-times N|always] [--paced]
  insurance-card: --sample N [--fault NAME]
  barcode: --code TEXT [--suffix cr|crlf|lf|none]`;

/** A line on stdin the simulator does not know: said, and the simulator keeps running. */
function sayUnknownLine(command: string): void {
  const error = new UsageError('unknown-command', { command });
  process.stderr.write(`${error.messageZh} | ${error.messageEn}\n`);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      baud: { type: 'string' },
      sample: { type: 'string' },
      fault: { type: 'string' },
      'fault-times': { type: 'string', default: '1' },
      paced: { type: 'boolean', default: false },
      code: { type: 'string' },
      suffix: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const kind = positionals[0] ?? '';
  if (!isDeviceKind(kind)) throw new UsageError('unknown-device', { kind });
  if (!values.port) throw new UsageError('port-required');
  const family = deviceFamilies[kind];
  const baudRate = values.baud ? Number(values.baud) : family.defaultSerial.baudRate;
  if (!Number.isInteger(baudRate) || baudRate <= 0) throw new UsageError('baud-invalid', { value: values.baud ?? '' });
  const transport = new SerialTransport(values.port, { ...family.defaultSerial, baudRate });
  await transport.open();

  let simulator: DeviceSimulator;
  let onLine: (command: string, arg: string) => Promise<void> | void = () => undefined;
  if (kind === 'id-card') {
    if (values.fault !== undefined && !isSamFault(values.fault)) throw new UsageError('unknown-fault', { fault: values.fault });
    const sampleId = values.sample ?? DEFAULT_SAMPLE_ID;
    if (!findIdentitySample(sampleId)) throw new UsageError('unknown-sample', { sample: sampleId });
    const times = values['fault-times'] === 'always' ? 'always' : Number(values['fault-times']);
    const sim = new IdCardSimulator(transport, {
      sampleId,
      ...(values.fault ? { fault: values.fault, faultTimes: times } : {}),
      ...(values.paced ? { pacedBaudRate: baudRate } : {}),
    });
    simulator = sim;
    onLine = (command, arg) => {
      if (command === 'place') sim.placeSample(arg || DEFAULT_SAMPLE_ID);
      else if (command === 'remove') sim.removeCard();
      else if (command === 'fault' && isSamFault(arg)) sim.setFault(arg);
      else sayUnknownLine(command);
    };
  } else if (kind === 'barcode') {
    const sim = new BarcodeScannerSimulator(transport, values.suffix ? { suffix: values.suffix as never } : {});
    simulator = sim;
    onLine = (command, arg) => (command === 'scan' ? sim.scan(arg) : undefined);
  } else if (kind === 'insurance-card') {
    // Sample cardholders are numbered from 1, as the agent's demo panel lists them.
    const index = values.sample ? Number(values.sample) - 1 : 0;
    const card = sampleCardholders[index];
    if (!card) throw new UsageError('insurance-sample-range', { count: sampleCardholders.length });
    const sim = new InsuranceCardSimulator(transport, { card, ...(values.fault ? { fault: values.fault as never } : {}) });
    simulator = sim;
    onLine = (command, arg) => {
      if (command === 'place') sim.insertCard(sampleCardholders[Number(arg || 1) - 1] ?? card);
      else if (command === 'remove') sim.removeCard();
      else sayUnknownLine(command);
    };
  } else {
    simulator = family.createSimulator(transport, values.fault ? { faults: [values.fault] } : {});
  }

  await simulator.start();
  if (kind === 'barcode' && values.code) await (simulator as BarcodeScannerSimulator).scan(values.code);
  process.stderr.write(`ready: ${kind} simulator on ${values.port}\n`);

  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const [command = '', ...rest] = line.trim().split(/\s+/);
    Promise.resolve(onLine(command, rest.join(' '))).catch((e: unknown) => process.stderr.write(`${oneLineError(e)}\n`));
  });

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    transport.onClose((error) => {
      if (error) {
        process.stderr.write(`${oneLineError(error)}\n`);
        process.exitCode = 1;
      }
      resolve();
    });
  });
  lines.close();
  await simulator.stop();
  await transport.close();
}

exitWhenDone(main(process.argv.slice(2)), usage);
