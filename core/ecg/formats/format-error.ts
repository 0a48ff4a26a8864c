/**
 * The one error type of the ECG file formats (DICOM, HL7 aECG, SCP-ECG, WFDB). Readers and writers throw
 * nothing else: a truncated file, a bad CRC or an unwritable recording all arrive as an
 * EcgFormatError with a code the UI can switch on and a message in Chinese and English.
 * Messages never contain patient data, so they are safe to log.
 */

import { CodedError, type ErrorCodeOf } from '../../errors/index.ts';

/** The codes; their words are the catalogue's `ecgFormat.*` (core/errors/locales). */
export type EcgFormatErrorCode = ErrorCodeOf<'ecgFormat'>;

export class EcgFormatError extends CodedError<`ecgFormat.${EcgFormatErrorCode}`> {
  /** The section, lead or byte offset is said in both languages: whoever opened the file acts on it. */
  static override readonly detailStyle = 'both';
  override readonly name = 'EcgFormatError';
  declare readonly code: EcgFormatErrorCode;

  /** `detail`: technical detail in English (which section, lead, byte offset); never patient data. */
  constructor(code: EcgFormatErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(`ecgFormat.${code}`, {}, { ...options, detail });
  }
}

export const isEcgFormatError = (e: unknown): e is EcgFormatError => e instanceof EcgFormatError;
