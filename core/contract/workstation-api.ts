/**
 * WorkstationApi: the one interface through which the renderer reaches the machine it runs on.
 * The Electron preload exposes an object that `satisfies` it; in browser mode a WebSocket client to
 * the local device agent implements it. The renderer only ever sees this interface.
 *
 * The device half is filled in by the device-agent work (devices/agent); keep every payload plain,
 * JSON-safe data so both transports carry it unchanged.
 */
import type { DeviceKind } from './device-assignment.ts';
import type { SerializedDeviceError } from './device-error.ts';
import type { ErrorCodeOf, SerializedError } from '../errors/index.ts';
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

export type { DeviceKind };

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

/** ECG file formats the desktop app opens from the OS (.dcm, .scp; .xml HL7 aECG from its menu). */
export type EcgFileFormat = 'dicom' | 'scp-ecg' | 'hl7-aecg';

/** An ECG file the OS asked the app to open (double-click, "Open with", drag onto the icon). */
export interface OpenedEcgFile {
  /** The file's base name only: the folder path stays in main. */
  fileName: string;
  format: EcgFileFormat;
  byteLength: number;
  /** The file's bytes, base64 (JSON-safe like every payload here). */
  base64: string;
}

/** Why main refused a file (the words: the error catalogue's `ecgFile.*`); unreadable content is the renderer's to say. */
export type OpenEcgFileErrorCode = Exclude<ErrorCodeOf<'ecgFile'>, 'unreadable-content'>;

/** What main reports for each file the OS handed it: the bytes, or why it refused them. */
export type OpenEcgFileEvent =
  | { ok: true; file: OpenedEcgFile }
  | { ok: false; fileName: string; error: SerializedError & { code: OpenEcgFileErrorCode } };

export interface FilesApi {
  /**
   * Listens for ECG files opened from the OS. Files opened before any listener existed (the one the
   * app was launched with) are held by main and delivered to the first listener.
   */
  onOpenEcgFile(listener: (event: OpenEcgFileEvent) => void): Unsubscribe;
}

/** A printer as the OS lists it (Electron webContents.getPrintersAsync). */
export interface PrinterInfo {
  /** The system name; what settings store and print() uses. */
  name: string;
  displayName: string;
  description: string;
}

export interface PrintOptions {
  /** Ticket-sized pages (queue ticket) vs. A4 report; only changes margins. Default 'report'. */
  layout?: 'ticket' | 'report' | undefined;
  copies?: number | undefined;
}

export interface PrintOutcome {
  /** False when the user cancelled the system print dialog. */
  printed: boolean;
  /** The printer used when one is chosen in settings (silent printing); null: the system dialog chose. */
  printerName: string | null;
}

export interface PrintingApi {
  listPrinters(): Promise<PrinterInfo[]>;
  /**
   * Prints the current page (its print stylesheet shows only the ticket or report). With a printer
   * chosen in settings it prints there silently; otherwise the system print dialog opens.
   */
  print(options?: PrintOptions): Promise<PrintOutcome>;
}

/** The workstation's enrolment with the county hub (POST /auth/enrol, sync/hub/README.md). */
export interface WorkstationEnrolment {
  workstationId: string;
  workstationName?: string | undefined;
  institution: { id: string; name: string; kind: string };
  /** Kept encrypted at rest with the OS keychain (Electron safeStorage) where one exists. */
  workstationCredential: string;
}

/** What the first-run wizard configures. Device assignments are kept by the device agent (devices.configure). */
export interface WorkstationSettings {
  /** The county hub's base URL; '' until configured. */
  hubUrl: string;
  enrolment: WorkstationEnrolment | null;
  /** The printer for queue tickets and reports (PrinterInfo.name); null: ask with the system dialog. */
  printerName: string | null;
  /** Checks the update feed for new versions; off unless an administrator turns it on. */
  autoUpdate: boolean;
}

export interface SettingsApi {
  get(): Promise<WorkstationSettings>;
  /** Saves the given fields (validated by main) and answers the settings now in force. */
  update(patch: Partial<WorkstationSettings>): Promise<WorkstationSettings>;
}

export interface WorkstationApi {
  readonly app: { info(): Promise<AppInfo> };
  readonly devices: DevicesApi;
  /** Desktop app only: ECG files opened from the OS. */
  readonly files?: FilesApi | undefined;
  /** Desktop app only: printer list and printing to the chosen printer (browser mode uses window.print()). */
  readonly printing?: PrintingApi | undefined;
  /** Desktop app only: settings kept by main in the user data folder (browser mode has no store). */
  readonly settings?: SettingsApi | undefined;
}
