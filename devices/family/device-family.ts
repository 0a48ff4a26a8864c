/**
 * What every device family (id-card, insurance-card, barcode, ecg) offers the device agent, the
 * `device` CLI and the `sim` CLI. Each family implements this in devices/<family>/family.ts and is
 * listed once in devices/agent/families.ts. The agent knows families only through this contract:
 * what demo mode does with a family (which samples it offers, how its simulator places them, how
 * its driver starts) is the family's `demo` hooks, so a new family needs no edit in the agent.
 */
import type { DeviceEvent, DeviceKind, SimulatorSample } from '../../core/contract/workstation-api.ts';
import type { SerialSettings, Transport } from '../transport/transport.ts';

export interface DeviceDriver {
  readonly kind: DeviceKind;
  /** Begins polling or listening on the transport; resolves once the device answered or is listening. */
  start(): Promise<void>;
  /** Stops polling; leaves the transport open for the caller to close. */
  stop(): Promise<void>;
  onEvent(listener: (event: DeviceEvent) => void): () => void;
}

/** A driver whose device streams on request (the ECG front end): the agent's ECG controls drive it. */
export interface StreamingDriver extends DeviceDriver {
  readonly sampleRateHz: number;
  readonly isStreaming: boolean;
  startStreaming(): Promise<void>;
  stopStreaming(): Promise<void>;
}

export const isStreamingDriver = (driver: DeviceDriver): driver is StreamingDriver =>
  typeof (driver as Partial<StreamingDriver>).startStreaming === 'function' && typeof (driver as Partial<StreamingDriver>).stopStreaming === 'function';

export interface DeviceSimulator {
  /** Starts answering on the transport (the device side). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What demo mode (simulators over in-memory pairs) may ask of a family; every hook is optional. */
export interface FamilyDemo<Driver extends DeviceDriver, Simulator extends DeviceSimulator, SimulatorOptions> {
  /** Simulator options in demo mode; `unplug` pulls the in-memory cable. */
  simulatorOptions?(context: { unplug(): void }): Partial<SimulatorOptions>;
  /** Brings the demo driver up; default `driver.start()`. */
  startDriver?(driver: Driver): Promise<void>;
  /** Sample cards the demo panel offers for this family's reader. */
  samples?(): Omit<SimulatorSample, 'kind'>[];
  /** Places sample `sampleId` on the simulator; false when the id is not one of this family's samples. */
  placeSample?(simulator: Simulator, sampleId: string): boolean;
  /** Lifts the card off the simulated reader. */
  removeCard?(simulator: Simulator): void;
  /** Makes the simulated scanner read a code. */
  scanCode?(simulator: Simulator, text: string): Promise<void>;
}

export interface DeviceFamily<
  DriverOptions = Record<string, unknown>,
  SimulatorOptions = Record<string, unknown>,
  Driver extends DeviceDriver = DeviceDriver,
  Simulator extends DeviceSimulator = DeviceSimulator,
> {
  readonly kind: DeviceKind;
  /** Factory default serial settings for this kind of device. */
  readonly defaultSerial: SerialSettings;
  createDriver(transport: Transport, options?: Partial<DriverOptions>): Driver;
  /**
   * Sends a harmless command and says whether a device of this family answered (auto-detect).
   * Families that never answer (barcode scanners) return false and are assigned by hand.
   */
  probe(transport: Transport, timeoutMs: number): Promise<boolean>;
  createSimulator(transport: Transport, options?: Partial<SimulatorOptions>): Simulator;
  readonly demo?: FamilyDemo<Driver, Simulator, SimulatorOptions>;
}
