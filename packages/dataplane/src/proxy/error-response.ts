import { catalogue, errorBodyBuffer, type ErrorCode } from '@weir/errors';
import type { ClientResponse } from './proxy-response';

/** A proxy-made error response, built once per code. */
interface PrebuiltError {
  readonly status: number;
  readonly headers: readonly string[];
  readonly body: Buffer;
}

const prebuilt = new Map<ErrorCode, PrebuiltError>();

/**
 * The prebuilt status, headers and body for `code`: `content-type: application/json`, the
 * catalogue body (`{"error":{"code","status","message"}}`, see `@weir/errors`), and
 * `x-weir-error: <code>`, which lets operators and clients tell a proxy-made 502 from one the
 * upstream sent without parsing the body (Envoy's `x-envoy-*` response flags serve the same
 * purpose). Bodies never echo request data.
 */
export function prebuiltError(code: ErrorCode): PrebuiltError {
  let entry = prebuilt.get(code);
  if (entry === undefined) {
    const body = errorBodyBuffer(code);
    entry = {
      status: catalogue[code].status,
      headers: ['content-type', 'application/json', 'content-length', String(body.length), 'x-weir-error', code],
      body,
    };
    prebuilt.set(code, entry);
  }
  return entry;
}

/**
 * Answers `res` with the error for `code` and returns the status sent; `extra` headers (flat
 * list: `WWW-Authenticate`, `Retry-After`, a plugin's CORS or request-id headers) are added.
 * The caller checks that no response has started (`res.headersSent`).
 */
export function sendError(res: ClientResponse, code: ErrorCode, extra: readonly string[] | null = null): number {
  const e = prebuiltError(code);
  res.writeHead(e.status, (extra === null || extra.length === 0 ? e.headers : e.headers.concat(extra)) as string[]);
  res.end(e.body);
  return e.status;
}
