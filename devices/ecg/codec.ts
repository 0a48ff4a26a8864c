/**
 * The Clinic Workstation ECG acquisition profile ("CW-ECG8", documented byte by byte in PROFILE.md):
 * pure bytes ↔ typed frames. No I/O, no Node: Uint8Array in, Uint8Array out; every malformed input
 * becomes DeviceError('bad-frame' | 'bad-checksum').
 *
 * Two frame shapes share one stream:
 * - sample packet, device → host, fixed 30 bytes, shaped like OpenBCI Cyton's (`A0`, counter, data,
 *   `C0`) with a lead-off status word like Medlab EG01010's and a CRC-8 the Cyton lacks:
 *   `A0 · counter · leadOff u16 · 8 × int24 · crc8 · C0`;
 * - message, either direction, variable length: `A1 · type · seq u16 · len u16 · payload · crc16 · C0`.
 * Multi-byte fields are big-endian, as the ADS1298 shifts its conversion words out MSB first.
 */
import { DeviceError } from '../../core/contract/device-error.ts';
import { electrodes, type Electrode } from '../../core/ecg/synthesis/noise.ts';

export const SAMPLE_START = 0xa0;
export const MESSAGE_START = 0xa1;
export const FRAME_END = 0xc0;
export const CHANNEL_COUNT = 8;
export const SAMPLE_PACKET_LENGTH = 30;
/** Header (start, type, seq, len) 6 bytes + crc16 2 + end 1. */
export const MESSAGE_OVERHEAD = 9;
/** Largest payload either side sends (a 1024-byte file block fits with room to spare). */
export const MAX_MESSAGE_PAYLOAD = 2048;
/** CW-ECG8: the firmware scales ADS1298 codes (gain 6, Vref 2.4 V → 47.7 nV) to 0.1 µV units. */
export const PROFILE_LSB_NANOVOLTS = 100;
export const PROFILE_SAMPLE_RATES_HZ = [250, 500, 1000] as const;
export const FILE_BLOCK_SIZE = 1024;

const INT24_MIN = -0x800000;
const INT24_MAX = 0x7fffff;

// ---------------------------------------------------------------------------------------------
// Checksums. Hand-written: each is a dozen lines and must run in pure code (no Node zlib/crypto).

