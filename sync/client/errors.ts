/** Typed errors of the local database layer, each with a Chinese and an English message. */
export { RecordValidationError, isRecordValidationError } from '../../core/records/index.ts';

/** A write the shared conflict rules forbid (editing a closed visit, changing a signed report). */
export class RecordWriteRefusedError extends Error {
  override readonly name = 'RecordWriteRefusedError';
  readonly code = 'record-write-refused';
  readonly messageZh: string;
  constructor(
    readonly collection: string,
    readonly reason: string,
  ) {
    super(`This ${collection} record cannot be changed this way: ${reason}`);
    this.messageZh = '此记录不允许这样修改（如已结束的就诊只能添加更正，已签发的报告不能修改）';
  }
}
