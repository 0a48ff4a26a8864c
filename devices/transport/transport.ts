/**
 * A byte pipe to one device. Drivers talk to a Transport, never to a port path, so the same driver
 * runs over a real serial port, SerialPortMock, an in-memory pair or a WebSocket relay.
 *
 * Contract (checked by one shared suite against every implementation):
 * - `open()` rejects with DeviceError('port-not-found' | 'port-open-failed');
 * - `write()` rejects with DeviceError('write-failed' | 'port-closed');
 * - when the OS closes the port under us (unplug), close listeners get DeviceError('unplugged');
 *   after `close()` they get no error.
 */
import type { DeviceError } from '../../core/contract/device-error.ts';

export interface SerialSettings {
  baudRate: number;
  dataBits?: 7 | 8;
  parity?: 'none' | 'even' | 'odd';
  stopBits?: 1 | 2;
}

export interface Transport {
  /** Human-readable location (port path, "memory:id-card"), for status lines and logs. */
  readonly path: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  write(data: Uint8Array): Promise<void>;
  /** Returns a function that removes the listener. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** `error` is set when the close was not asked for (unplugged, I/O error). */
  onClose(listener: (error?: DeviceError) => void): () => void;
  close(): Promise<void>;
}
