/**
 * WorkstationApi: the one interface through which the renderer reaches the machine it runs on.
 * The Electron preload exposes an object that `satisfies` it; in browser mode a WebSocket client to
 * the local device agent implements it. The renderer only ever sees this interface.
 *
 * The device half is filled in by the device-agent work (devices/agent); keep every payload plain,
 * JSON-safe data so both transports carry it unchanged.
 */
import type { SerializedDeviceError } from './device-error.ts';

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
  | { type: 'identity-document'; document: unknown }
  | { type: 'insurance-card'; card: unknown }
  | { type: 'scanned-code'; code: unknown }
  | { type: 'error'; kind: DeviceKind; error: SerializedDeviceError };

export interface DevicesApi {
  listPorts(): Promise<PortInfo[]>;
  listAssignments(): Promise<DeviceAssignment[]>;
  configure(assignment: DeviceAssignment): Promise<void>;
  subscribe(listener: (event: DeviceEvent) => void): Unsubscribe;
}

export interface WorkstationApi {
  readonly app: { info(): Promise<AppInfo> };
  readonly devices: DevicesApi;
}
