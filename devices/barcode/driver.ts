/**
 * BarcodeScannerDriver: listens to a serial scanner and emits one `scanned-code` event per code.
 * Scanners never answer anything, so there is nothing to poll: start() resolves once the port is open
 * and listening. A code that does not decode, is too long or never ends becomes an `error` event and
 * the next scan works as usual; an unplug is reported and the port is reopened until it is back.
 */
import type { DeviceError } from '../../core/contract/device-error.ts';
import type { DeviceEvent } from '../../core/contract/workstation-api.ts';
import type { DeviceDriver } from '../family/device-family.ts';
import { DriverEvents } from '../family/driver-events.ts';
import type { Transport } from '../transport/transport.ts';
import { z } from 'zod';
import { decodeScannedCode, DEFAULT_MAX_CODE_BYTES, scannerSuffixes } from './codec.ts';
import type { ScannerSuffix } from './codec.ts';
import { ScanFramer, type ScanFramerOptions } from './framer.ts';

export interface BarcodeScannerDriverOptions extends ScanFramerOptions {
  /** How often a closed (unplugged) port is reopened. */
  reconnectIntervalMs: number;
}

export const defaultBarcodeScannerDriverOptions: BarcodeScannerDriverOptions = {
  suffix: 'cr',
  // At 9600 baud a byte takes ~1 ms; scanners send a code in one burst, so 50 ms of silence ends it.
  interByteTimeoutMs: 50,
  maxCodeBytes: DEFAULT_MAX_CODE_BYTES,
  incompleteTimeoutMs: 1000,
  reconnectIntervalMs: 1000,
};

/** Validates scanner options from a DeviceAssignment (they come from settings the user edits). */
export const barcodeScannerOptionsSchema = z
  .object({
    suffix: z.enum(scannerSuffixes as [ScannerSuffix, ...ScannerSuffix[]]),
    interByteTimeoutMs: z.number().int().min(5).max(2000),
    maxCodeBytes: z.number().int().min(16).max(65536),
    incompleteTimeoutMs: z.number().int().min(100).max(60_000),
    reconnectIntervalMs: z.number().int().min(50).max(60_000),
  })
  .partial()
  .strict() satisfies z.ZodType<Partial<BarcodeScannerDriverOptions>>;

export class BarcodeScannerDriver implements DeviceDriver {
  readonly kind = 'barcode' as const;
  readonly #options: BarcodeScannerDriverOptions;
  readonly #events = new DriverEvents(this.kind);
  #framer: ScanFramer | undefined;
  #unsubscribe: Array<() => void> = [];
  #reconnectTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly transport: Transport,
    options: Partial<BarcodeScannerDriverOptions> = {},
  ) {
    this.#options = { ...defaultBarcodeScannerDriverOptions, ...options };
  }

  onEvent(listener: (event: DeviceEvent) => void): () => void {
    return this.#events.subscribe(listener);
  }

  async start(): Promise<void> {
    if (this.#framer) return;
    this.#events.setStatus('connecting');
    try {
      if (!this.transport.isOpen) await this.transport.open();
    } catch (error) {
      this.#events.setStatus('error', error as DeviceError);
      throw error;
    }
    this.#framer = new ScanFramer(this.#options, {
      code: (bytes) => this.#onCode(bytes),
      error: (error) => this.#events.reportError(error),
    });
    this.#unsubscribe = [
      this.transport.onData((chunk) => this.#framer?.push(chunk)),
      this.transport.onClose((error) => {
        if (!error) return;
        this.#events.reportError(error);
        this.#events.setStatus('disconnected', error);
        this.#reconnect();
      }),
    ];
    this.#events.setStatus('ready');
  }

  async stop(): Promise<void> {
    clearInterval(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    this.#framer?.dispose();
    this.#framer = undefined;
    this.#events.setStatus('disconnected');
  }

  #onCode(bytes: Uint8Array): void {
    try {
      const code = decodeScannedCode(bytes, new Date());
      if (code) this.#events.emit({ type: 'scanned-code', code });
    } catch (error) {
      this.#events.reportError(error as DeviceError);
    }
  }

  #reconnect(): void {
    clearInterval(this.#reconnectTimer);
    this.#reconnectTimer = setInterval(() => {
      this.transport.open().then(
        () => {
          clearInterval(this.#reconnectTimer);
          this.#reconnectTimer = undefined;
          this.#events.setStatus('ready');
        },
        () => undefined, // still unplugged; try again next interval
      );
    }, this.#options.reconnectIntervalMs);
  }

}
