/**
 * Building the signed report from the form (签发报告): chosen statements in the order chosen, free
 * text, the critical flag, the signer and the time. Validated with the record schema before it is
 * sent, so a report the hub would refuse is refused here first, with the schema's own message.
 */
import { ecgReportSchema, newRecordId, nowIso, type EcgReport, type EcgStudy } from '../../core/records/index.ts';
import { statementByCode, statementText } from '../../core/ecg/terminology/index.ts';

export interface ReportFormState {
  codes: string[];
  freeText: string;
  critical: boolean;
}

export class ReportInvalidError extends Error {
  override readonly name = 'ReportInvalidError';
  constructor(readonly messageZh: string, message: string) {
    super(message);
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
    throw new ReportInvalidError(zh ?? '报告内容无效，未签发', issue.message);
  }
  return checked.data;
}
