import {
  CONNECTION,
  CONTENT_LENGTH,
  FORWARDED_FOR,
  HOST,
  KEEP,
  TRACE_CONTEXT,
  TRANSFER_ENCODING,
  VIA,
  connectionOptions,
  removeNamed,
  requestHeaderKind,
} from './hop-by-hop';

/** Bit set in `copyRequestHeaders`' result when the request has a body to stream. */
export const REQUEST_HAS_BODY = 1;

/** The `Via` entry Weir adds in both directions (RFC 9110 section 7.6.3: protocol + pseudonym). */
export const VIA_ENTRY = '1.1 weir';

/** The `Via` entry for a request received over HTTP/2 (its received-protocol is `2`). */
export const VIA_ENTRY_H2 = '2 weir';

/**
 * Builds the upstream request's header list from Node's `req.rawHeaders` into `out` (a flat
 * `[name, value, ...]` array, the form undici's `dispatch` takes without re-parsing), in one
 * pass over the raw list:
 *
 * - hop-by-hop fields and every field named by `Connection` are removed (see `hop-by-hop.ts`);
 * - `Host` is kept as sent (or replaced by `hostOverride`, the authority of an absolute-form
 *   request target, RFC 9112 section 3.2.2);
 * - `X-Forwarded-For`: the client address is appended to the values received, joined with
 *   `, ` (nginx's `$proxy_add_x_forwarded_for`); with no client address the received value
 *   passes unchanged;
 * - `X-Forwarded-Proto: <proto>` (`http`, or `https` on TLS listeners) and
 *   `X-Forwarded-Host: <Host>` are set, replacing any sent by the client (they describe this
 *   hop's listener; a client must not choose them);
 * - `Via`: `viaEntry` (`1.1 weir`, or `2 weir` for a request received over HTTP/2) is appended
 *   to the received values (RFC 9110 section 7.6.3).
 *
 * - `traceparent` / `tracestate` are dropped when `traceContext` is set: the caller appends
 *   Weir's own (issue 18); otherwise they pass unchanged.
 *
 * Names keep the client's spelling; values are passed through untouched (Node already parsed
 * them). Returns `REQUEST_HAS_BODY` when a body follows (`Transfer-Encoding`, or a non-zero
 * `Content-Length`, RFC 9112 section 6.3), so the caller can dispatch GETs without a body stream.
 */
export function copyRequestHeaders(
  raw: readonly string[],
  out: string[],
  clientAddress: string | undefined,
  hostOverride: string | null,
  proto = 'http',
  viaEntry = VIA_ENTRY,
  traceContext = false,
): number {
  let flags = 0;
  let host: string | null = hostOverride;
  let forwardedFor: string | null = null;
  let via: string | null = null;
  let named: string[] | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const kind = requestHeaderKind(name);
    if (kind === KEEP) {
      out.push(name, value);
    } else if (kind === HOST) {
      if (hostOverride === null) {
        if (host === null) host = value;
        out.push(name, value);
      }
    } else if (kind === CONTENT_LENGTH) {
      if (value !== '0') flags |= REQUEST_HAS_BODY;
      out.push(name, value);
    } else if (kind === TRANSFER_ENCODING) {
      flags |= REQUEST_HAS_BODY;
    } else if (kind === FORWARDED_FOR) {
      forwardedFor = forwardedFor === null ? value : `${forwardedFor}, ${value}`;
    } else if (kind === VIA) {
      via = via === null ? value : `${via}, ${value}`;
    } else if (kind === CONNECTION) {
      named = connectionOptions(value, named);
    } else if (kind === TRACE_CONTEXT) {
      if (!traceContext) out.push(name, value);
    }
  }
  if (named !== null) {
    removeNamed(out, named);
    if (named.includes('x-forwarded-for')) forwardedFor = null;
    if (named.includes('via')) via = null;
  }
  if (hostOverride !== null) out.push('host', hostOverride);
  if (clientAddress !== undefined) {
    out.push('x-forwarded-for', forwardedFor === null ? clientAddress : `${forwardedFor}, ${clientAddress}`);
  } else if (forwardedFor !== null) {
    out.push('x-forwarded-for', forwardedFor);
  }
  out.push('x-forwarded-proto', proto);
  if (host !== null) out.push('x-forwarded-host', host);
  out.push('via', via === null ? viaEntry : `${via}, ${viaEntry}`);
  return flags;
}
