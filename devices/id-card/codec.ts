/**
 * GA 467 SAM (身份证安全控制模块, security access module) frames: pure bytes ↔ typed values.
 *
 *   host → SAM   AA AA AA 96 69 · LEN_hi LEN_lo · CMD PARA [DATA] · CHK
 *   SAM → host   AA AA AA 96 69 · LEN_hi LEN_lo · SW1 SW2 SW3 [DATA] · CHK
 *
 * GA 467: LEN counts every byte after the two length bytes, the checksum included (frame = 7 + LEN);
 * CHK is the XOR of LEN_hi through the last data byte. Checksums are always computed, never copied
 * (a public sample ships a wrong find-card checksum). See docs/protocols.md §1.
 */
import { DeviceError } from '../../core/contract/device-error.ts';
import type { DeviceErrorCode } from '../../core/contract/device-error.ts';
import { TEXT_BLOCK_BYTES } from '../../core/identity/text-block.ts';

export const PREAMBLE = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69);
/** Preamble + two length bytes: what must arrive before the rest of a frame can be sized. */
export const HEADER_BYTES = 7;
/** Largest LEN a SAM sends: the 30 10 reply with a 1024-byte fingerprint is 2321 bytes (LEN 2314). */
export const MAX_LEN = 4096;
/** Smallest reply LEN: SW1 SW2 SW3 CHK. */
export const MIN_REPLY_LEN = 4;

/** Commands as CMD, PARA (GA 467 table; docs/protocols.md §1). */
export const samCommands = {
  resetSam: [0x10, 0xff],
  samStatus: [0x11, 0xff],
  readSamId: [0x12, 0xff],
  findCard: [0x20, 0x01],
  selectCard: [0x20, 0x02],
  readTextAndPhoto: [0x30, 0x01],
  readTextPhotoAndFingerprint: [0x30, 0x10],
  readAdditionalAddress: [0x30, 0x03],
  setMaxRfFrameBytes: [0x61, 0xff],
} as const satisfies Record<string, readonly [number, number]>;

export type SamCommand = keyof typeof samCommands;

export function samCommandOf(cmd: number, para: number): SamCommand | undefined {
  for (const [name, [c, p]] of Object.entries(samCommands)) if (c === cmd && p === para) return name as SamCommand;
  return undefined;
}

/** SW3 status codes (SW1 = SW2 = 00), with what each means and the DeviceError it becomes. */
export const samStatuses = {
  0x90: { name: 'success', zh: '操作成功', en: 'success', error: undefined },
  0x9f: { name: 'find-card-success', zh: '寻找证/卡成功', en: 'card found', error: undefined },
  0x80: { name: 'no-card', zh: '寻找证/卡失败', en: 'no card found', error: 'no-card' },
  0x81: { name: 'select-failed', zh: '选取证/卡失败', en: 'card select failed', error: 'select-failed' },
  0x41: { name: 'read-failed', zh: '读证/卡操作失败', en: 'card read failed', error: 'read-failed' },
  0x91: { name: 'no-such-item', zh: '证/卡中此项无内容', en: 'no such item on the card', error: undefined },
  0x10: { name: 'checksum-error', zh: '接收业务终端数据的校验和错', en: 'SAM received a bad checksum', error: 'device-status' },
  0x11: { name: 'length-error', zh: '接收业务终端数据的长度错', en: 'SAM received a bad length', error: 'device-status' },
  0x21: { name: 'command-error', zh: '接收业务终端的命令错误', en: 'SAM received a bad command', error: 'device-status' },
  0x23: { name: 'not-permitted', zh: '越权操作', en: 'operation not permitted', error: 'device-status' },
  0x24: { name: 'unrecognised-error', zh: '无法识别的错误', en: 'unrecognised error', error: 'device-status' },
  0x31: { name: 'card-rejected-sam', zh: '证/卡认证SAM失败', en: 'card could not authenticate the SAM', error: 'read-failed' },
  0x32: { name: 'sam-rejected-card', zh: 'SAM认证证/卡失败', en: 'SAM could not authenticate the card', error: 'read-failed' },
  0x33: { name: 'verification-error', zh: '信息验证错误', en: 'verification error', error: 'read-failed' },
  0x40: { name: 'unknown-card-type', zh: '无法识别的证/卡类型', en: 'unknown card type', error: 'read-failed' },
  0x47: { name: 'random-number-failed', zh: '取随机数失败', en: 'random number failed', error: 'read-failed' },
  0x60: { name: 'sam-self-test-failed', zh: 'SAM自检失败', en: 'SAM self-test failed', error: 'device-status' },
  0x66: { name: 'sam-not-authorised', zh: 'SAM未经授权', en: 'SAM not authorised', error: 'device-status' },
} as const satisfies Record<number, { name: string; zh: string; en: string; error: DeviceErrorCode | undefined }>;

