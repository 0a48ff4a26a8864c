/**
 * `npm run --silent device -- <command>`: the serial devices of this machine from a terminal.
 *
 *   list                                         ports, USB ids and the device that answered on each
 *   read id-card --port PATH [--baud N] [--timeout S] [--fingerprint]
 *                                                waits for a card; prints the IdentityDocument as JSON
 *   read insurance-card --port PATH [--baud N] [--timeout S]
 *   scan barcode --port PATH [--baud N] [--timeout S] [--suffix cr|crlf|lf|none]
 *
 * Every failure exits non-zero with one line in Chinese and English on stderr.
 */
import { parseArgs } from 'node:util';
import { DeviceError } from '../core/contract/device-error.ts';
import type { DeviceEvent, DeviceKind } from '../core/contract/workstation-api.ts';
import { identityDocumentToJson } from '../core/identity/identity-document.ts';
import { probePort } from '../devices/agent/agent.ts';
import { deviceFamilies } from '../devices/agent/families.ts';
import { IdCardDriver } from '../devices/id-card/driver.ts';
import { SerialTransport, listSerialPorts } from '../devices/transport/serial.ts';
import { UsageError, exitWhenDone } from './device-cli-exit.ts';

const usage = `用法 Usage:
  npm run --silent device -- list [--json]
  npm run --silent device -- read id-card --port PATH [--baud N] [--timeout S] [--fingerprint]
  npm run --silent device -- read insurance-card --port PATH [--baud N] [--timeout S]
  npm run --silent device -- scan barcode --port PATH [--baud N] [--timeout S] [--suffix cr|crlf|lf|none]`;

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      baud: { type: 'string' },
      timeout: { type: 'string', default: '15' },
      fingerprint: { type: 'boolean', default: false },
      suffix: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  return { values, positionals };
}

function serialSettings(kind: DeviceKind, baud: string | undefined) {
  const defaults = deviceFamilies[kind].defaultSerial;
  if (baud === undefined) return defaults;
  const baudRate = Number(baud);
  if (!Number.isInteger(baudRate) || baudRate <= 0) throw new UsageError('baud-invalid', { value: baud });
  return { ...defaults, baudRate };
}

function timeoutMs(seconds: string): number {
  const value = Number(seconds);
  if (!(value > 0)) throw new UsageError('timeout-invalid', { value: seconds });
  return value * 1000;
}

async function list(json: boolean): Promise<void> {
  const ports = await listSerialPorts();
  const rows = [];
  for (const port of ports) {
    const detected = await probePort(port.path);
    rows.push({ ...port, detected: detected?.kind });
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    process.stdout.write('没有找到串口 | No serial ports found\n');
    return;
  }
  for (const row of rows) {
    const usb = row.vendorId ? `USB ${row.vendorId}:${row.productId ?? '????'}` : '-';
    process.stdout.write(`${row.path}\t${usb}\t${row.manufacturer ?? '-'}\t${row.detected ?? '未识别 not detected'}\n`);
  }
}

async function readIdCard(port: string, baud: string | undefined, timeout: number, fingerprint: boolean): Promise<void> {
  const transport = new SerialTransport(port, serialSettings('id-card', baud));
  const driver = new IdCardDriver(transport, { readFingerprint: fingerprint });
  try {
    await driver.connect();
    const document = await driver.waitForCard(timeout);
    process.stdout.write(`${JSON.stringify(identityDocumentToJson(document), null, 2)}\n`);
  } finally {
    await driver.dispose();
    await transport.close();
  }
}

/** Starts a family's driver and prints the payload of the first event of `type`. */
async function firstEvent(kind: DeviceKind, type: DeviceEvent['type'], port: string, baud: string | undefined, timeout: number, options: Record<string, unknown>) {
  const family = deviceFamilies[kind];
  const transport = new SerialTransport(port, serialSettings(kind, baud));
  const driver = family.createDriver(transport, options);
  let off: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const event = new Promise<DeviceEvent>((resolve, reject) => {
      off = driver.onEvent((e) => {
        if (e.type === type) resolve(e);
        else if (e.type === 'error') reject(Object.assign(new DeviceError(e.error.code, e.error.detail)));
      });
      timer = setTimeout(() => reject(new DeviceError(kind === 'barcode' ? 'timeout' : 'no-card', `nothing within ${timeout / 1000} s`)), timeout);
    });
    await driver.start();
    const received = await event;
    const { type: _type, ...payload } = received;
    const value = Object.values(payload)[0];
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  } finally {
    clearTimeout(timer);
    off?.();
    await driver.stop().catch(() => undefined);
    await transport.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const [command, what] = positionals;
  if (command === 'list') return list(values.json);
  const needPort = () => {
    if (!values.port) throw new UsageError('port-required');
    return values.port;
  };
  const timeout = timeoutMs(values.timeout);
  if (command === 'read' && what === 'id-card') return readIdCard(needPort(), values.baud, timeout, values.fingerprint);
  if (command === 'read' && what === 'insurance-card') return firstEvent('insurance-card', 'insurance-card', needPort(), values.baud, timeout, {});
  if (command === 'scan' && what === 'barcode') {
    return firstEvent('barcode', 'scanned-code', needPort(), values.baud, timeout, values.suffix ? { suffix: values.suffix } : {});
  }
  throw new UsageError('unknown-command', { command: positionals.join(' ') });
}

exitWhenDone(main(process.argv.slice(2)), usage);
