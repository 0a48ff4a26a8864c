/**
 * Transport over a serial port, with serialport 13: the OS binding for real ports and ptys, or
 * SerialPortMock for tests (same stream code, mock binding: docs/protocols.md §5).
 *
 * Errors become DeviceErrors: a missing path → 'port-not-found'; busy, locked or no permission →
 * 'port-open-failed'; a write error → 'write-failed'; the OS closing the port under us (USB adapter
 * pulled, pty master gone) → close listeners get 'unplugged'. Listeners survive close and reopen, so a
 * driver can reopen the same transport when the device comes back.
 *
 * serialport does not always see the hang-up when a device goes away on Linux (node-serialport
 * issues #1465, #2043, #2351: no 'close' until the next write fails). A device node that disappears —
 * udev removes /dev/ttyUSB0 when the adapter is pulled, socat removes its pty links — is therefore
 * also watched for while the port is open (`PRESENCE_CHECK_MS`), and its disappearance closes the port
 * as unplugged. Only absolute POSIX paths are watched: Windows COM names are not files.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { SerialPort, SerialPortMock } from 'serialport';
import { DeviceError } from '../../core/contract/device-error.ts';
import type { PortInfo } from '../../core/contract/workstation-api.ts';
import type { SerialSettings, Transport } from './transport.ts';
import { TransportListeners } from './transport-listeners.ts';

export type SerialBinding = 'os' | 'mock';

type AnyPort = SerialPort | SerialPortMock;

/** How often an open OS port's device node is checked for (see the header). */
const PRESENCE_CHECK_MS = 500;

export class SerialTransport implements Transport {
  readonly path: string;
  readonly settings: Required<SerialSettings>;
  readonly bindingKind: SerialBinding;
  #port: AnyPort | undefined;
  #closingOnPurpose = false;
  #presenceTimer: ReturnType<typeof setInterval> | undefined;
  readonly #listeners = new TransportListeners();
  readonly #openListeners = new Set<() => void>();

  constructor(path: string, settings: SerialSettings, options: { binding?: SerialBinding } = {}) {
    this.path = path;
    this.settings = { dataBits: 8, parity: 'none', stopBits: 1, ...settings };
    this.bindingKind = options.binding ?? 'os';
  }

  get isOpen(): boolean {
    return this.#port?.isOpen ?? false;
  }

  /** The port's binding while open (SerialPortMock's MockPortBinding in tests). */
  get binding(): unknown {
    return this.#port?.port;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    if (this.bindingKind === 'os' && !existsSync(this.path)) throw new DeviceError('port-not-found', this.path);
    const { baudRate, dataBits, parity, stopBits } = this.settings;
    const openOptions = { path: this.path, baudRate, dataBits, parity, stopBits, autoOpen: false } as const;
    const port: AnyPort = this.bindingKind === 'mock' ? new SerialPortMock(openOptions) : new SerialPort(openOptions);
    await new Promise<void>((resolve, reject) => {
      port.open((error) => (error ? reject(openError(this.path, error)) : resolve()));
    });
    this.#port = port;
    this.#closingOnPurpose = false;
    port.on('data', (chunk: Buffer) => {
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      this.#listeners.data(bytes);
    });
    // Errors also surface through write callbacks and 'close'; without a listener Node would throw.
    port.on('error', () => undefined);
    port.on('close', (error: (Error & { disconnected?: boolean }) | null) => {
      this.#stopPresenceWatch();
      if (this.#port === port) this.#port = undefined;
      const unexpected = !this.#closingOnPurpose;
      const closeError = unexpected ? new DeviceError('unplugged', this.path, { cause: error ?? undefined }) : undefined;
      this.#listeners.closed(closeError);
    });
    this.#watchPresence(port);
    for (const listener of this.#openListeners) listener();
  }

  async write(data: Uint8Array): Promise<void> {
    const port = this.#port;
    if (!port || !port.isOpen) throw new DeviceError('port-closed', this.path);
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => reject(new DeviceError('write-failed', `${this.path}: ${error.message}`, { cause: error }));
      port.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength), (error) => {
        if (error) return fail(error);
        port.drain((drainError) => (drainError ? fail(drainError) : resolve()));
      });
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.#listeners.onData(listener);
  }