export type SamStatusCode = keyof typeof samStatuses;
export const SW_SUCCESS = 0x90;
export const SW_FIND_SUCCESS = 0x9f;
export const SW_NO_SUCH_ITEM = 0x91;

export interface SamReply {
  sw1: number;
  sw2: number;
  sw3: number;
  data: Uint8Array;
}

export interface SamCommandFrame {
  cmd: number;
  para: number;
  data: Uint8Array;
}

/** XOR of bytes [from, to). */
export function xorChecksum(bytes: Uint8Array, from: number, to: number): number {
  let chk = 0;
  for (let i = from; i < to; i++) chk ^= bytes[i]!;
  return chk;
}

function buildFrame(body: Uint8Array): Uint8Array {
  const len = body.length + 1; // GA 467: LEN counts the checksum
  if (len > 0xffff) throw new RangeError('GA 467 frame body too long');
  const frame = new Uint8Array(HEADER_BYTES + len);
  frame.set(PREAMBLE, 0);
  frame[5] = len >> 8;
  frame[6] = len & 0xff;
  frame.set(body, HEADER_BYTES);
  frame[frame.length - 1] = xorChecksum(frame, 5, frame.length - 1);
  return frame;
}

/** host → SAM */
export function encodeCommand(command: SamCommand, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const [cmd, para] = samCommands[command];
  return encodeRawCommand(cmd, para, data);
}

export function encodeRawCommand(cmd: number, para: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const body = new Uint8Array(2 + data.length);
  body[0] = cmd;
  body[1] = para;
  body.set(data, 2);
  return buildFrame(body);
}

/** SAM → host (SW1 = SW2 = 00 on every reply this codec writes). */
export function encodeReply(sw3: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const body = new Uint8Array(3 + data.length);
  body[2] = sw3;
  body.set(data, 3);
  return buildFrame(body);
}

/**
 * Checks preamble, length and checksum of one whole frame and returns its body (between the length
 * bytes and the checksum). Throws DeviceError('bad-frame' | 'bad-checksum').
 */
function checkFrame(frame: Uint8Array, minLen: number): Uint8Array {
  if (frame.length < HEADER_BYTES) throw new DeviceError('bad-frame', `frame of ${frame.length} bytes is shorter than its header`);
  for (let i = 0; i < PREAMBLE.length; i++) {
    if (frame[i] !== PREAMBLE[i]) throw new DeviceError('bad-frame', 'missing AA AA AA 96 69 preamble');
  }
  const len = (frame[5]! << 8) | frame[6]!;
  if (len < minLen || len > MAX_LEN) throw new DeviceError('bad-frame', `LEN ${len} out of range`);
  if (frame.length !== HEADER_BYTES + len) {
    throw new DeviceError('bad-frame', `LEN says ${HEADER_BYTES + len} bytes, frame has ${frame.length}`);
  }
  const expected = xorChecksum(frame, 5, frame.length - 1);
  const actual = frame[frame.length - 1]!;
  if (expected !== actual) {
    throw new DeviceError('bad-checksum', `CHK ${hex(actual)}, computed ${hex(expected)}`);
  }
  return frame.subarray(HEADER_BYTES, frame.length - 1);
}

export function decodeReply(frame: Uint8Array): SamReply {
  const body = checkFrame(frame, MIN_REPLY_LEN);
  return { sw1: body[0]!, sw2: body[1]!, sw3: body[2]!, data: body.slice(3) };
}

export function decodeCommand(frame: Uint8Array): SamCommandFrame {
  const body = checkFrame(frame, 3);
  return { cmd: body[0]!, para: body[1]!, data: body.slice(2) };
}

export const hex = (byte: number) => byte.toString(16).toUpperCase().padStart(2, '0');

/** The DeviceError a non-success status becomes, or undefined for success statuses. */
export function statusError(reply: SamReply): DeviceError | undefined {
  const known = samStatuses[reply.sw3 as SamStatusCode] as (typeof samStatuses)[SamStatusCode] | undefined;
  if (reply.sw1 !== 0 || reply.sw2 !== 0) {
    return new DeviceError('device-status', `SW ${hex(reply.sw1)} ${hex(reply.sw2)} ${hex(reply.sw3)}`);
  }
  if (!known) return new DeviceError('device-status', `SW3 ${hex(reply.sw3)} unknown`);
  return known.error ? new DeviceError(known.error, `SW3 ${hex(reply.sw3)} ${known.name}`) : undefined;
}

// ---- Read replies (30 01 and 30 10) ----

export const PHOTO_BYTES = 1024;

