import { ExitCode } from './exit-codes';

/**
 * weirctl's own error codes, for failures that are not an error answer of the admin API, with
 * the exit code each ends with. The catalogue apps/weir/docs/weirctl.md documents (a test checks
 * both agree).
 */
export const CLI_ERROR_CODES = {
  /** Unknown command or flag, missing or malformed value, missing connection setting. */
  WEIRCTL_ERR_USAGE: ExitCode.USAGE,
  /** A file named on the command line (config, token file) cannot be read, or a token file is empty. */
  WEIRCTL_ERR_FILE: ExitCode.USAGE,
  /** Nothing answered at the admin URL (AdminCallError kind `unreachable`). */
  WEIRCTL_ERR_UNREACHABLE: ExitCode.UNREACHABLE,
  /** One HTTP request got no answer in time (AdminCallError kind `timeout`). */
  WEIRCTL_ERR_TIMEOUT: ExitCode.TIMED_OUT,
  /** The `--timeout` of a wait ran out before the rollout ended. */
  WEIRCTL_ERR_WAIT_TIMEOUT: ExitCode.TIMED_OUT,
  /** `rollout ... [ID]` without an ID, and the daemon has no (current) rollout. */
  WEIRCTL_ERR_NO_ROLLOUT: ExitCode.FAILURE,
  /** The API answered something that is not the documented shape (or a rollout in an unknown state). */
  WEIRCTL_ERR_UNEXPECTED_ANSWER: ExitCode.FAILURE,
  /** A bug in weirctl: anything thrown that is not one of the above. */
  WEIRCTL_ERR_INTERNAL: ExitCode.FAILURE,
} as const;

/**
 * The code of a {@link CliError}: one of weirctl's own, `WEIR_ERR_CONFIG_PARSE` for a config
 * file that is not JSON, checked before it is wrapped in a rollout request (worded as the daemon
 * words it), or `WEIR_ERR_BUNDLE_KEY_INVALID` for a bundle key file or trust setting (`--pub`,
 * `--key`, `--threshold`) that `@weir/bundle` refuses (exit 2).
 */
export type CliErrorCode = keyof typeof CLI_ERROR_CODES | 'WEIR_ERR_CONFIG_PARSE' | 'WEIR_ERR_BUNDLE_KEY_INVALID';

/**
 * A failure of weirctl itself, with the exit code it ends the process with. Commands throw it;
 * main.ts prints it (human or `--json`) and exits with `exitCode`.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: CliErrorCode;
  readonly exitCode: ExitCode;

  constructor(code: CliErrorCode, exitCode: ExitCode, message: string) {
    super(message);
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** A usage error (exit 2). */
export function usageError(message: string): CliError {
  return new CliError('WEIRCTL_ERR_USAGE', ExitCode.USAGE, message);
}
