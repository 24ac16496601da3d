/**
 * Hop-by-hop header handling shared by both directions (RFC 9110 section 7.6.1).
 *
 * A proxy removes the fields that describe one connection before forwarding a message:
 * `Connection` itself, every field it names, and the fields that are hop-by-hop by definition:
 * `Keep-Alive`, `Proxy-Connection` (non-standard, still sent by old clients), `TE`, `Trailer`,
 * `Transfer-Encoding` and `Upgrade` (RFC 9110 sections 7.6.1, 7.8, 10.1.4; RFC 9112 section 6.1).
 *
 * `TE: trailers` is dropped like any other `TE`: it announces what the client accepts on *this*
 * connection. Trailers an upstream sends anyway are relayed (`ProxyExchange.onResponseEnd`): to
 * HTTP/2 clients as a trailing HEADERS frame, to HTTP/1.1 clients after the last chunk of a
 * chunked response. HTTP/2 upstreams (gRPC, which needs `TE: trailers` end to end) are not
 * supported yet.
 *
 * Names are compared case-insensitively without allocating: a length check first (most names
 * differ in length from every hop-by-hop name), then a byte loop that folds ASCII upper case.
 */

/**
 * Header kinds returned by the classifiers: plain numbers rather than a `const enum`, which
 * `isolatedModules` transpilation (ts-jest) would not inline across files.
 */
export type HeaderKind = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;
/** Forward unchanged. */
export const KEEP = 0;
/** Hop-by-hop or replaced by the proxy: do not forward. */
export const DROP = 1;
/** `Connection`: drop, and drop every field it names. */
export const CONNECTION = 2;
/** `Via`: the proxy appends its own entry. */
export const VIA = 3;
/** `X-Forwarded-For`: the proxy appends the client address. */
export const FORWARDED_FOR = 4;
/** `Host`: forwarded as sent; its value also becomes `X-Forwarded-Host`. */
export const HOST = 5;
/** `Content-Length`: forwarded; never removed by a `Connection` token. */
export const CONTENT_LENGTH = 6;
/** `Transfer-Encoding` on a request: dropped (undici re-frames), but it means a body follows. */
export const TRANSFER_ENCODING = 7;
/** `traceparent` / `tracestate`: replaced by Weir's when it propagates trace context (issue 18). */
export const TRACE_CONTEXT = 8;

/** True when `name` equals `lower` (an all-lower-case ASCII literal) ignoring ASCII case. */
export function equalsLower(name: string, lower: string): boolean {
  const n = lower.length;
  if (name.length !== n) return false;
  for (let i = 0; i < n; i++) {
    let c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Classifies a request header name as the client sent it (any case).
 *
 * Besides the hop-by-hop set this drops:
 * - `Expect`: Node's server already answered `100-continue` before the request reached us, and
 *   undici refuses to send `Expect` (it does not implement the 100-continue wait);
 * - `X-Forwarded-Proto` and `X-Forwarded-Host`: the proxy sets them, a client must not spoof them.
 */
export function requestHeaderKind(name: string): HeaderKind {
  switch (name.length) {
    case 2:
      return equalsLower(name, 'te') ? DROP : KEEP;
    case 3:
      return equalsLower(name, 'via') ? VIA : KEEP;
    case 4:
      return equalsLower(name, 'host') ? HOST : KEEP;
    case 6:
      return equalsLower(name, 'expect') ? DROP : KEEP;
    case 7:
      return equalsLower(name, 'upgrade') || equalsLower(name, 'trailer') ? DROP : KEEP;
    case 10:
      if (equalsLower(name, 'connection')) return CONNECTION;
      if (equalsLower(name, 'tracestate')) return TRACE_CONTEXT;
      return equalsLower(name, 'keep-alive') ? DROP : KEEP;
    case 11:
      return equalsLower(name, 'traceparent') ? TRACE_CONTEXT : KEEP;
    case 14:
      return equalsLower(name, 'content-length') ? CONTENT_LENGTH : KEEP;
    case 15:
      return equalsLower(name, 'x-forwarded-for') ? FORWARDED_FOR : KEEP;
    case 16:
      return equalsLower(name, 'proxy-connection') || equalsLower(name, 'x-forwarded-host')
        ? DROP
        : KEEP;
    case 17:
      if (equalsLower(name, 'transfer-encoding')) return TRANSFER_ENCODING;
      return equalsLower(name, 'x-forwarded-proto') ? DROP : KEEP;
    default:
      return KEEP;
  }
}

/**
 * Classifies a response header name. undici hands response names over lower-cased, so plain
 * comparisons suffice.
 */
export function responseHeaderKind(name: string): HeaderKind {
  switch (name.length) {
    case 2:
      return name === 'te' ? DROP : KEEP;
    case 3:
      return name === 'via' ? VIA : KEEP;
    case 7:
      return name === 'upgrade' || name === 'trailer' ? DROP : KEEP;
    case 10:
      if (name === 'connection') return CONNECTION;
      return name === 'keep-alive' ? DROP : KEEP;
    case 14:
      return name === 'content-length' ? CONTENT_LENGTH : KEEP;
    case 16:
      return name === 'proxy-connection' ? DROP : KEEP;
    case 17:
      return name === 'transfer-encoding' ? DROP : KEEP;
    default:
      return KEEP;
  }
}

/**
 * Adds the options of one `Connection` value to `into` (lower-cased, trimmed), skipping `close`
 * and `keep-alive` (the field itself is dropped anyway) and the names that may never be removed
 * this way. Returns `into`, or a new array when `into` is null and an option was found.
 *
 * The common values (`keep-alive`, `close`) return without splitting. `Host` and
 * `Content-Length` are never removed by name: dropping either would change how the message is
 * routed or framed (a request-smuggling lever), so Weir, like nginx, ignores such tokens.
 */
export function connectionOptions(value: string, into: string[] | null): string[] | null {
  if (equalsLower(value, 'keep-alive') || equalsLower(value, 'close')) return into;
  const parts = value.split(',');
  for (let i = 0; i < parts.length; i++) {
    const token = (parts[i] as string).trim().toLowerCase();
    if (token.length === 0 || token === 'close' || token === 'keep-alive') continue;
    if (token === 'host' || token === 'content-length') continue;
    if (into === null) into = [];
    into.push(token);
  }
  return into;
}

/**
 * Removes from a flat `[name, value, ...]` array every field whose lower-cased name is in
 * `names`. Only runs when a `Connection` header named extra options, which is rare.
 */
export function removeNamed(headers: string[], names: readonly string[]): void {
  let w = 0;
  for (let r = 0; r < headers.length; r += 2) {
    const name = headers[r] as string;
    if (names.includes(name.toLowerCase())) continue;
    headers[w] = name;
    headers[w + 1] = headers[r + 1] as string;
    w += 2;
  }
  headers.length = w;
}
