import { isAdminCallError } from './admin-call-error';
import { CliError } from './cli-error';
import { ExitCode, exitCodeForError } from './exit-codes';
import type { Output, ReportedError } from './output';

/** A hint for the common failures, so an operator knows what to check. */
function hintFor(status: number | undefined, kind: string): string | undefined {
  if (kind === 'unreachable') return 'is weir running there? set the address with --url or WEIR_ADMIN_URL';
  if (status === 401) return 'check the token: --token, --token-file, WEIR_TOKEN or WEIR_TOKEN_FILE';
  if (status === 403) return 'the token lacks the scope this call needs (read, write, rollout or admin)';
  return undefined;
}

/**
 * Print any failure a command threw and return its exit code: an {@link AdminCallError} maps
 * through exit-codes.ts, a {@link CliError} carries its own, and anything else is a bug (exit 8,
 * reported rather than thrown so the process still ends with a documented code).
 */
export function reportFailure(out: Output, err: unknown): ExitCode {
  if (isAdminCallError(err)) {
    const code = err.code ?? (err.status === undefined ? 'WEIRCTL_ERR_UNEXPECTED_ANSWER' : `HTTP_${err.status}`);
    const report: ReportedError = {
      code,
      message: err.message,
      ...(err.status === undefined ? {} : { status: err.status }),
      ...(err.details === undefined ? {} : { details: err.details }),
    };
    const hint = hintFor(err.status, err.kind);
    out.error(hint === undefined ? report : { ...report, hint });
    return exitCodeForError(err);
  }
  if (err instanceof CliError) {
    out.error(err.exitCode === ExitCode.USAGE && err.code === 'WEIRCTL_ERR_USAGE' ? { code: err.code, message: err.message, hint: 'run "weirctl help" for usage' } : { code: err.code, message: err.message });
    return err.exitCode;
  }
  out.error({ code: 'WEIRCTL_ERR_INTERNAL', message: err instanceof Error ? err.message : String(err) });
  return ExitCode.FAILURE;
}
