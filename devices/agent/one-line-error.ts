/**
 * One line for a terminal: what went wrong in Chinese and English, with the protocol detail for
 * support. DeviceError details never carry patient data, so this line is safe to log.
 */
import { isDeviceError } from '../../core/contract/device-error.ts';

export function oneLineError(error: unknown): string {
  if (isDeviceError(error)) {
    return `错误：${error.messageZh} | Error: ${error.messageEn}${error.detail ? ` [${error.code}: ${error.detail}]` : ` [${error.code}]`}`;
  }
  const text = error instanceof Error ? error.message : String(error);
  return `错误：${text} | Error: ${text}`;
}
