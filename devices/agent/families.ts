/**
 * Every device family the agent, the `device` CLI and the `sim` CLI know, listed once.
 */
import type { DeviceKind } from '../../core/contract/workstation-api.ts';
import { barcodeFamily } from '../barcode/family.ts';
import { ecgFamily } from '../ecg/family.ts';
import { idCardFamily } from '../id-card/family.ts';
import { insuranceCardFamily } from '../insurance-card/family.ts';
import type { DeviceFamily } from '../family/device-family.ts';

// Options differ per family; the registry holds them behind the common interface.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDeviceFamily = DeviceFamily<any, any>;

export const deviceFamilies: Readonly<Record<DeviceKind, AnyDeviceFamily>> = {
  'id-card': idCardFamily,
  'insurance-card': insuranceCardFamily,
  barcode: barcodeFamily,
  ecg: ecgFamily,
};

export { deviceKinds } from '../../core/contract/device-assignment.ts';

export const isDeviceKind = (value: string): value is DeviceKind => Object.hasOwn(deviceFamilies, value);
