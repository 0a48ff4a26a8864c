/**
 * Error bodies of every hub endpoint: `{ error: { code, message, messageZh, details? } }` with the
 * HTTP status given here. Messages are for people (the sync-status panel shows them); `details`
 * never contains patient data — validation issues name fields and rules, not values.
 */
import { z } from 'zod';

export const hubErrors = {
  'bad-request': { status: 400, zh: '请求格式错误', en: 'The request is malformed' },
  'validation-failed': { status: 400, zh: '数据未通过校验，未保存任何内容', en: 'The data failed validation; nothing was saved' },
  'unknown-collection': { status: 404, zh: '未知的数据集合', en: 'Unknown collection' },
  'auth-missing': { status: 401, zh: '未登录或缺少授权，请重新登录', en: 'Not signed in: sign in again' },
  'auth-invalid': { status: 401, zh: '授权无效，请重新登录', en: 'The sign-in is not valid: sign in again' },
  'auth-expired': { status: 401, zh: '登录已过期，请重新登录', en: 'The sign-in has expired: sign in again' },
  forbidden: { status: 403, zh: '无权执行此操作', en: 'You are not allowed to do this' },
  'not-found': { status: 404, zh: '未找到', en: 'Not found' },
  'blob-offset-mismatch': { status: 409, zh: '文件上传位置不一致，将从断点继续', en: 'Upload offset does not match; resuming from the last received byte' },
  'blob-incomplete': { status: 409, zh: '文件尚未上传完整', en: 'The file has not been uploaded completely' },
  'blob-hash-mismatch': { status: 422, zh: '文件校验失败，将重新上传', en: 'The file does not match its SHA-256; it will be uploaded again' },
  'ecg-study-claimed': { status: 409, zh: '该心电图正由其他医生阅片', en: 'Another cardiologist is reading this ECG' },
  'ecg-study-reported': { status: 409, zh: '该心电图已出具报告', en: 'This ECG has already been reported' },
  'payload-too-large': { status: 413, zh: '数据过大', en: 'The request is too large' },
  'rate-limited': { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; try again shortly' },
  internal: { status: 500, zh: '服务器内部错误，请稍后再试', en: 'Server error; try again later' },
  unavailable: { status: 503, zh: '服务器暂不可用，请稍后再试', en: 'The server is unavailable; try again later' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type HubErrorCode = keyof typeof hubErrors;
export const hubErrorCodes = Object.keys(hubErrors) as [HubErrorCode, ...HubErrorCode[]];

export const errorIssueSchema = z.object({ path: z.string(), message: z.string(), messageZh: z.string() });

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(hubErrorCodes),
    message: z.string(),
    messageZh: z.string(),
    details: z
      .object({
        /** validation-failed: which fields broke which rule (no values). */
        issues: z.array(errorIssueSchema).optional(),
        /** validation-failed / forbidden in a push: the ids of the offending rows. */
        documentIds: z.array(z.string()).optional(),
        /**
         * forbidden: the access or role rule that refused (sync/protocol/role-rules.ts, access.ts);
         * auth-invalid: `authRules` below, where the client acts on why.
         */
        rule: z.string().optional(),
        /** blob-offset-mismatch / blob-incomplete: where the upload stands. */
        receivedBytes: z.number().int().min(0).optional(),
      })
      .optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/**
 * Sign-in refusals a workstation acts on. `userDisabled`: the hub disabled this user (answered to a
 * sign-in only after the password was verified, and to their refresh or access token), so the
 * workstation drops what it keeps for them: the offline grant and their copy of the local-data key.
 */
export const authRules = { userDisabled: 'auth.user-disabled' } as const;
export const isUserDisabledRefusal = (code: string, details: ErrorBody['error']['details']): boolean =>
  code === 'auth-invalid' && details?.rule === authRules.userDisabled;

/** Builds an error body with the standard bilingual message (`message` may add a detail). */
export const errorBody = (code: HubErrorCode, details?: ErrorBody['error']['details'], detailText?: string): ErrorBody => ({
  error: {
    code,
    message: detailText ? `${hubErrors[code].en} (${detailText})` : hubErrors[code].en,
    messageZh: hubErrors[code].zh,
    ...(details ? { details } : {}),
  },
});
