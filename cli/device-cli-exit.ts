/**
 * What `npm run device` and `npm run sim` share when they end: exit code 0 on success; 2 and the
 * usage after a command line that is wrong (a UsageError, or one node's parseArgs refused); 1 and
 * one line in Chinese and English for any other failure (a DeviceError says its code and detail).
 */
import { CodedError, isCodedError, type CodedErrorArgs, type ErrorCodeOf } from '../core/errors/index.ts';

type UsageErrorCode = ErrorCodeOf<'deviceCli'>;

/** The command line is wrong; the words are the catalogue's `deviceCli.*`. */
export class UsageError<C extends UsageErrorCode = UsageErrorCode> extends CodedError<`deviceCli.${C}`> {
  override readonly name = 'UsageError';
  constructor(code: C, ...[params]: CodedErrorArgs<`deviceCli.${C}`>) {
    super(`deviceCli.${code}`, ...([params] as CodedErrorArgs<`deviceCli.${C}`>));
  }
}

/**
 * One line for a terminal: what went wrong in Chinese and English, with the code and detail for
 * support. The project's errors never carry patient data in their detail, so this line is safe to log.
 */
export function oneLineError(error: unknown): string {
  if (isCodedError(error)) {
    return `错误：${error.messageZh} | Error: ${error.messageEn}${error.detail ? ` [${error.code}: ${error.detail}]` : ` [${error.code}]`}`;
  }
  const text = error instanceof Error ? error.message : String(error);
  return `错误：${text} | Error: ${text}`;
}

/** node:util parseArgs throws TypeErrors with an ERR_PARSE_ARGS_* code (unknown option, missing value). */
const isParseArgsError = (error: unknown): error is Error => error instanceof Error && !!(error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');

/** The usage error behind a failure, if the command line was what was wrong. */
function usageErrorOf(error: unknown): UsageError | undefined {
  if (error instanceof UsageError) return error;
  if (isParseArgsError(error)) return new UsageError('bad-arguments', { detail: error.message });
  return undefined;
}

/** Waits for the command and exits the process with its outcome (see the top of this file). */
export function exitWhenDone(command: Promise<void>, usage: string): void {
  command.then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      const wrongUsage = usageErrorOf(error);
      if (wrongUsage) {
        process.stderr.write(`错误：命令参数有误：${wrongUsage.messageZh} | Error: ${wrongUsage.messageEn}\n${usage}\n`);
        process.exit(2);
      }
      process.stderr.write(`${oneLineError(error)}\n`);
      process.exit(1);
    },
  );
}
