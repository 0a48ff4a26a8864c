/**
 * What every device family (id-card, insurance-card, barcode, ecg) offers the device agent, the
 * `device` CLI and the `sim` CLI. Each family implements this in devices/<family>/family.ts and is
 * listed once in devices/agent/families.ts.
 */
import type { DeviceEvent, DeviceKind } from '../../core/contract/workstation-api.ts';
import type { SerialSettings, Transport } from '../transport/transport.ts';

export interface DeviceDriver {
  readonly kind: DeviceKind;
  /** Begins polling or listening on the transport; resolves once the device answered or is listening. */
  start(): Promise<void>;
  /** Stops polling; leaves the transport open for the caller to close. */
  stop(): Promise<void>;
  onEvent(listener: (event: DeviceEvent) => void): () => void;
}

export interface DeviceSimulator {
  /** Starts answering on the transport (the device side). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface DeviceFamily<DriverOptions = Record<string, unknown>, SimulatorOptions = Record<string, unknown>> {
  readonly kind: DeviceKind;
  /** Factory default serial settings for this kind of device. */
  readonly defaultSerial: SerialSettings;
  createDriver(transport: Transport, options?: Partial<DriverOptions>): DeviceDriver;
  /**
   * Sends a harmless command and says whether a device of this family answered (auto-detect).
   * Families that never answer (barcode scanners) return false and are assigned by hand.
   */
  probe(transport: Transport, timeoutMs: number): Promise<boolean>;
  createSimulator(transport: Transport, options?: Partial<SimulatorOptions>): DeviceSimulator;
}
