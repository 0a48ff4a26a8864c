/** Typed errors of the local database layer, each with a Chinese and an English message. */
import { CodedError } from '../../core/errors/index.ts';

export { RecordValidationError, isRecordValidationError } from '../../core/records/index.ts';

/** A write the shared conflict rules forbid (editing a closed visit, changing a signed report). */
export class RecordWriteRefusedError extends CodedError<'records.write-refused'> {
  override readonly name = 'RecordWriteRefusedError';
  constructor(
    readonly collection: string,
    readonly reason: string,
  ) {
    super('records.write-refused', { collection, reason }, { code: 'record-write-refused' });
  }
}
