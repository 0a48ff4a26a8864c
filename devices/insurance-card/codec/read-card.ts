/**
 * The card-reading sequence of docs/protocols.md §2, over any reader that passes APDUs (the serial
 * framing here, or PC/SC elsewhere): select SSSE → select EF05 → records 01 05 06 07 → select EF06 →
 * records 08 09 0A 0B 0D. Pure: the reader is a function from command APDU to response APDU.
 */
import { DeviceError } from '../../../core/contract/device-error.ts';
import type { InsuranceCard } from '../../../core/insurance/insurance-card.ts';
import {
  CardStatusError,
  isSelectSuccess,
  isSuccess,
  parseResponseApdu,
  readRecord,
  selectByName,
  selectElementaryFile,
  SSSE_NAME,
} from './apdu.ts';
import { assembleInsuranceCard, decodeField, RECORD_LAYOUTS } from './records.ts';

/** Sends one command APDU to the card and resolves with its response APDU (data + SW1 SW2). */
export type TransmitApdu = (command: Uint8Array) => Promise<Uint8Array>;

/**
 * Reads and decodes the whole card. Rejects with a DeviceError: `select-failed` when the card has no
 * SSSE application (not a social security card), `read-failed` with the status word's meaning when a
 * file or record is missing, `invalid-card-data` when a value does not decode.
 */
export async function readInsuranceCard(transmit: TransmitApdu): Promise<InsuranceCard> {
  const ssse = parseResponseApdu(await transmit(selectByName(SSSE_NAME)));
  if (!isSelectSuccess(ssse.statusWord)) throw new CardStatusError('select-failed', 'select SSSE', ssse.statusWord);

  const fields: Partial<Record<keyof InsuranceCard, string>> = {};
  let currentFile: number | undefined;
  for (const layout of RECORD_LAYOUTS) {
    if (layout.file !== currentFile) {
      const name = `select EF${(layout.file & 0xff).toString(16).toUpperCase().padStart(2, '0')}`;
      const selected = parseResponseApdu(await transmit(selectElementaryFile(layout.file)));
      if (!isSuccess(selected.statusWord)) throw new CardStatusError('read-failed', name, selected.statusWord);
      currentFile = layout.file;
    }
    const reply = parseResponseApdu(await transmit(readRecord(layout.record, layout.length + 2)));
    if (!isSuccess(reply.statusWord)) {
      throw new CardStatusError('read-failed', `read record ${layout.record.toString(16).padStart(2, '0').toUpperCase()}`, reply.statusWord);
    }
    fields[layout.field] = decodeField(layout, reply.data);
  }
  return assembleInsuranceCard(fields);
}

/** Keeps DeviceErrors and wraps anything else (a bug, never expected) so callers see one error type. */
export function asDeviceError(error: unknown): DeviceError {
  if (error instanceof DeviceError) return error;
  return new DeviceError('read-failed', error instanceof Error ? error.message : String(error), { cause: error });
}