  onClose(listener: (error?: DeviceError) => void): () => void {
    return this.#listeners.onClose(listener);
  }

  /** Called after each successful open (the mock device end rebinds on it). */
  onOpen(listener: () => void): () => void {
    this.#openListeners.add(listener);
    return () => this.#openListeners.delete(listener);
  }

  async close(): Promise<void> {
    const port = this.#port;
    if (!port || !port.isOpen) return;
    this.#closingOnPurpose = true;
    this.#stopPresenceWatch();
    await new Promise<void>((resolve) => {
      port.close(() => resolve());
    });
  }

  /** Closes the port as unplugged once its device node is gone (see the header for why). */
  #watchPresence(port: AnyPort): void {
    if (this.bindingKind !== 'os' || !this.path.startsWith('/')) return;
    this.#stopPresenceWatch();
    this.#presenceTimer = setInterval(() => {
      if (existsSync(this.path) || this.#port !== port || !port.isOpen) return;
      this.#stopPresenceWatch();
      // Not on purpose: the 'close' handler reports it to listeners as 'unplugged'.
      port.close(() => undefined);
    }, PRESENCE_CHECK_MS);
    this.#presenceTimer.unref?.();
  }

  #stopPresenceWatch(): void {
    if (this.#presenceTimer) clearInterval(this.#presenceTimer);
    this.#presenceTimer = undefined;
  }
}

function openError(path: string, error: Error): DeviceError {
  const text = error.message;
  // bindings-cpp: "No such file or directory, cannot open …"; the mock: "Port does not exist".
  if (/no such file|ENOENT|does not exist|ENODEV/i.test(text)) return new DeviceError('port-not-found', path, { cause: error });
  // EBUSY, EACCES ("Permission denied"), "Cannot lock port", the mock's "Port is locked".
  return new DeviceError('port-open-failed', `${path}: ${text}`, { cause: error });
}

/** Serial ports the OS (or, for tests, the mock binding) lists, with USB vendor/product ids. */
export async function listSerialPorts(binding: SerialBinding = 'os'): Promise<PortInfo[]> {
  let ports: Awaited<ReturnType<typeof SerialPort.list>>;
  try {
    ports = binding === 'mock' ? await SerialPortMock.list() : await SerialPort.list();
  } catch (error) {
    // serialport lists Linux ports through `udevadm`, which containers and some slimmed-down
    // domestic Linux images lack: fall back to the kernel's own list rather than show no ports.
    if (binding === 'os' && process.platform === 'linux' && (error as NodeJS.ErrnoException).code === 'ENOENT') return listLinuxTtysFromSysfs();
    throw new DeviceError('port-list-failed', error instanceof Error ? error.message : undefined, { cause: error });
  }
  return ports.map((p) => ({
    path: p.path,
    manufacturer: p.manufacturer || undefined,
    serialNumber: p.serialNumber || undefined,
    vendorId: p.vendorId?.toLowerCase() || undefined,
    productId: p.productId?.toLowerCase() || undefined,
  }));
}

/**
 * The serial ports the kernel knows (/sys/class/tty entries backed by a device), with USB vendor and
 * product ids read from the USB device above the tty when there is one.
 */
async function listLinuxTtysFromSysfs(): Promise<PortInfo[]> {
  const sysTty = '/sys/class/tty';
  const names = await readdir(sysTty).catch(() => [] as string[]);
  const ports: PortInfo[] = [];
  for (const name of names.sort()) {
    const device = await realpath(path.join(sysTty, name, 'device')).catch(() => undefined);
    if (!device) continue; // virtual consoles and ptys have no device behind them
    const usb = await usbIdsAbove(device);
    ports.push({ path: `/dev/${name}`, manufacturer: undefined, serialNumber: undefined, vendorId: usb?.vendorId, productId: usb?.productId });
  }
  return ports;
}

async function usbIdsAbove(devicePath: string): Promise<{ vendorId: string; productId: string } | undefined> {
  for (let dir = devicePath; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const [vendorId, productId] = await Promise.all(['idVendor', 'idProduct'].map((f) => readFile(path.join(dir, f), 'utf8').then((t) => t.trim().toLowerCase(), () => undefined)));
    if (vendorId && productId) return { vendorId, productId };
  }
  return undefined;
}
