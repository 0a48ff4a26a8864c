/**
 * Validation with messages a nurse can act on, in Chinese and English. The issues name the field and
 * the rule, never the value, so they can be logged without leaking patient data.
 */
import { z } from 'zod';

export interface RecordIssue {
  /** Dotted path to the field, e.g. 'vitals.systolic'; '' for the record as a whole. */
  path: string;
  message: string;
  messageZh: string;
}

const zhLocale = z.locales.zhCN();

const issueMessageZh = (issue: z.core.$ZodIssue): string => {
  const params = (issue as { params?: { messageZh?: unknown } }).params;
  if (typeof params?.messageZh === 'string') return params.messageZh;
  const localized = zhLocale.localeError(issue as never);
  if (typeof localized === 'string') return localized;
  return localized?.message ?? issue.message;
};

export const toRecordIssues = (error: z.ZodError): RecordIssue[] =>
  error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
    messageZh: issueMessageZh(issue),
  }));

export class RecordValidationError extends Error {
  override readonly name = 'RecordValidationError';
  readonly code = 'record-invalid';
  readonly collection: string;
  readonly issues: RecordIssue[];
  readonly messageZh: string;

  constructor(collection: string, issues: RecordIssue[]) {
    const fields = issues.map((i) => i.path || '(record)').join(', ');
    super(`Invalid ${collection} record: ${issues.map((i) => `${i.path || '(record)'}: ${i.message}`).join('; ')}`);
    this.collection = collection;
    this.issues = issues;
    this.messageZh = `记录无效，请检查：${fields}。${issues.map((i) => i.messageZh).join('；')}`;
  }
}

export const isRecordValidationError = (e: unknown): e is RecordValidationError => e instanceof RecordValidationError;

export type ValidationOutcome<T> = { ok: true; value: T } | { ok: false; error: RecordValidationError };

export const validateWith = <S extends z.ZodType>(collection: string, schema: S, data: unknown): ValidationOutcome<z.infer<S>> => {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: new RecordValidationError(collection, toRecordIssues(parsed.error)) };
};
