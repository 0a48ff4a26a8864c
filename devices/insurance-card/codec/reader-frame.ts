/**
 * The serial reader framing profile of devices/insurance-card/PROFILE.md:
 *
 *   STX(02) LEN(2, big-endian) CMD DATA… LRC ETX(03)
 *
 * LEN counts CMD + DATA; LRC is the XOR of LEN (both bytes), CMD and DATA. Replies echo CMD, and their
 * DATA starts with a reader status byte. Pure bytes ↔ frames; the stream framing is in ../framer.ts.
 */
import { DeviceError } from '../../../core/contract/device-error.ts';

export const STX = 0x02;
export const ETX = 0x03;
/** STX + LEN(2) before the body, LRC + ETX after it. */
export const FRAME_OVERHEAD = 5;
/**
 * Largest LEN accepted: CMD + status + a 256-byte response APDU + SW1 SW2 is 260; anything longer is
 * line noise that happened to contain an STX, so the framer skips it instead of waiting for it.
 */
export const MAX_FRAME_BODY = 300;

export const ReaderCommand = {
  /** Cold reset the card; reply data: status, ATR. */
  powerOn: 0x30,
  /** Deactivate the card contacts; reply data: status. */
  powerOff: 0x31,
  /** Send a command APDU; reply data: status, response APDU (data SW1 SW2). */
  exchangeApdu: 0x32,
  /** Is a card in the slot? reply data: status, 00 absent / 01 present. */
  cardStatus: 0x33,
} as const;
export type ReaderCommandCode = (typeof ReaderCommand)[keyof typeof ReaderCommand];

export const ReaderStatus = {
  ok: 0x00,
  noCard: 0x01,
  /** The card did not answer reset or an APDU (dirty contacts, card upside down). */
  cardMute: 0x02,
  /** The reader received a frame with a bad LRC or shape from the host. */
  frameError: 0x03,
  unknownCommand: 0x04,
} as const;

export interface ReaderFrame {
  command: number;
  data: Uint8Array;
}

/** XOR of every byte: the LRC over LEN, CMD and DATA. */
export function lrc(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i]!;
  return x;
}

export function encodeReaderFrame(frame: ReaderFrame): Uint8Array {
  const bodyLength = 1 + frame.data.length;
  if (bodyLength > MAX_FRAME_BODY) throw new RangeError(`frame body ${bodyLength} exceeds ${MAX_FRAME_BODY}`);
  const out = new Uint8Array(bodyLength + FRAME_OVERHEAD);
  out[0] = STX;
  out[1] = bodyLength >> 8;
  out[2] = bodyLength & 0xff;
  out[3] = frame.command;
  out.set(frame.data, 4);
  out[out.length - 2] = lrc(out, 1, out.length - 2);
  out[out.length - 1] = ETX;
  return out;
}

/** Decodes exactly one frame. Throws DeviceError('bad-frame' | 'bad-checksum'). */
export function decodeReaderFrame(bytes: Uint8Array): ReaderFrame {
  if (bytes.length < FRAME_OVERHEAD + 1) throw new DeviceError('bad-frame', `frame of ${bytes.length} bytes is too short`);
  if (bytes[0] !== STX) throw new DeviceError('bad-frame', 'frame does not start with STX');
  const bodyLength = (bytes[1]! << 8) | bytes[2]!;
  if (bodyLength < 1 || bodyLength > MAX_FRAME_BODY) throw new DeviceError('bad-frame', `LEN ${bodyLength} out of range`);
  if (bytes.length !== bodyLength + FRAME_OVERHEAD) {
    throw new DeviceError('bad-frame', `LEN ${bodyLength} but frame has ${bytes.length - FRAME_OVERHEAD} body bytes`);
  }
  if (bytes[bytes.length - 1] !== ETX) throw new DeviceError('bad-frame', 'frame does not end with ETX');
  const expected = lrc(bytes, 1, bytes.length - 2);
  if (bytes[bytes.length - 2] !== expected) throw new DeviceError('bad-checksum', 'reader frame LRC mismatch');
  return { command: bytes[3]!, data: bytes.slice(4, bytes.length - 2) };
}

/**
 * Checks a reply against the command sent and returns its payload (after the status byte), or throws
 * the DeviceError its status byte means.
 */
export function replyPayload(reply: ReaderFrame, command: ReaderCommandCode): Uint8Array {
  if (reply.command !== command) {
    throw new DeviceError('bad-frame', `reply to command ${hex(reply.command)} while waiting for ${hex(command)}`);
  }
  if (reply.data.length < 1) throw new DeviceError('bad-frame', 'reply has no status byte');
  const status = reply.data[0]!;
  switch (status) {
    case ReaderStatus.ok:
      return reply.data.slice(1);
    case ReaderStatus.noCard:
      return fail('no-card', status);
    case ReaderStatus.cardMute:
      return fail('read-failed', status, 'card did not answer');
    case ReaderStatus.frameError:
      return fail('bad-frame', status, 'reader rejected our frame');
    default:
      return fail('device-status', status);
  }
}

const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
function fail(code: 'no-card' | 'read-failed' | 'bad-frame' | 'device-status', status: number, why?: string): never {
  throw new DeviceError(code, `reader status ${hex(status)}${why ? `: ${why}` : ''}`);
}
