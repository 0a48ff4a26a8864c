/**
 * WorkstationApi: the one interface through which the renderer reaches the machine it runs on.
 * The Electron preload exposes an object that `satisfies` it; in browser mode a WebSocket client to
 * the local device agent implements it. The renderer only ever sees this interface.
 *
 * The device half is filled in by the device-agent work (devices/agent); keep every payload plain,
 * JSON-safe data so both transports carry it unchanged.
 */
import type { SerializedDeviceError } from './device-error.ts';
import type { InsuranceCard } from '../insurance/insurance-card.ts';
import type { ScannedCode } from '../insurance/scanned-code.ts';
import type { IdentityDocumentJson } from '../identity/identity-document.ts';
import type { Rhythm } from '../ecg/synthesis/rhythm.ts';
import type { Electrode } from '../ecg/synthesis/noise.ts';

export type Unsubscribe = () => void;

export interface AppInfo {
  name: string;
  version: string;
  /** 'electron' on a clinic PC, 'browser' in browser mode (demo, reading room, tests). */
  shell: 'electron' | 'browser';
  /** True when device simulators stand in for hardware (demo mode, tests). */
  demo: boolean;
  /** Base URL of the county hub this workstation syncs with. */
  hubUrl: string;
}

/** A serial port as the OS lists it. Vendor/product ids are hex strings as the OS reports them. */
export interface PortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export type DeviceKind = 'id-card' | 'insurance-card' | 'barcode' | 'ecg';

export interface DeviceAssignment {
  kind: DeviceKind;
  path: string;
  baudRate: number;
  /** Family-specific options (scanner suffix, ECG sample rate…). */
  options?: Record<string, string | number | boolean> | undefined;
}

export type DeviceStatus = 'disconnected' | 'connecting' | 'ready' | 'reading' | 'error';

/** Events from the device agent. Payload types live with their domain modules. */
export type DeviceEvent =
  | { type: 'status'; kind: DeviceKind; status: DeviceStatus; error?: SerializedDeviceError | undefined }
  | { type: 'identity-document'; document: IdentityDocumentJson }
  | { type: 'insurance-card'; card: InsuranceCard }
  | { type: 'scanned-code'; code: ScannedCode }
  | { type: 'error'; kind: DeviceKind; error: SerializedDeviceError }
  /** A block of live ECG samples, all 12 leads, integers in units of resolutionUv µV (devices/ecg). */
  | { type: 'ecg-samples'; sampleRateHz: number; resolutionUv: number; firstSampleIndex: number; leads: Record<string, number[]> }
  /** The electrodes now off (empty when all are back on), sent when the set changes. */
  | { type: 'ecg-lead-off'; electrodes: string[] }
  /** Sample packets that never arrived intact (counter gap), at the sample index where they were due. */
  | { type: 'ecg-packets-lost'; count: number; atSampleIndex: number }
  /** A whole, verified SCP-ECG record a cart sent over the serial link (base64). */
  | { type: 'ecg-record-received'; format: 'scp-ecg'; byteLength: number; base64: string };

export interface DevicesApi {
  listPorts(): Promise<PortInfo[]>;
  listAssignments(): Promise<DeviceAssignment[]>;
  configure(assignment: DeviceAssignment): Promise<void>;
  subscribe(listener: (event: DeviceEvent) => void): Unsubscribe;
  /** Probes each free port with each family's harmless command; says what answered where. */
  autoDetect?(): Promise<DetectedDevice[]>;
  /** Demo mode only: controls of the simulators standing in for hardware. */
  readonly simulator?: DeviceSimulatorControls | undefined;
  /** The ECG acquisition device (心电采集设备), when the agent offers it. */
  readonly ecg?: EcgControls | undefined;
}

/** Sample rates a CW-ECG8 front end offers (devices/ecg/PROFILE.md §1). */
export type EcgSampleRateHz = 250 | 500 | 1000;

/** Rhythms the demo ECG simulator can play. */
export type SimulatedEcgRhythm = Rhythm;

/** ECG electrodes, in lead-off bit order (devices/ecg/PROFILE.md §1). */
export type EcgElectrode = Electrode;

export interface EcgControls {
  /** Connects if needed and starts the live stream (ecg-samples events); a new rate restarts the device. */
  start(options?: { sampleRateHz?: EcgSampleRateHz | undefined }): Promise<void>;
  /** Stops the live stream; the device stays connected. */
  stop(): Promise<void>;
}

/** A device that answered auto-detect (or is already assigned to the port). */
export interface DetectedDevice {
  path: string;
  kind: DeviceKind;
  baudRate: number;
  /** True when the port was already assigned and running, so it was not probed again. */
  assigned: boolean;
}

/** Something a simulator can present: a sample card to place on a reader. */
export interface SimulatorSample {
  kind: DeviceKind;
  id: string;
  label: { zh: string; en: string };
}

export interface DeviceSimulatorControls {
  listSamples(): Promise<SimulatorSample[]>;
  /** Places a sample card on its reader (id-card or insurance-card sample ids). */
  placeCard(sampleId: string): Promise<void>;
  /** Lifts the card off the reader of that kind. */
  removeCard(kind: DeviceKind): Promise<void>;
  /** Makes the simulated scanner read a code. */
  scanCode?(text: string): Promise<void>;
  /** Makes the simulated ECG front end play another rhythm (the stream restarts if it was running). */
  setEcgRhythm?(rhythm: SimulatedEcgRhythm): Promise<void>;
  /** Detaches these electrodes on the simulated ECG front end (empty: all attached). */
  setEcgLeadOff?(electrodes: EcgElectrode[]): Promise<void>;
}

export interface WorkstationApi {
  readonly app: { info(): Promise<AppInfo> };
  readonly devices: DevicesApi;
}