/** CRC-8/SMBUS: poly 0x07, init 0, no reflection ("123456789" → 0xF4). */
export function crc8(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let crc = 0;
  for (let i = from; i < to; i++) {
    crc ^= bytes[i]!;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

/** CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF ("123456789" → 0x29B1), the CRC SCP-ECG uses too. */
export function crc16(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let crc = 0xffff;
  for (let i = from; i < to; i++) {
    crc ^= bytes[i]! << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

// ---------------------------------------------------------------------------------------------
// Lead-off status word: bit n = electrodes[n] (RA, LA, LL, RL, V1…V6); bits 10–15 are zero.

export function encodeLeadOff(off: readonly Electrode[]): number {
  let word = 0;
  for (const e of off) word |= 1 << electrodes.indexOf(e);
  return word;
}

export function decodeLeadOff(word: number): Electrode[] {
  if (word >> electrodes.length) throw new DeviceError('bad-frame', `lead-off word 0x${word.toString(16)} sets reserved bits`);
  return electrodes.filter((_, bit) => word & (1 << bit));
}

// ---------------------------------------------------------------------------------------------
// Sample packets

export interface SamplePacket {
  /** 0–255, +1 per packet; a gap means packets were lost. */
  counter: number;
  leadOff: Electrode[];
  /** Channels I, II, V1–V6 in LSB units (signed 24-bit). */
  channels: Int32Array;
}

export function encodeSamplePacket(packet: SamplePacket): Uint8Array {
  if (packet.channels.length !== CHANNEL_COUNT) throw new DeviceError('bad-frame', `${packet.channels.length} channels, need ${CHANNEL_COUNT}`);
  const out = new Uint8Array(SAMPLE_PACKET_LENGTH);
  out[0] = SAMPLE_START;
  out[1] = packet.counter & 0xff;
  const leadOff = encodeLeadOff(packet.leadOff);
  out[2] = leadOff >> 8;
  out[3] = leadOff & 0xff;
  for (let c = 0; c < CHANNEL_COUNT; c++) {
    // The front end clips at its rails; so does the encoder.
    const v = Math.min(INT24_MAX, Math.max(INT24_MIN, packet.channels[c]!)) & 0xffffff;
    out[4 + 3 * c] = v >> 16;
    out[5 + 3 * c] = (v >> 8) & 0xff;
    out[6 + 3 * c] = v & 0xff;
  }
  out[28] = crc8(out, 1, 28);
  out[29] = FRAME_END;
  return out;
}

export function decodeSamplePacket(frame: Uint8Array): SamplePacket {
  if (frame.length !== SAMPLE_PACKET_LENGTH || frame[0] !== SAMPLE_START || frame[29] !== FRAME_END) {
    throw new DeviceError('bad-frame', `sample packet of ${frame.length} bytes`);
  }
  const expected = crc8(frame, 1, 28);
  if (frame[28] !== expected) {
    throw new DeviceError('bad-checksum', `sample packet crc8 0x${hex(frame[28]!)}, computed 0x${hex(expected)}`);
  }
  const channels = new Int32Array(CHANNEL_COUNT);
  for (let c = 0; c < CHANNEL_COUNT; c++) {
    const raw = (frame[4 + 3 * c]! << 16) | (frame[5 + 3 * c]! << 8) | frame[6 + 3 * c]!;
    channels[c] = (raw << 8) >> 8; // sign-extend 24 → 32 bits
  }
  return { counter: frame[1]!, leadOff: decodeLeadOff((frame[2]! << 8) | frame[3]!), channels };
}

// ---------------------------------------------------------------------------------------------
// Messages

export const MessageType = {
  // host → device commands
  getInfo: 0x01,
  startStream: 0x02,
  stopStream: 0x03,
  setSampleRate: 0x04,
  getLeadOff: 0x05,
  requestRecord: 0x06,
  // device → host replies
  ack: 0x80,
  info: 0x81,
  leadOff: 0x85,
  nak: 0x8f,
  // file transfer, either direction (names after the ASCII control characters they stand for)
  fileEnq: 0x20,
  fileBlock: 0x21,
  fileEot: 0x22,
  fileAck: 0x23,
  fileNak: 0x24,
  fileCan: 0x25,
} as const;

export interface Message {
  type: number;
  seq: number;
  payload: Uint8Array;
}

export function encodeMessage(message: Message): Uint8Array {
  const { type, seq, payload } = message;
  if (payload.length > MAX_MESSAGE_PAYLOAD) throw new DeviceError('bad-frame', `payload of ${payload.length} bytes`);
  const out = new Uint8Array(MESSAGE_OVERHEAD + payload.length);
  out[0] = MESSAGE_START;
  out[1] = type & 0xff;
  out[2] = (seq >> 8) & 0xff;
  out[3] = seq & 0xff;
  out[4] = payload.length >> 8;
  out[5] = payload.length & 0xff;
  out.set(payload, 6);
  const crc = crc16(out, 1, 6 + payload.length);
  out[6 + payload.length] = crc >> 8;
  out[7 + payload.length] = crc & 0xff;
  out[8 + payload.length] = FRAME_END;
  return out;
}

export function decodeMessage(frame: Uint8Array): Message {
  if (frame.length < MESSAGE_OVERHEAD || frame[0] !== MESSAGE_START) throw new DeviceError('bad-frame', `message of ${frame.length} bytes`);
  const length = (frame[4]! << 8) | frame[5]!;
  if (frame.length !== MESSAGE_OVERHEAD + length || frame[frame.length - 1] !== FRAME_END) {
    throw new DeviceError('bad-frame', `message says ${length} payload bytes, frame has ${frame.length}`);
  }
  const expected = crc16(frame, 1, 6 + length);
  const got = (frame[6 + length]! << 8) | frame[7 + length]!;
  if (got !== expected) throw new DeviceError('bad-checksum', `message crc16 0x${hex(got, 4)}, computed 0x${hex(expected, 4)}`);
  return { type: frame[1]!, seq: (frame[2]! << 8) | frame[3]!, payload: frame.slice(6, 6 + length) };
}

// ---------------------------------------------------------------------------------------------
// Typed commands and replies

export type CommandName = 'get-info' | 'start' | 'stop' | 'set-rate' | 'get-lead-off' | 'request-record';
const commandTypes: Record<CommandName, number> = {
  'get-info': MessageType.getInfo,
  start: MessageType.startStream,
  stop: MessageType.stopStream,
  'set-rate': MessageType.setSampleRate,
  'get-lead-off': MessageType.getLeadOff,
  'request-record': MessageType.requestRecord,
};
const commandByType = new Map(Object.entries(commandTypes).map(([name, type]) => [type, name as CommandName]));

export type NakReason = 'bad-checksum' | 'unknown-command' | 'bad-parameter' | 'busy' | 'no-record';
const nakReasons: readonly NakReason[] = ['bad-checksum', 'unknown-command', 'bad-parameter', 'busy', 'no-record'];
export type CancelReason = 'operator' | 'too-many-retries' | 'timeout' | 'too-large' | 'busy';
const cancelReasons: readonly CancelReason[] = ['operator', 'too-many-retries', 'timeout', 'too-large', 'busy'];
export type FileKind = 'scp-ecg';

export interface DeviceInfo {
  protocolVersion: number;
  channelCount: number;
  lsbNanovolts: number;
  sampleRateHz: number;
  supportedSampleRatesHz: number[];
  serialNumber: string;
  manufacturer: string;
  model: string;
}

/** File transfer frames (PROFILE.md §3): stop-and-wait, one block in flight. */
export type TransferFrame =
  | { kind: 'enq'; fileKind: FileKind; totalBytes: number; blockSize: number; fileCrc: number }
  | { kind: 'block'; seq: number; data: Uint8Array }
  | { kind: 'eot'; seq: number }
  | { kind: 'ack'; seq: number }
  | { kind: 'nak'; seq: number }
  | { kind: 'can'; reason: CancelReason };

export type HostCommand =
  | { type: 'get-info' }
  | { type: 'start' }
  | { type: 'stop' }
  | { type: 'set-rate'; sampleRateHz: number }
  | { type: 'get-lead-off' }
  | { type: 'request-record' };

export type DeviceReply =
  | { type: 'ack'; command: CommandName }
  | { type: 'nak'; command: CommandName | 'unknown'; reason: NakReason }
  | { type: 'info'; info: DeviceInfo }
  | { type: 'lead-off'; electrodes: Electrode[] };

/** What a host sends: a command (seq matches the reply) or a file-transfer frame. */
export type HostMessage = { seq: number; command: HostCommand } | { seq: number; transfer: TransferFrame };
/** What a device sends besides sample packets. */
export type DeviceMessage = { seq: number; reply: DeviceReply } | { seq: number; transfer: TransferFrame };

const ascii = new TextEncoder();
const asciiDecoder = new TextDecoder('latin1');
const fixedAscii = (text: string, length: number) => {
  const out = new Uint8Array(length);
  out.set(ascii.encode(text).subarray(0, length));
  return out;
};
const readAscii = (bytes: Uint8Array) => {
  const end = bytes.indexOf(0);
  return asciiDecoder.decode(end === -1 ? bytes : bytes.subarray(0, end)).trim();
};
const u16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
const u32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const readU16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const readU32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const need = (payload: Uint8Array, length: number, what: string) => {
  if (payload.length !== length) throw new DeviceError('bad-frame', `${what} payload of ${payload.length} bytes, need ${length}`);
};

const rateBits = (rates: readonly number[]) =>
  PROFILE_SAMPLE_RATES_HZ.reduce((mask, rate, bit) => (rates.includes(rate) ? mask | (1 << bit) : mask), 0);

/** INFO payload: version, channels, LSB nV u16, rate u16, rate mask, serial[12], manufacturer[20], model[≤32]. */
export function encodeInfo(info: DeviceInfo): Uint8Array {
  const model = ascii.encode(info.model).subarray(0, 32);
  const out = new Uint8Array(39 + model.length);
  out.set([info.protocolVersion, info.channelCount, ...u16(info.lsbNanovolts), ...u16(info.sampleRateHz), rateBits(info.supportedSampleRatesHz)]);
  out.set(fixedAscii(info.serialNumber, 12), 7);
  out.set(fixedAscii(info.manufacturer, 20), 19);
  out.set(model, 39);
  return out;
}

export function decodeInfo(payload: Uint8Array): DeviceInfo {
  if (payload.length < 39 || payload.length > 71) throw new DeviceError('bad-frame', `info payload of ${payload.length} bytes`);
  const mask = payload[6]!;
  const info: DeviceInfo = {
    protocolVersion: payload[0]!,
    channelCount: payload[1]!,
    lsbNanovolts: readU16(payload, 2),
    sampleRateHz: readU16(payload, 4),
    supportedSampleRatesHz: PROFILE_SAMPLE_RATES_HZ.filter((_, bit) => mask & (1 << bit)),
    serialNumber: readAscii(payload.subarray(7, 19)),
    manufacturer: readAscii(payload.subarray(19, 39)),
    model: readAscii(payload.subarray(39)),
  };
  if (info.channelCount !== CHANNEL_COUNT || info.lsbNanovolts === 0) {
    throw new DeviceError('bad-frame', `info: ${info.channelCount} channels, LSB ${info.lsbNanovolts} nV`);
  }
  return info;
}

export function encodeHostMessage(message: HostMessage): Uint8Array {
  if ('transfer' in message) return encodeMessage(encodeTransfer(message.seq, message.transfer));
  const { command } = message;
  const payload = command.type === 'set-rate' ? Uint8Array.from(u16(command.sampleRateHz)) : new Uint8Array(0);
  return encodeMessage({ type: commandTypes[command.type], seq: message.seq, payload });
}

export function decodeHostMessage(frame: Uint8Array): HostMessage {
  const m = decodeMessage(frame);
  const transfer = decodeTransfer(m);
  if (transfer) return { seq: m.seq, transfer };
  const name = commandByType.get(m.type);
  if (!name) throw new DeviceError('bad-frame', `unknown command 0x${hex(m.type)}`);
  if (name === 'set-rate') {
    need(m.payload, 2, 'set-rate');
    return { seq: m.seq, command: { type: 'set-rate', sampleRateHz: readU16(m.payload, 0) } };
  }
  need(m.payload, 0, name);
  return { seq: m.seq, command: { type: name } as HostCommand };
}

export function encodeDeviceMessage(message: DeviceMessage): Uint8Array {
  if ('transfer' in message) return encodeMessage(encodeTransfer(message.seq, message.transfer));
  const { reply, seq } = message;
  switch (reply.type) {
    case 'ack':
      return encodeMessage({ type: MessageType.ack, seq, payload: Uint8Array.of(commandTypes[reply.command]) });
    case 'nak':
      return encodeMessage({
        type: MessageType.nak,
        seq,
        payload: Uint8Array.of(reply.command === 'unknown' ? 0 : commandTypes[reply.command], nakReasons.indexOf(reply.reason) + 1),
      });
    case 'info':
      return encodeMessage({ type: MessageType.info, seq, payload: encodeInfo(reply.info) });
    case 'lead-off':
      return encodeMessage({ type: MessageType.leadOff, seq, payload: Uint8Array.from(u16(encodeLeadOff(reply.electrodes))) });
  }
}

export function decodeDeviceMessage(frame: Uint8Array): DeviceMessage {
  const m = decodeMessage(frame);
  const transfer = decodeTransfer(m);
  if (transfer) return { seq: m.seq, transfer };
  switch (m.type) {
    case MessageType.ack: {
      need(m.payload, 1, 'ack');
      const command = commandByType.get(m.payload[0]!);
      if (!command) throw new DeviceError('bad-frame', `ack for unknown command 0x${hex(m.payload[0]!)}`);
      return { seq: m.seq, reply: { type: 'ack', command } };
    }
    case MessageType.nak: {
      need(m.payload, 2, 'nak');
      const reason = nakReasons[m.payload[1]! - 1];
      if (!reason) throw new DeviceError('bad-frame', `nak reason ${m.payload[1]}`);
      return { seq: m.seq, reply: { type: 'nak', command: commandByType.get(m.payload[0]!) ?? 'unknown', reason } };
    }
    case MessageType.info:
      return { seq: m.seq, reply: { type: 'info', info: decodeInfo(m.payload) } };
    case MessageType.leadOff:
      need(m.payload, 2, 'lead-off');
      return { seq: m.seq, reply: { type: 'lead-off', electrodes: decodeLeadOff(readU16(m.payload, 0)) } };
    default:
      throw new DeviceError('bad-frame', `unknown device message 0x${hex(m.type)}`);
  }
}

function encodeTransfer(seq: number, frame: TransferFrame): Message {
  switch (frame.kind) {
    case 'enq':
      return {
        type: MessageType.fileEnq,
        seq: 0,
        payload: Uint8Array.from([1, ...u32(frame.totalBytes), ...u16(frame.blockSize), ...u16(frame.fileCrc)]),
      };
    case 'block':
      return { type: MessageType.fileBlock, seq: frame.seq, payload: frame.data };
    case 'eot':
      return { type: MessageType.fileEot, seq: frame.seq, payload: new Uint8Array(0) };
    case 'ack':
      return { type: MessageType.fileAck, seq: frame.seq, payload: new Uint8Array(0) };
    case 'nak':
      return { type: MessageType.fileNak, seq: frame.seq, payload: new Uint8Array(0) };
    case 'can':
      return { type: MessageType.fileCan, seq, payload: Uint8Array.of(cancelReasons.indexOf(frame.reason) + 1) };
  }
}

function decodeTransfer(m: Message): TransferFrame | undefined {
  switch (m.type) {
    case MessageType.fileEnq: {
      need(m.payload, 9, 'enq');
      if (m.payload[0] !== 1) throw new DeviceError('bad-frame', `file kind ${m.payload[0]}`);
      const blockSize = readU16(m.payload, 5);
      if (blockSize === 0 || blockSize > MAX_MESSAGE_PAYLOAD) throw new DeviceError('bad-frame', `block size ${blockSize}`);
      return { kind: 'enq', fileKind: 'scp-ecg', totalBytes: readU32(m.payload, 1), blockSize, fileCrc: readU16(m.payload, 7) };
    }
    case MessageType.fileBlock:
      if (m.payload.length === 0) throw new DeviceError('bad-frame', 'empty file block');
      return { kind: 'block', seq: m.seq, data: m.payload };
    case MessageType.fileEot:
    case MessageType.fileAck:
    case MessageType.fileNak:
      need(m.payload, 0, 'file control');
      return { kind: m.type === MessageType.fileEot ? 'eot' : m.type === MessageType.fileAck ? 'ack' : 'nak', seq: m.seq };
    case MessageType.fileCan: {
      need(m.payload, 1, 'can');
      const reason = cancelReasons[m.payload[0]! - 1];
      if (!reason) throw new DeviceError('bad-frame', `cancel reason ${m.payload[0]}`);
      return { kind: 'can', reason };
    }
    default:
      return undefined;
  }
}

function hex(value: number, digits = 2): string {
  return value.toString(16).toUpperCase().padStart(digits, '0');
}
