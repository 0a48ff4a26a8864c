/**
 * Building the signed report from the form (签发报告): chosen statements in the order chosen, free
 * text, the critical flag, the signer and the time. Validated with the record schema before it is
 * sent, so a report the hub would refuse is refused here first, with the schema's own message.
 */
import { ecgReportSchema, newRecordId, nowIso, type EcgReport, type EcgStudy } from '../../core/records/index.ts';
import { statementByCode, statementText } from '../../core/ecg/terminology/index.ts';
import { CodedError, errorText } from '../../core/errors/index.ts';

export interface ReportFormState {
  codes: string[];
  freeText: string;
  critical: boolean;
}

/**
 * The report failed the record schema: the words are the schema issue's own (a field rule's message,
 * core/records), else the catalogue's `readingRoom.report-invalid`.
 */
export class ReportInvalidError extends CodedError<'readingRoom.report-invalid'> {
  override readonly name = 'ReportInvalidError';
  constructor(issue: { message: string; messageZh: string | undefined }) {
    super('readingRoom.report-invalid', {}, { text: { en: issue.message, zh: issue.messageZh ?? errorText('readingRoom.report-invalid', {}, 'zh-CN') } });
  }
}

/** Choosing a 危急值 statement suggests the critical flag; the cardiologist can still clear it. */
export const suggestsCritical = (codes: readonly string[]): boolean => codes.some((c) => statementByCode(c)?.critical === true);

export function buildSignedReport(study: EcgStudy, form: ReportFormState, signer: { userId: string; institutionId: string }, language = 'zh-CN'): EcgReport {
  const report: EcgReport = {
    id: newRecordId(),
    institutionId: signer.institutionId,
    updatedAt: nowIso(),
    studyId: study.id,
    patientId: study.patientId,
    statements: form.codes.flatMap((code) => {
      const s = statementByCode(code);
      return s ? [{ code, text: statementText(s, language) }] : [];
    }),
    freeText: form.freeText.trim(),
    critical: form.critical,
    signedBy: signer.userId,
    signedAt: nowIso(),
  };
  const checked = ecgReportSchema.safeParse(report);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const zh = (issue as { params?: { messageZh?: string } }).params?.messageZh;
    throw new ReportInvalidError({ message: issue.message, messageZh: zh });
  }
  return checked.data;
}
