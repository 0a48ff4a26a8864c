/**
 * Error bodies of every hub endpoint: `{ error: { code, key?, params?, message, messageZh, details? } }`
 * — the project's one serialised error (core/errors) plus `details` — with the HTTP status given here. Messages are for people (the sync-status panel shows them); `details`
 * never contains patient data — validation issues name fields and rules, not values.
 */
import { z } from 'zod';
import { errorText, serializedErrorSchema, type ErrorCodeOf, type ErrorKey } from '../../core/errors/index.ts';

/** The HTTP status of each code; the words are the catalogue's `hub.*` (core/errors/locales). */
const hubErrorStatus = {
  'bad-request': 400,
  'validation-failed': 400,
  'unknown-collection': 404,
  'auth-missing': 401,
  'auth-invalid': 401,
  'auth-expired': 401,
  forbidden: 403,
  'not-found': 404,
  'blob-offset-mismatch': 409,
  'blob-incomplete': 409,
  'blob-hash-mismatch': 422,
  'ecg-study-claimed': 409,
  'ecg-study-reported': 409,
  'payload-too-large': 413,
  'rate-limited': 429,
  internal: 500,
  unavailable: 503,
} as const satisfies Partial<Record<ErrorCodeOf<'hub'>, number>>;

/** Each code with its status and its standard words in both languages. */
export const hubErrors = Object.fromEntries(
  Object.entries(hubErrorStatus).map(([code, status]) => [code, { status, zh: errorText(`hub.${code}` as ErrorKey, {}, 'zh-CN'), en: errorText(`hub.${code}` as ErrorKey, {}, 'en') }]),
) as { readonly [C in keyof typeof hubErrorStatus]: { readonly status: (typeof hubErrorStatus)[C]; readonly zh: string; readonly en: string } };

export type HubErrorCode = keyof typeof hubErrorStatus;
export const hubErrorCodes = Object.keys(hubErrorStatus) as [HubErrorCode, ...HubErrorCode[]];

export const errorIssueSchema = z.object({ path: z.string(), message: z.string(), messageZh: z.string() });

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(hubErrorCodes),
    /** The catalogue key of the words (core/errors), e.g. 'hub.workstation-revoked'; absent from older hubs. */
    key: z.string().max(128).optional(),
    params: serializedErrorSchema.shape.params,
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
    key: `hub.${code}`,
    message: detailText ? `${hubErrors[code].en} (${detailText})` : hubErrors[code].en,
    messageZh: hubErrors[code].zh,
    ...(details ? { details } : {}),
  },
});
