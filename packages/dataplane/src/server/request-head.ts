import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { catalogue, errorBodyBuffer, type ErrorCode } from '@weir/errors';

/**
 * Checks of a parsed request head that Node's parser does not make, run on every request before
 * the readiness path and routing. Requests that fail are answered here and never forwarded.
 *
 * Version (RFC 9112 section 2.3, RFC 9110 section 2.5). llhttp hands over only four versions;
 * everything else is a parse error that reaches `clientErrorCode` instead:
 *
 * | request line            | llhttp gives            | answer                                 |
 * |-------------------------|-------------------------|----------------------------------------|
 * | `GET /a HTTP/1.1`, `1.0`| 1.1, 1.0                | served                                 |
 * | `GET /a` (no version)   | 0.9 (HTTP/0.9 request)  | 400 WEIR_ERR_BAD_REQUEST               |
 * | `GET /a HTTP/0.9`       | 0.9 (indistinguishable) | 400 WEIR_ERR_BAD_REQUEST               |
 * | `GET /a HTTP/2.0`       | 2.0                     | 505 WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED |
 *
 * HTTP/0.9 has no version token, no headers and headerless responses, and RFC 9110 leaves it
 * behind. Forwarding it as HTTP/1.1 (as Weir did before, issue 15) turns any bare line into a
 * request; serving it (nginx still does) has leaked internal responses through proxies as
 * unframed bodies (coreruleset/coreruleset#4695). Weir refuses it with 400.
 *
 * Host (RFC 9112 section 3.2): an HTTP/1.1 request needs exactly one `Host` field line, and no
 * request may have more than one (Weir routes on the first; an upstream reading the last would
 * serve another host). An HTTP/1.0 request may omit `Host` (it then matches only routes without
 * hosts). Node's own check (`requireHostHeader`) is turned off in `serverOptions`: it answers a
 * bare 400 without the documented body and misses duplicates.
 *
 * Cost on a well-formed request: one integer comparison for the version and one pass over the
 * raw header names that compares lengths first (only 4-character names are looked at further);
 * about 17 ns for eight headers on the CI machine, nothing allocated. The `Host` value itself is
 * not validated here: a byte-class loop over it measured about 30 ns more, and the router
 * already walks the value (`normaliseHost`), which is where such a check would cost nothing.
 */
export function requestHeadError(req: IncomingMessage): ErrorCode | null {
  const major = req.httpVersionMajor;
  if (major !== 1) return major === 0 ? 'WEIR_ERR_BAD_REQUEST' : 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED';
  const hosts = hostCount(req.rawHeaders);
  if (hosts === 1) return null;
  return hosts === 0 && req.httpVersionMinor === 0 ? null : 'WEIR_ERR_BAD_REQUEST';
}

/**
 * The head checks of an HTTP/2 request (its `rawHeaders` already HTTP/1.1-shaped, see
 * `H2Request`): `CONNECT` is not tunnelled (501), and a request needs exactly one host, from
 * `:authority` or `host` (RFC 9113 section 8.3.1; more than one `host` is refused as on
 * HTTP/1.1). The version needs no check: nghttp2 has already parsed the frames.
 */
export function h2RequestHeadError(req: IncomingMessage): ErrorCode | null {
  if (req.method === 'CONNECT') return 'WEIR_ERR_METHOD_NOT_IMPLEMENTED';
  return hostCount(req.rawHeaders) === 1 ? null : 'WEIR_ERR_BAD_REQUEST';
}

/** A response of either protocol; both accept a flat header list in `writeHead`. */
export type AnyResponse = ServerResponse | Http2ServerResponse;

/**
 * How many `Host` field lines Node's raw header list (name, value, name, value, ...) holds: 0, 1,
 * or 2 for "more than one". Every name is looked at, since a second `Host` may come anywhere.
 */
function hostCount(raw: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    // `| 0x20` folds exactly the ASCII upper-case letter onto its lower-case one here.
    if (
      name.length === 4 &&
      (name.charCodeAt(0) | 0x20) === 0x68 &&
      (name.charCodeAt(1) | 0x20) === 0x6f &&
      (name.charCodeAt(2) | 0x20) === 0x73 &&
      (name.charCodeAt(3) | 0x20) === 0x74 &&
      ++count === 2
    ) {
      return 2;
    }
  }
  return count;
}

/** Header lists of `rejectRequest` answers, built once per code. */
const answers = new Map<ErrorCode, { readonly status: number; readonly headers: string[]; readonly body: Buffer }>();

/**
 * Answers a request that failed `requestHeadError` (or Node's expectation check) with the
 * documented error (JSON body, `x-weir-error`; apps/weir/docs/errors.md) and closes the
 * connection after it: a client that sent a malformed head may not frame the next one right.
 * The request body, if any, is not read.
 */
export function rejectRequest(res: AnyResponse, code: ErrorCode): void {
  let answer = answers.get(code);
  if (answer === undefined) {
    const body = errorBodyBuffer(code);
    answer = {
      status: catalogue[code].status,
      headers: ['content-type', 'application/json', 'content-length', String(body.length), 'x-weir-error', code],
      body,
    };
    answers.set(code, answer);
  }
  (res as ServerResponse).shouldKeepAlive = false;
  (res as ServerResponse).writeHead(answer.status, answer.headers);
  res.end(answer.body);
}
