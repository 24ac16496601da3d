import type { AdminCallError } from './admin-call-error';

/**
 * weirctl's exit codes: the contract CI scripts branch on (apps/weir/docs/weirctl.md lists the
 * same table; the usage text too). They never change meaning; a new outcome gets a new number.
 */
export const ExitCode = {
  /** Valid, applied, unchanged, promoted, action accepted. */
  OK: 0,
  /** Invalid config: 400 WEIR_ERR_CONFIG_INVALID / _PARSE / WEIR_ERR_ROLLOUT_UNSUPPORTED, or offline validation. */
  INVALID_CONFIG: 1,
  /** Usage error (unknown command or flag, bad value) or an unreadable file. */
  USAGE: 2,
  /** The rollout followed by `rollout start --wait` / `rollout wait` ended aborted. */
  ROLLOUT_ABORTED: 3,
  /** Conflict: any 409, or 412 (If-Match does not name the running version). */
  CONFLICT: 4,
  /** 401, 403, or 429 (failed authentications throttled). */
  UNAUTHORIZED: 5,
  /** No answer: connection refused, DNS failure, connection reset before an answer. */
  UNREACHABLE: 6,
  /** A wait's `--timeout` ran out, or one HTTP request timed out. */
  TIMED_OUT: 7,
  /** Anything else: 5xx, 422, 404 (unknown rollout or version), an unexpected answer. */
  FAILURE: 8,
  /** `bundle verify` / `bundle inspect`: the bundle is rejected (any WEIR_ERR_BUNDLE_* reason but an invalid config, which is 1). */
  BUNDLE_REJECTED: 9,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Error codes of a 400 that mean "the config is the problem" (exit 1), not "the request is". */
const INVALID_CONFIG_CODES: ReadonlySet<string> = new Set([
  'WEIR_ERR_CONFIG_INVALID',
  'WEIR_ERR_CONFIG_PARSE',
  'WEIR_ERR_ROLLOUT_UNSUPPORTED',
]);

/** The exit code for an HTTP error answer of the admin API (`status` ≥ 300, `code` from its body). */
export function exitCodeForStatus(status: number, code: string | undefined): ExitCode {
  if (status === 400 && code !== undefined && INVALID_CONFIG_CODES.has(code)) return ExitCode.INVALID_CONFIG;
  if (status === 409 || status === 412) return ExitCode.CONFLICT;
  if (status === 401 || status === 403 || status === 429) return ExitCode.UNAUTHORIZED;
  return ExitCode.FAILURE;
}

/** The exit code for a failed admin API call. */
export function exitCodeForError(err: AdminCallError): ExitCode {
  switch (err.kind) {
    case 'unreachable':
      return ExitCode.UNREACHABLE;
    case 'timeout':
      return ExitCode.TIMED_OUT;
    case 'http':
      return exitCodeForStatus(err.status ?? 0, err.code);
  }
}

/**
 * The exit code for a rejected bundle: its config failing validation is an invalid config (1),
 * like `validate`; every other reason (malformed, tampered, unknown key, bad signature, threshold,
 * expired, revision) is 9.
 */
export function exitCodeForBundleRejection(code: string): ExitCode {
  return code === 'WEIR_ERR_BUNDLE_CONFIG_INVALID' ? ExitCode.INVALID_CONFIG : ExitCode.BUNDLE_REJECTED;
}
