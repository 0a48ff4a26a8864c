/**
 * A serial scanner: "types" codes onto the port as a scanner does, with a chosen suffix and pacing
 * (bytes per burst, pause between bursts), so tests can cut codes awkwardly or hold them across the
 * inter-byte timeout. Scanners never read the port, so the simulator ignores what the host sends.
 */
import type { DeviceSimulator } from '../family/device-family.ts';
import type { Transport } from '../transport/transport.ts';
import { encodeScan, type ScannerSuffix } from './codec.ts';

export interface BarcodeScannerSimulatorOptions {
  suffix: ScannerSuffix;
  /** Bytes written per burst (a scanner's UART sends continuously; USB-serial ones in 64-byte packets). */
  burstBytes: number;
  /** Pause between bursts. */
  burstPauseMs: number;
}

export class BarcodeScannerSimulator implements DeviceSimulator {
  readonly #options: BarcodeScannerSimulatorOptions;

  constructor(
    private readonly transport: Transport,
    options: Partial<BarcodeScannerSimulatorOptions> = {},
  ) {
    this.#options = { suffix: 'cr', burstBytes: 64, burstPauseMs: 0, ...options };
  }

  async start(): Promise<void> {
    if (!this.transport.isOpen) await this.transport.open();
  }

  async stop(): Promise<void> {}

  /** Sends one code; options override the simulator's suffix and pacing for this code only. */
  async scan(text: string, options: Partial<BarcodeScannerSimulatorOptions> = {}): Promise<void> {
    await this.sendRaw(encodeScan(text, options.suffix ?? this.#options.suffix), options);
  }

  /** Sends bytes as they are (noise, a code with a wrong suffix). */
  async sendRaw(bytes: Uint8Array, options: Partial<BarcodeScannerSimulatorOptions> = {}): Promise<void> {
    const { burstBytes, burstPauseMs } = { ...this.#options, ...options };
    for (let offset = 0; offset < bytes.length; offset += burstBytes) {
      if (offset > 0 && burstPauseMs > 0) await new Promise((r) => setTimeout(r, burstPauseMs));
      await this.transport.write(bytes.subarray(offset, offset + burstBytes));
    }
  }
}
