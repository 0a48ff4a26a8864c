/**
 * AcquisitionProfile: everything the ECG driver needs to know about one front end's wire protocol.
 * The driver speaks only in these typed terms, so a vendor's protocol plugs in beside CW-ECG8 by
 * providing its own framer and codec (mapping its packets to SamplePacket and its replies and file
 * transfer to DeviceMessage).
 */
import type { StandardLead } from '../../core/ecg/recording.ts';
import type { SerialSettings } from '../transport/transport.ts';
import {
  decodeDeviceMessage,
  decodeSamplePacket,
  encodeHostMessage,
  PROFILE_SAMPLE_RATES_HZ,
  SAMPLE_START,
  type DeviceMessage,
  type HostMessage,
  type SamplePacket,
} from './codec.ts';
import { Cwecg8Framer, type StreamFramer } from './framer.ts';

export type DecodedFrame = { kind: 'samples'; packet: SamplePacket } | { kind: 'message'; message: DeviceMessage };

export interface AcquisitionProfile {
  readonly name: string;
  /** The lead each packet channel carries, in order (the rest are derived on the host). */
  readonly channelLeads: readonly StandardLead[];
  readonly sampleRatesHz: readonly number[];
  readonly defaultSerial: SerialSettings;
  /** Packet counters wrap at this value; gaps are lost packets. */
  readonly counterModulus: number;
  createFramer(): StreamFramer;
  /** @throws DeviceError('bad-frame' | 'bad-checksum') */
  decodeFrame(frame: Uint8Array): DecodedFrame;
  encode(message: HostMessage): Uint8Array;
}

export const cwEcg8Profile: AcquisitionProfile = {
  name: 'CW-ECG8',
  channelLeads: ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'],
  sampleRatesHz: PROFILE_SAMPLE_RATES_HZ,
  // 30-byte packets at 1000 Hz are 30 kB/s: more than 115200 baud carries, so 460800 8N1 (46 kB/s).
  defaultSerial: { baudRate: 460800, dataBits: 8, parity: 'none', stopBits: 1 },
  counterModulus: 256,
  createFramer: () => new Cwecg8Framer(),
  decodeFrame: (frame) =>
    frame[0] === SAMPLE_START
      ? { kind: 'samples', packet: decodeSamplePacket(frame) }
      : { kind: 'message', message: decodeDeviceMessage(frame) },
  encode: encodeHostMessage,
};