export interface CardReadData {
  text: Uint8Array;
  photo: Uint8Array;
  /** Only in replies to 30 10. */
  fingerprint?: Uint8Array | undefined;
}

/**
 * Splits the data of a read reply. 30 01: text length u16 BE, photo length u16 BE, text, photo
 * (frame offsets 10, 12, 14, 270). 30 10 adds a fingerprint length after the photo length
 * (text then starts at frame offset 16), and the fingerprint follows the photo.
 */
export function decodeCardReadData(data: Uint8Array, withFingerprint: boolean): CardReadData {
  const headerBytes = withFingerprint ? 6 : 4;
  if (data.length < headerBytes) throw new DeviceError('bad-frame', `read reply data of ${data.length} bytes`);
  const u16 = (at: number) => (data[at]! << 8) | data[at + 1]!;
  const textLength = u16(0);
  const photoLength = u16(2);
  const fingerprintLength = withFingerprint ? u16(4) : 0;
  if (textLength !== TEXT_BLOCK_BYTES) throw new DeviceError('bad-frame', `text length ${textLength}, expected 256`);
  if (headerBytes + textLength + photoLength + fingerprintLength !== data.length) {
    throw new DeviceError('bad-frame', `lengths ${textLength}+${photoLength}+${fingerprintLength} do not fill ${data.length} bytes`);
  }
  const text = data.slice(headerBytes, headerBytes + textLength);
  const photo = data.slice(headerBytes + textLength, headerBytes + textLength + photoLength);
  const fingerprint = withFingerprint ? data.slice(headerBytes + textLength + photoLength) : undefined;
  return { text, photo, fingerprint };
}

export function encodeCardReadData({ text, photo, fingerprint }: CardReadData): Uint8Array {
  const withFingerprint = fingerprint !== undefined;
  const headerBytes = withFingerprint ? 6 : 4;
  const out = new Uint8Array(headerBytes + text.length + photo.length + (fingerprint?.length ?? 0));
  const put16 = (at: number, value: number) => {
    out[at] = value >> 8;
    out[at + 1] = value & 0xff;
  };
  put16(0, text.length);
  put16(2, photo.length);
  if (withFingerprint) put16(4, fingerprint.length);
  out.set(text, headerBytes);
  out.set(photo, headerBytes + text.length);
  if (fingerprint) out.set(fingerprint, headerBytes + text.length + photo.length);
  return out;
}

// ---- SAM ID (12 FF) and additional address (30 03) ----

export const SAM_ID_BYTES = 16;

/**
 * The SAM's serial number as readers print it: "05.01-20101220-0012345678-1234567890".
 * [check] Layout from vendor SDKs (two u16 LE, three u32 LE), not from docs/protocols.md.
 */
export function decodeSamId(data: Uint8Array): string {
  if (data.length !== SAM_ID_BYTES) throw new DeviceError('bad-frame', `SAM ID of ${data.length} bytes, expected 16`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(view.getUint16(0, true), 2)}.${pad(view.getUint16(2, true), 2)}-${pad(view.getUint32(4, true), 8)}-${pad(
    view.getUint32(8, true),
    10,
  )}-${pad(view.getUint32(12, true), 10)}`;
}

export function encodeSamId(samId: string): Uint8Array {
  const match = /^(\d{2})\.(\d{2})-(\d{8})-(\d{10})-(\d{10})$/.exec(samId);
  if (!match) throw new RangeError('SAM ID must look like 05.01-20101220-0012345678-1234567890');
  const out = new Uint8Array(SAM_ID_BYTES);
  const view = new DataView(out.buffer);
  view.setUint16(0, Number(match[1]), true);
  view.setUint16(2, Number(match[2]), true);
  view.setUint32(4, Number(match[3]), true);
  view.setUint32(8, Number(match[4]), true);
  view.setUint32(12, Number(match[5]), true);
  return out;
}

/** 追加住址 (address changes written after issue): 70 bytes of UCS-2LE, space padded [check]. */
export const ADDITIONAL_ADDRESS_BYTES = 70;
const utf16 = new TextDecoder('utf-16le');

export function decodeAdditionalAddress(data: Uint8Array): string {
  if (data.length % 2 !== 0) throw new DeviceError('bad-frame', 'additional address has an odd byte count');
  return utf16.decode(data).replace(/[\s\0]+$/u, '');
}

export function encodeAdditionalAddress(address: string): Uint8Array {
  const chars = Math.max(ADDITIONAL_ADDRESS_BYTES / 2, address.length);
  const padded = address.padEnd(chars, ' ');
  const out = new Uint8Array(chars * 2);
  for (let i = 0; i < chars; i++) {
    out[2 * i] = padded.charCodeAt(i) & 0xff;
    out[2 * i + 1] = padded.charCodeAt(i) >> 8;
  }
  return out;
}
