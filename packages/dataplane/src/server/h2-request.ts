import { Http2ServerRequest } from 'node:http2';

/**
 * An HTTP/2 request as the pipeline expects every request to look (DESIGN.md section 7: one
 * request abstraction): Node's `Http2ServerRequest` whose `rawHeaders` is the HTTP/1.1-shaped
 * list the proxy reads for routing and for the upstream request, since the upstream side stays
 * HTTP/1.1. `h1RawHeaders` says how it is made; `url`, `method`, `headers`, the body stream,
 * `complete` and `socket.remoteAddress` already behave like HTTP/1.1's.
 *
 * Listeners that speak h2 pass this class as `Http2ServerRequest`. `rawHeaders` is an accessor
 * in Node's class, so it is replaced on the prototype (a class accessor cannot override a field
 * TypeScript declared).
 */
export class H2Request extends Http2ServerRequest {}

const nodeRawHeaders = Object.getOwnPropertyDescriptor(Http2ServerRequest.prototype, 'rawHeaders')?.get as
  | ((this: Http2ServerRequest) => string[])
  | undefined;
if (nodeRawHeaders === undefined) throw new Error('node:http2 Http2ServerRequest has no rawHeaders accessor');

/** Memo of the converted list, per request. */
const converted = Symbol('weir.h1RawHeaders');

Object.defineProperty(H2Request.prototype, 'rawHeaders', {
  configurable: true,
  enumerable: false,
  get(this: H2Request & { [converted]?: string[] }): string[] {
    let raw = this[converted];
    if (raw === undefined) {
      raw = h1RawHeaders((nodeRawHeaders as (this: Http2ServerRequest) => string[]).call(this), this.stream.endAfterHeaders);
      this[converted] = raw;
    }
    return raw;
  },
});

/**
 * Converts an HTTP/2 header list (pseudo-header fields first, names lower case) into the
 * HTTP/1.1 field list the same request would have had (RFC 9113 section 8.3.1):
 *
 * - pseudo-header fields (`:method`, `:scheme`, `:path`, `:authority`) are dropped;
 * - `:authority` becomes `host`, first in the list, unless the client sent `host` itself;
 * - several `cookie` fields (HTTP/2 lets a client split them, RFC 9113 section 8.2.3) become
 *   one, joined with `; `, where the first one was;
 * - a request whose body length is unknown (no `content-length`, and the HEADERS frame did not
 *   end the stream) gets `transfer-encoding: chunked`, which is how HTTP/1.1 says a body of
 *   unknown length follows; the proxy drops the field as hop-by-hop and undici re-frames.
 */
export function h1RawHeaders(raw: readonly string[], endAfterHeaders: boolean): string[] {
  const out: string[] = [];
  let authority: string | null = null;
  let hasHost = false;
  let hasLength = false;
  let cookieAt = -1;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    if (name.charCodeAt(0) === 0x3a /* : */) {
      if (name === ':authority') authority = value;
      continue;
    }
    if (name === 'cookie') {
      if (cookieAt === -1) {
        cookieAt = out.length + 1;
        out.push(name, value);
      } else {
        out[cookieAt] = `${out[cookieAt] as string}; ${value}`;
      }
      continue;
    }
    if (name === 'host') hasHost = true;
    else if (name === 'content-length') hasLength = true;
    out.push(name, value);
  }
  if (!hasHost && authority !== null) out.unshift('host', authority);
  if (!endAfterHeaders && !hasLength) out.push('transfer-encoding', 'chunked');
  return out;
}
