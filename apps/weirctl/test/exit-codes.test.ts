import { AdminCallError } from '../src/admin-call-error';
import { ExitCode, exitCodeForBundleRejection, exitCodeForError, exitCodeForStatus } from '../src/exit-codes';

describe('exit codes', () => {
  it('keeps the documented numbers', () => {
    expect(ExitCode).toEqual({
      OK: 0,
      INVALID_CONFIG: 1,
      USAGE: 2,
      ROLLOUT_ABORTED: 3,
      CONFLICT: 4,
      UNAUTHORIZED: 5,
      UNREACHABLE: 6,
      TIMED_OUT: 7,
      FAILURE: 8,
      BUNDLE_REJECTED: 9,
    });
  });

  it.each([
    [400, 'WEIR_ERR_CONFIG_INVALID', 1],
    [400, 'WEIR_ERR_CONFIG_PARSE', 1],
    [400, 'WEIR_ERR_ROLLOUT_UNSUPPORTED', 1],
    [400, 'WEIR_ERR_BAD_REQUEST', 8],
    [409, 'WEIR_ERR_ROLLOUT_CONFLICT', 4],
    [409, undefined, 4],
    [412, 'WEIR_ERR_ADMIN_PRECONDITION_FAILED', 4],
    [401, 'WEIR_ERR_ADMIN_UNAUTHORIZED', 5],
    [403, 'WEIR_ERR_ADMIN_FORBIDDEN', 5],
    [429, 'WEIR_ERR_ADMIN_RATE_LIMITED', 5],
    [404, 'WEIR_ERR_ADMIN_VERSION_NOT_FOUND', 8],
    [404, 'WEIR_ERR_ADMIN_NOT_FOUND', 8],
    [413, 'WEIR_ERR_ADMIN_PAYLOAD_TOO_LARGE', 8],
    [422, 'WEIR_ERR_APPLY_REJECTED', 8],
    [500, 'WEIR_ERR_INTERNAL', 8],
    [503, 'WEIR_ERR_NO_WORKERS', 8],
    [504, 'WEIR_ERR_APPLY_TIMEOUT', 8],
    [200, 'WEIRCTL_ERR_UNEXPECTED_ANSWER', 8],
  ])('maps HTTP %i %s to %i', (status, code, exit) => {
    expect(exitCodeForStatus(status, code)).toBe(exit);
    expect(exitCodeForError(new AdminCallError({ kind: 'http', status, ...(code === undefined ? {} : { code }), message: 'x' }))).toBe(exit);
  });

  it('maps transport failures: unreachable 6, timeout 7', () => {
    expect(exitCodeForError(new AdminCallError({ kind: 'unreachable', message: 'x' }))).toBe(6);
    expect(exitCodeForError(new AdminCallError({ kind: 'timeout', message: 'x' }))).toBe(7);
  });

  it('maps bundle rejections: an invalid config 1, every other reason 9', () => {
    expect(exitCodeForBundleRejection('WEIR_ERR_BUNDLE_CONFIG_INVALID')).toBe(1);
    for (const code of ['MALFORMED', 'TAMPERED', 'UNKNOWN_KEY', 'BAD_SIGNATURE', 'THRESHOLD', 'EXPIRED', 'REVISION']) {
      expect(exitCodeForBundleRejection(`WEIR_ERR_BUNDLE_${code}`)).toBe(9);
    }
  });
});
