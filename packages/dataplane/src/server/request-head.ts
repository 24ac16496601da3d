import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { catalogue, errorBodyBuffer, type ErrorCode } from '@weir/errors';
import { absoluteTargetError } from './absolute-target';
import { isValidHost } from './host-syntax';

/**
 * Checks of a parsed request head that Node's parser does not make, run on every request before
 * the readiness path and routing. Requests that fail are answered here and never forwarded.
 * What llhttp (strict, as Node 20 runs it) refuses itself and what is left to this function was
 * found with raw sockets: see the corpus in apps/weir/test/fixtures/malformed-corpus.ts and the
 * table in apps/weir/docs/errors.md.
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
 * Header count: Node stops collecting the raw header list once it holds 2000 entries (1000 field
 * lines; it collects in batches of up to 32 lines, so 1023 were kept in a measured 2102-line
 * request) and silently drops the rest,
 * while llhttp still frames the body by the dropped ones: a `Transfer-Encoding` or second `Host`
 * past line 1000 would be invisible to every check here. A request with 1000 field lines or more
 * is refused with 431 WEIR_ERR_HEADERS_TOO_LARGE (Envoy's default limit is 100).
 *
 * Host (RFC 9112 section 3.2): an HTTP/1.1 request needs exactly one `Host` field line, and no
 * request may have more than one (Weir routes on the first; an upstream reading the last would
 * serve another host). An HTTP/1.0 request may omit `Host` (it then matches only routes without
 * hosts). Node's own check (`requireHostHeader`) is turned off in `serverOptions`: it answers a
 * bare 400 without the documented body and misses duplicates. The value must be a valid
 * `host[:port]` (`isValidHost`; llhttp accepts `Host: a/b`, `u@a`, `a b`).
 *
 * Transfer-Encoding (RFC 9112 sections 6.1 and 6.3): llhttp refuses a request whose codings do
 * not end in `chunked` and `chunked` twice, but lets `gzip, chunked`, `identity, chunked`, an
 * empty value, `gzip` and `chunked` on two lines, and any coding on HTTP/1.0 through. Weir
 * decodes only `chunked` and re-frames the body upstream (the field is hop-by-hop), so any other
 * coding would reach the upstream undeclared; HTTP/1.0 has no chunked framing, and RFC 9112
 * section 6.1 calls such framing faulty. The only accepted value is one `Transfer-Encoding`
 * line saying `chunked` (any case) on HTTP/1.1, as nginx does (it answers 501 for an unknown
 * coding, which RFC 9112 section 6.1 suggests; Weir has no such code and answers 400).
 * Content-Length is left to llhttp: it refuses every bad, repeated or listed value and any
 * `Content-Length` with `Transfer-Encoding`.
 *
 * Target: a `#` (a fragment is not part of a request target, RFC 9112 section 3.2; an upstream
 * that strips it would see another path than the router did), and the checks of a target not in
 * origin form (`absoluteTargetError`: `*` only with OPTIONS, an absolute URI's scheme, authority
 * syntax and agreement with `Host`).
 *
 * Cost on a well-formed request (bench/request-head.bench.js, one run on a 2-vCPU VM): about
 * 61 ns for a browser-like head of ten fields, 47 ns for a two-field wrk-like one and 58 ns for a
 * chunked upload, against 18 ns for the checks before issue 9; nothing allocated. The passes:
 * one integer comparison for the version and one for the header count; one pass over the raw
 * header names that compares lengths first (only 4- and 17-character names are looked at
 * further); a table-driven pass over the `Host` value, most of the added cost at about 2 ns a
 * byte (the router walks the same value again in `normaliseHost`: folding this check into that
 * walk would save it); and a `#` search in the target (about 8 ns for 40 bytes).
 */
