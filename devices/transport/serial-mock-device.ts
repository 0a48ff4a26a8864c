/**
 * The device end of a SerialPortMock port, as a Transport, so a simulator can answer a driver that
 * runs over the real serialport stream code with the mock binding (docs/protocols.md §5).
 *
 * The device end is found by path: we wrap `SerialPortMock.binding.open` once to learn of every
 * host open, whoever opens the port (a driver, the agent, a probe). MockPortBinding has no hook for
 * "the host wrote", so each opened binding's `write` is wrapped too. Unplug rejects the binding's
 * pending read with a non-cancel error — the path an OS read error takes in @serialport/stream.
 */
import { SerialPortMock } from 'serialport';
import { DeviceError } from '../../core/contract/device-error.ts';
import type { SerialTransport } from './serial.ts';
import type { Transport } from './transport.ts';
import { TransportListeners } from './transport-listeners.ts';

interface MockBindingLike {
  isOpen: boolean;
  emitData(data: Buffer): void;
  write(buffer: Buffer): Promise<void>;
  pendingRead: ((error?: Error) => void) | null;
}

/** Creates a mock port (optionally with USB ids) on the binding SerialPortMock really uses. */
export function createMockPort(path: string, info: { vendorId?: string; productId?: string; manufacturer?: string } = {}): void {
  SerialPortMock.binding.createPort(path, { ...info, record: false, echo: false });
}

const deviceEnds = new Map<string, MockDeviceTransport>();
let openHooked = false;

function hookOpen(): void {
  if (openHooked) return;
  openHooked = true;
  const binding = SerialPortMock.binding;
  const open = binding.open.bind(binding);
  binding.open = async (options: Parameters<typeof binding.open>[0]) => {
    const port = await open(options);
    deviceEnds.get(options.path)?.attach(port as unknown as MockBindingLike);
    return port;
  };
}

export class MockDeviceTransport implements Transport {
  readonly path: string;
  #open = false;
  #binding: MockBindingLike | undefined;
  readonly #listeners = new TransportListeners();

  readonly portPath: string;

  /**
   * The device end of a mock port, given its path or the host transport on it (one per path; a later
   * one replaces an earlier). Works whether the host end opens before or after this is made.
   */
  constructor(port: string | SerialTransport) {
    this.portPath = typeof port === 'string' ? port : port.path;
    this.path = `${this.portPath} (device end)`;
    hookOpen();
    deviceEnds.set(this.portPath, this);
    if (typeof port !== 'string' && port.isOpen) this.attach(port.binding as MockBindingLike);
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** Called for each host open of the port. */
  attach(binding: MockBindingLike): void {
    this.#binding = binding;
    const write = binding.write.bind(binding);
    binding.write = async (buffer: Buffer) => {
      await write(buffer);
      if (!this.#open || this.#binding !== binding) return;
      const bytes = Uint8Array.from(buffer);
      setImmediate(() => {
        this.#listeners.data(bytes);
      });
    };
  }

  async open(): Promise<void> {
    this.#open = true;
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.#open) throw new DeviceError('port-closed', this.path);
    const binding = this.#binding;
    if (!binding?.isOpen) return; // nobody has the host end open: bytes on a dead line are lost
    binding.emitData(Buffer.from(data));
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.#listeners.onData(listener);
  }

  onClose(listener: (error?: DeviceError) => void): () => void {
    return this.#listeners.onClose(listener);
  }

  async close(): Promise<void> {
    if (deviceEnds.get(this.portPath) === this) deviceEnds.delete(this.portPath);
    if (!this.#open) return;
    this.#open = false;
    this.#listeners.closed(undefined);
  }

  /** Pulls the cable: the host's stream sees a failed read and closes with a disconnect error. */
  unplug(): void {
    this.#failPendingRead(this.#binding, 20);
    if (this.#open) {
      this.#open = false;
      this.#listeners.closed(new DeviceError('unplugged', this.path));
    }
  }

  /** The stream keeps one read pending while open; if it is between reads, try again shortly. */
  #failPendingRead(binding: MockBindingLike | undefined, triesLeft: number): void {
    if (!binding?.isOpen) return;
    const pending = binding.pendingRead;
    if (!pending) {
      if (triesLeft > 0) setImmediate(() => this.#failPendingRead(binding, triesLeft - 1));
      return;
    }
    binding.pendingRead = null;
    pending(Object.assign(new Error('device disconnected (mock unplug)'), { disconnect: true }));
  }
}
