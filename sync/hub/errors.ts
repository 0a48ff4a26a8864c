/**
 * The hub's failures, in the shape and with the codes sync/protocol/errors.ts declares:
 * `{ error: { code, key, params?, message, messageZh, details? } }`, the HTTP status fixed per code. Where the hub
 * knows more (wrong password vs. revoked workstation) it says so in both languages under the
 * protocol's code. Messages and details never quote patient data.
 */
import type { z } from 'zod';
import { CodedError, errorText, type ErrorCodeOf, type ErrorParamName, type ErrorParams, type ErrorParamsOf } from '../../core/errors/index.ts';
import { authRules, hubErrors, type ErrorBody, type HubErrorCode } from '../protocol/errors.ts';
import type { RuleRefusalReason } from '../protocol/role-rules.ts';

type Details = NonNullable<ErrorBody['error']['details']>;

/** A code of the catalogue's `hub.*`: a protocol code, or a more precise reason given under one. */
type HubReason = ErrorCodeOf<'hub'>;
/** The words of a HubError: a reason of the hub's own, or the refusal of a role or access rule. */
type HubErrorKey = `hub.${HubReason}` | `writeRules.${RuleRefusalReason}`;

export class HubError extends CodedError<HubErrorKey> {
  override readonly name = 'HubError';
  /** The protocol code on the wire; the key's words may say more (auth-invalid: 'hub.user-disabled'). */
  declare readonly code: HubErrorCode;
  readonly status: number;

  /**
   * `message`/`messageZh`: words not yet in the catalogue, said at the place of the refusal (most of the
   * routes' forbidden/bad-request/not-found reasons, for now). New reasons go into the catalogue and use
   * HubError.because.
   */
  constructor(
    code: HubErrorCode,
    message?: string,
    messageZh?: string,
    readonly details?: Details,
    reason: { key: HubErrorKey; params: ErrorParams } = { key: `hub.${code}`, params: {} },
  ) {
    const text = message !== undefined || messageZh !== undefined ? { en: message ?? hubErrors[code].en, zh: messageZh ?? hubErrors[code].zh } : undefined;
    super(reason.key, reason.params as never, { text, code });
    this.status = hubErrors[code].status;
  }

  /** A refusal under a protocol code, in the catalogue's words for a more precise reason. */
  static because<R extends HubReason>(
    code: HubErrorCode,
    reason: R,
    ...[params, details]: [ErrorParamName<`hub.${R}`>] extends [never] ? [params?: ErrorParamsOf<`hub.${R}`>, details?: Details] : [params: ErrorParamsOf<`hub.${R}`>, details?: Details]
  ): HubError {
    return new HubError(code, undefined, undefined, details, { key: `hub.${reason}`, params: params ?? {} });
  }

  toBody(): ErrorBody {
    return {
      error: {
        ...this.toJSON(),
        code: this.code,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

export const errors = {
  /** A request the framework refused (its English words relayed; the Chinese is the catalogue's `hub.bad-request`). */
  badRequest: (why: string) => new HubError('bad-request', why),
  validation: (issues: Details['issues'], documentIds?: string[]) =>
    new HubError('validation-failed', `${hubErrors['validation-failed'].en}: ${(issues ?? []).map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`, hubErrors['validation-failed'].zh, {
      issues,
      ...(documentIds ? { documentIds } : {}),
    }),
  unauthenticated: (why?: string) => (why === undefined ? HubError.because('auth-missing', 'not-signed-in') : new HubError('auth-missing', why)),
  invalidToken: (why?: string) => new HubError('auth-invalid', why),
  tokenExpired: () => new HubError('auth-expired'),
  badCredentials: () => HubError.because('auth-invalid', 'bad-credentials'),
  badWorkstation: () => HubError.because('auth-invalid', 'bad-workstation'),
  workstationRevoked: () => HubError.because('auth-invalid', 'workstation-revoked'),
  // The rule lets the client tell a disabled account from a wrong password (it then drops this PC's key copy).
  userDisabled: () => HubError.because('auth-invalid', 'user-disabled', {}, { rule: authRules.userDisabled }),
  badEnrolmentCode: () => HubError.because('auth-invalid', 'bad-enrolment-code'),
  /** 403 by a role or access rule: the rule's name travels in details.rule (and the audit trail) and in the words. */
  refusedByRule: (rule: string, reason: RuleRefusalReason, documentIds: string[]) =>
    new HubError('forbidden', undefined, undefined, { documentIds, rule }, { key: `writeRules.${reason}`, params: { rule } }),
  tooLarge: (limit: number) => HubError.because('payload-too-large', 'payload-over-limit', { limit }),
  rateLimited: () => new HubError('rate-limited'),
  internal: () => new HubError('internal'),
};

/** Parses `value` with `schema` or throws a 400 naming each bad field and rule (never its value). */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'params'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = [where, ...issue.path.map(String)].join('.');
    const zh = (issue as { params?: { messageZh?: unknown } }).params?.messageZh;
    return { path, message: issue.message, messageZh: typeof zh === 'string' ? zh : errorText('hub.field-invalid', { path }, 'zh-CN') };
  });
  // The key's words, and in English the fields and rules (never values) for whoever reads the log.
  const reason = where === 'body' ? 'hub.validation-failed' : where === 'query' ? 'hub.invalid-query' : 'hub.invalid-params';
  throw new HubError(
    where === 'body' ? 'validation-failed' : 'bad-request',
    `Invalid ${where}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
    errorText(reason, {}, 'zh-CN'),
    { issues },
    { key: reason, params: {} },
  );
}