export function requestHeadError(req: IncomingMessage): ErrorCode | null {
  const major = req.httpVersionMajor;
  if (major !== 1) return major === 0 ? 'WEIR_ERR_BAD_REQUEST' : 'WEIR_ERR_HTTP_VERSION_NOT_SUPPORTED';
  const raw = req.rawHeaders;
  if (raw.length >= MAX_RAW_HEADERS) return 'WEIR_ERR_HEADERS_TOO_LARGE';
  let host = -1;
  let coding = -1;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const n = name.length;
    if (n === 4) {
      if (isHost(name)) {
        if (host !== -1) return 'WEIR_ERR_BAD_REQUEST';
        host = i + 1;
      }
    } else if (n === 17 && isTransferEncoding(name)) {
      // A second line is refused whatever it says: the codings are then never just `chunked`.
      if (coding !== -1) return 'WEIR_ERR_BAD_REQUEST';
      coding = i + 1;
    }
  }
  const minor = req.httpVersionMinor;
  if (coding !== -1 && (minor === 0 || !isChunked(raw[coding] as string))) return 'WEIR_ERR_BAD_REQUEST';
  const hostValue = host === -1 ? undefined : (raw[host] as string);
  if (hostValue === undefined) {
    if (minor !== 0) return 'WEIR_ERR_BAD_REQUEST';
  } else if (!isValidHost(hostValue)) {
    return 'WEIR_ERR_BAD_REQUEST';
  }
  const url = req.url as string;
  if (url.indexOf('#') !== -1) return 'WEIR_ERR_BAD_REQUEST';
  return url.charCodeAt(0) === SLASH ? null : absoluteTargetError(url, req.method, hostValue);
}

/**
 * Node's cap on the raw header list (`maxHeaderPairs`, 2000 entries = 1000 field lines, unless
 * `server.maxHeadersCount` is set, which Weir does not do). A list this long may be truncated.
 */
const MAX_RAW_HEADERS = 2000;

const SLASH = 0x2f;

/** `Host`, any case (`| 0x20` folds exactly the ASCII upper-case letter onto its lower-case one here). */
function isHost(name: string): boolean {
  return (
    (name.charCodeAt(0) | 0x20) === 0x68 &&
    (name.charCodeAt(1) | 0x20) === 0x6f &&
    (name.charCodeAt(2) | 0x20) === 0x73 &&
    (name.charCodeAt(3) | 0x20) === 0x74
  );
}

/**
 * `Transfer-Encoding`, any case, for a 17-character name. The two usual spellings are compared
 * whole (about 3 times faster than the byte loop here); otherwise the first byte rules out the
 * other common names of that length (`If-Modified-Since`, `Sec-WebSocket-Key`) at once. `-`
 * (0x2d) has the 0x20 bit set already, so folding leaves it alone.
 */
function isTransferEncoding(name: string): boolean {
  if (name === 'Transfer-Encoding' || name === 'transfer-encoding') return true;
  if ((name.charCodeAt(0) | 0x20) !== 0x74) return false;
  for (let i = 1; i < 17; i++) {
    if ((name.charCodeAt(i) | 0x20) !== TRANSFER_ENCODING.charCodeAt(i)) return false;
  }
  return true;
}

const TRANSFER_ENCODING = 'transfer-encoding';
const CHUNKED = 'chunked';

/** Whether a `Transfer-Encoding` value (OWS already trimmed by llhttp) is `chunked`, any case. */
function isChunked(value: string): boolean {
  if (value === CHUNKED) return true;
  if (value.length !== 7) return false;
  for (let i = 0; i < 7; i++) {
    if ((value.charCodeAt(i) | 0x20) !== CHUNKED.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * The head checks of an HTTP/2 request (its `rawHeaders` already HTTP/1.1-shaped, see
 * `H2Request`): `CONNECT` is not tunnelled (501), and a request needs exactly one host, from
 * `:authority` or `host` (RFC 9113 section 8.3.1; more than one `host` is refused as on
 * HTTP/1.1), with the syntax `isValidHost` demands of an HTTP/1.1 Host. The version needs no check: nghttp2 has already parsed the frames.
 */
export function h2RequestHeadError(req: IncomingMessage): ErrorCode | null {
  if (req.method === 'CONNECT') return 'WEIR_ERR_METHOD_NOT_IMPLEMENTED';
  const raw = req.rawHeaders;
  if (hostCount(raw) !== 1) return 'WEIR_ERR_BAD_REQUEST';
  // The same syntax as an HTTP/1.1 Host: nghttp2 checks `:authority` only loosely.
  const host = firstHost(raw);
  return host !== undefined && isValidHost(host) ? null : 'WEIR_ERR_BAD_REQUEST';
}

/** The first `host` value of an HTTP/2 request's converted (lower-case) field list. */
function firstHost(raw: readonly string[]): string | undefined {
  for (let i = 0; i < raw.length; i += 2) if (raw[i] === 'host') return raw[i + 1];
  return undefined;
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
    if (name.length === 4 && isHost(name) && ++count === 2) return 2;
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
