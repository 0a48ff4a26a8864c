/**
 * Typed device errors. Every failure below the UI (a port that will not open, a reader unplugged
 * mid-frame, a bad checksum, a card that is not there) becomes a DeviceError with a stable code and
 * a message a nurse can act on, in Chinese and English. Drivers never throw anything else.
 */
import { CodedError, type CodedErrorOptions, type ErrorCodeOf, type SerializedError } from '../errors/index.ts';

/** The codes; their words are the catalogue's `device.*` (core/errors/locales). */
export type DeviceErrorCode = ErrorCodeOf<'device'>;

export class DeviceError extends CodedError<`device.${DeviceErrorCode}`> {
  override readonly name = 'DeviceError';
  declare readonly code: DeviceErrorCode;

  /** `detail`: protocol detail for logs and support (status byte, expected length…), never patient data. */
  constructor(code: DeviceErrorCode, detail?: string, options?: Pick<CodedErrorOptions, 'cause'>) {
    super(`device.${code}`, {}, { ...options, detail });
  }

  /** The one wire shape (core/errors), which survives IPC, WebSocket and JSON. */
  override toJSON(): SerializedDeviceError {
    return { ...super.toJSON(), code: this.code };
  }
}

export interface SerializedDeviceError extends SerializedError {
  code: DeviceErrorCode;
}

export const isDeviceError = (e: unknown): e is DeviceError => e instanceof DeviceError;
