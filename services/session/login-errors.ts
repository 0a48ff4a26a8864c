/**
 * Why a sign-in did not work, in words a nurse can act on: the catalogue's `login.*` (core/errors).
 * The hub's own bilingual message is kept where it says more than a code could (wrong password,
 * account disabled, workstation revoked all arrive as auth-invalid with different messages,
 * sync/hub/errors.ts).
 */
import { CodedError, type ErrorCodeOf } from '../../core/errors/index.ts';

export type LoginErrorCode = ErrorCodeOf<'login'>;

export class LoginError extends CodedError<`login.${LoginErrorCode}`> {
  override readonly name = 'LoginError';
  declare readonly code: LoginErrorCode;
  constructor(
    code: LoginErrorCode,
    /** The hub's own message, when it sent one that says more (account disabled, workstation revoked…). */
    hubMessage?: { zh: string; en: string },
    options?: { cause?: unknown },
  ) {
    super(`login.${code}`, {}, { cause: options?.cause, text: hubMessage });
  }
}
