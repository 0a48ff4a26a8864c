/** The contract types the ECG screens use, in one place. */
export type { DeviceEvent, EcgElectrode, EcgSampleRateHz, SimulatedEcgRhythm, WorkstationApi } from '../../core/contract/workstation-api.ts';
export type { SerializedDeviceError as SerializedDeviceErrorLike } from '../../core/contract/device-error.ts';
