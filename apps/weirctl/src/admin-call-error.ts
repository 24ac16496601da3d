/** How an admin API call failed. */
export type AdminCallErrorKind =
  /** Nothing answered: connection refused, DNS failure, reset or closed before an answer. */
  | 'unreachable'
  /** The request (or the wait it belonged to) ran out of time. */
  | 'timeout'
  /** The API answered, with an error status or with something that is not the documented shape. */
  | 'http';

/** One problem of an invalid config, as the API lists it (`details[]` of the error body). */
export interface AdminErrorDetail {
  readonly pointer: string;
  readonly message: string;
}

/** Fields of an {@link AdminCallError}. */
export interface AdminCallErrorInit {
  readonly kind: AdminCallErrorKind;
  /** HTTP status, for `http`. */
  readonly status?: number;
  /**
   * The API's `WEIR_ERR_*` code for an error answer, or weirctl's own `WEIRCTL_ERR_*` code
   * (`WEIRCTL_ERR_UNREACHABLE`, `WEIRCTL_ERR_TIMEOUT`, `WEIRCTL_ERR_UNEXPECTED_ANSWER`).
   */
  readonly code?: string;
  readonly message: string;
  readonly details?: readonly AdminErrorDetail[];
  readonly cause?: unknown;
}

/**
 * A failed admin API call, as the one typed value every caller branches on: the transport
 * failure or HTTP status is mapped here once (AdminClient), and to an exit code once
 * (exit-codes.ts). Never carries the bearer token.
 */
export class AdminCallError extends Error {
  override readonly name = 'AdminCallError';
  readonly kind: AdminCallErrorKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly details: readonly AdminErrorDetail[] | undefined;

  constructor(init: AdminCallErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
  }
}

/** True for an AdminCallError. */
export function isAdminCallError(value: unknown): value is AdminCallError {
  return value instanceof AdminCallError;
}

/** Transport error codes that mean "nothing answered". Anything else without an answer counts too. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ETIMEDOUT',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED',
]);

/** The most telling `code` of a transport error (Node wraps happy-eyeballs failures in AggregateError). */
function transportCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: unknown; cause?: unknown } | null;
  if (e === null || typeof e !== 'object') return undefined;
  if (typeof e.code === 'string') return e.code;
  if (Array.isArray(e.errors)) for (const inner of e.errors) if (typeof (inner as { code?: unknown }).code === 'string') return (inner as { code: string }).code;
  return e.cause === undefined ? undefined : transportCode(e.cause);
}

/**
 * Map a failure before any answer to an AdminCallError. Connect timeouts count as unreachable
 * (nothing answered); only weirctl's own request timer makes a `timeout`.
 */
export function transportError(err: unknown, target: string): AdminCallError {
  const code = transportCode(err);
  const reason = err instanceof Error && err.message !== '' ? err.message : (code ?? String(err));
  const known = code !== undefined && UNREACHABLE_CODES.has(code) ? '' : ' (unexpected transport error)';
  return new AdminCallError({ kind: 'unreachable', code: 'WEIRCTL_ERR_UNREACHABLE', message: `cannot reach ${target}: ${reason}${known}`, cause: err });
}

/** The AdminCallError for an error answer: the API's `{"error":{code,message,details}}`, or the status alone. */
export function httpError(status: number, text: string, retryAfter?: string): AdminCallError {
  let code: string | undefined;
  let message = `HTTP ${status}`;
  let details: AdminErrorDetail[] | undefined;
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } }).error;
    if (typeof error?.code === 'string') code = error.code;
    if (typeof error?.message === 'string') message = error.message;
    if (Array.isArray(error?.details)) {
      details = (error.details as { pointer?: unknown; message?: unknown }[]).map((d) => ({ pointer: String(d.pointer ?? ''), message: String(d.message ?? '') }));
    }
  } catch {
    if (text.trim() !== '') message = `HTTP ${status}: ${text.trim().slice(0, 200)}`;
  }
  if (retryAfter !== undefined) message += ` (retry after ${retryAfter} s)`;
  return new AdminCallError({ kind: 'http', status, ...(code === undefined ? {} : { code }), message, ...(details === undefined ? {} : { details }) });
}
