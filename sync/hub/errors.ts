/**
 * The hub's failures, in the shape and with the codes sync/protocol/errors.ts declares:
 * `{ error: { code, message, messageZh, details? } }`, the HTTP status fixed per code. Where the hub
 * knows more (wrong password vs. revoked workstation) it says so in both languages under the
 * protocol's code. Messages and details never quote patient data.
 */
import type { z } from 'zod';
import { authRules, hubErrors, type ErrorBody, type HubErrorCode } from '../protocol/errors.ts';

type Details = NonNullable<ErrorBody['error']['details']>;

export class HubError extends Error {
  readonly status: number;

  constructor(
    readonly code: HubErrorCode,
    message?: string,
    readonly messageZh: string = hubErrors[code].zh,
    readonly details?: Details,
  ) {
    super(message ?? hubErrors[code].en);
    this.name = 'HubError';
    this.status = hubErrors[code].status;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, messageZh: this.messageZh, ...(this.details ? { details: this.details } : {}) } };
  }
}

export const errors = {
  badRequest: (why: string, whyZh: string = hubErrors['bad-request'].zh) => new HubError('bad-request', why, whyZh),
  validation: (issues: Details['issues'], documentIds?: string[]) =>
    new HubError('validation-failed', `${hubErrors['validation-failed'].en}: ${(issues ?? []).map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`, hubErrors['validation-failed'].zh, {
      issues,
      ...(documentIds ? { documentIds } : {}),
    }),
  unauthenticated: (why = 'Not signed in: sign in again') => new HubError('auth-missing', why),
  invalidToken: (why = 'The sign-in is not valid: sign in again') => new HubError('auth-invalid', why),
  tokenExpired: () => new HubError('auth-expired'),
  badCredentials: () => new HubError('auth-invalid', 'Wrong username or password', '用户名或密码错误'),
  badWorkstation: () => new HubError('auth-invalid', 'Unknown workstation or wrong workstation credential', '工作站未注册或工作站凭据错误'),
  workstationRevoked: () => new HubError('auth-invalid', 'This workstation has been revoked', '此工作站已被吊销，请联系管理员'),
  userDisabled: () => new HubError('auth-invalid', 'This user account has been disabled', '此账号已被停用，请联系管理员', { rule: authRules.userDisabled }),
  badEnrolmentCode: () => new HubError('auth-invalid', 'The enrolment code is unknown, expired or already used', '注册码无效、已过期或已使用'),
  forbidden: (why: string, whyZh: string = hubErrors.forbidden.zh, documentIds?: string[], rule?: string) =>
    new HubError('forbidden', why, whyZh, documentIds || rule ? { ...(documentIds ? { documentIds } : {}), ...(rule ? { rule } : {}) } : undefined),
  notFound: (what: string, whatZh: string) => new HubError('not-found', `${what} not found`, `未找到${whatZh}`),
  tooLarge: (limit: number) => new HubError('payload-too-large', `The request is too large (limit ${limit} bytes)`, `数据过大（上限 ${limit} 字节）`),
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
    return { path, message: issue.message, messageZh: typeof zh === 'string' ? zh : `${path} 无效` };
  });
  throw new HubError(
      where === 'body' ? 'validation-failed' : 'bad-request',
      `Invalid ${where}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      where === 'body' ? hubErrors['validation-failed'].zh : `${hubErrors['bad-request'].zh}（${where === 'query' ? '查询参数' : '路径参数'}无效）`,
    { issues },
  );
}
