/**
 * An in-memory pair of connected transports: what one side writes, the other receives, on a later
 * tick (as a real port would deliver it). For driver ↔ simulator tests without a serial port.
 *
 * `chunkSize` splits deliveries (a 1295-byte reply can arrive as 1024 + 271, as on a real port);
 * `unplug()` closes both ends the way the OS does when a USB adapter is pulled.
 */
import { DeviceError } from '../../core/contract/device-error.ts';
import type { Transport } from './transport.ts';
import { TransportListeners } from './transport-listeners.ts';

export interface MemoryPairOptions {
  /** Largest chunk a read delivers; unlimited by default. */
  chunkSize?: number;
  /** Names for status lines. */
  hostPath?: string;
  devicePath?: string;
}

export interface MemoryPair {
  /** The side the driver uses. */
  host: MemoryTransport;
  /** The side the simulator uses. */
  device: MemoryTransport;
  /** Simulates pulling the cable: both ends close with DeviceError('unplugged'). */
  unplug(): void;
}

export class MemoryTransport implements Transport {
  #open = false;
  #peer: MemoryTransport | undefined;
  readonly #listeners = new TransportListeners();

  constructor(
    readonly path: string,
    private readonly chunkSize = Number.POSITIVE_INFINITY,
  ) {}

  get isOpen(): boolean {
    return this.#open;
  }

  connect(peer: MemoryTransport): void {
    this.#peer = peer;
  }

  async open(): Promise<void> {
    this.#open = true;
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.#open) throw new DeviceError('port-closed', this.path);
    const peer = this.#peer;
    if (!peer) throw new DeviceError('write-failed', `${this.path} has no peer`);
    const copy = Uint8Array.from(data);
    for (let offset = 0; offset < copy.length; offset += this.chunkSize) {
      const chunk = copy.subarray(offset, Math.min(copy.length, offset + this.chunkSize));
      setImmediate(() => peer.deliver(chunk));
    }
  }

  /** Delivers bytes as if they had arrived on the wire (used by the peer and by tests). */
  deliver(chunk: Uint8Array): void {
    if (!this.#open) return; // a closed port drops what arrives, like a real one
    this.#listeners.data(chunk);
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.#listeners.onData(listener);
  }

  onClose(listener: (error?: DeviceError) => void): () => void {
    return this.#listeners.onClose(listener);
  }

  async close(): Promise<void> {
    this.closeWith(undefined);
  }

  /** Closes this end; `error` marks a close nobody asked for. */
  closeWith(error: DeviceError | undefined): void {
    if (!this.#open) return;
    this.#open = false;
    this.#listeners.closed(error);
  }
}

export function createMemoryPair(options: MemoryPairOptions = {}): MemoryPair {
  const host = new MemoryTransport(options.hostPath ?? 'memory:host', options.chunkSize);
  const device = new MemoryTransport(options.devicePath ?? 'memory:device', options.chunkSize);
  host.connect(device);
  device.connect(host);
  return {
    host,
    device,
    unplug() {
      host.closeWith(new DeviceError('unplugged', host.path));
      device.closeWith(new DeviceError('unplugged', device.path));
    },
  };
}
