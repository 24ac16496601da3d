import * as http from 'node:http';
import * as https from 'node:https';
import type { JwksTimers } from './jwks-timers';

/** Why a fetch (or the check of its body) failed: the `reason` of a failed fetch. */
export type JwksFailure = 'url' | 'network' | 'timeout' | 'status' | 'too-large' | 'invalid';

/** One conditional GET of a JWKS URL, as {@link fetchJwks} runs it. */
export interface JwksRequest {
  /** `http:` or `https:`. */
  readonly url: URL;
  /** The `ETag` of the last good answer, sent as `If-None-Match`; null for none. */
  readonly etag: string | null;
  /** Deadline of the fetch, headers and body, in ms. */
  readonly timeoutMs: number;
  /** Largest body accepted, in bytes: a larger `content-length` is refused unread, a longer body is cut off. */
  readonly maxBytes: number;
  readonly timers: JwksTimers;
}

/** How one fetch ended. */
export type JwksResponse =
  | { readonly kind: 'fetched'; readonly body: string; readonly etag: string | null }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'failed'; readonly reason: JwksFailure; readonly message: string };

const HEADERS = { accept: 'application/jwk-set+json, application/json;q=0.9', 'user-agent': 'weir' } as const;

/**
 * Runs one `GET` with node:http(s) (the primary never loads undici's dispatcher for this; the
 * bundle puller's download is the model): 200 is the body with its `ETag`, 304 `unchanged`,
 * anything else (redirects included: not followed), a transport error, a body over `maxBytes`
 * or the deadline passing is `failed`. `done` is called exactly once, unless the returned
 * cancel function runs first (then never); cancelling or failing destroys the request at once.
 * No keep-alive: one request per refresh interval does not need a pooled socket.
 */
export function fetchJwks(r: JwksRequest, done: (response: JwksResponse) => void): () => void {
  let settled = false;
  const finish = (response: JwksResponse): void => {
    if (settled) return;
    settled = true;
    r.timers.clearTimeout(timer);
    if (response.kind === 'failed') req.destroy();
    done(response);
  };
  const fail = (reason: JwksFailure, message: string): void => finish({ kind: 'failed', reason, message });
  const headers: http.OutgoingHttpHeaders = r.etag === null ? { ...HEADERS } : { ...HEADERS, 'if-none-match': r.etag };
  const request = r.url.protocol === 'https:' ? https.request : http.request;
  const req = request(r.url, { method: 'GET', headers, agent: false }, (res) => {
    const status = res.statusCode ?? 0;
    if (status === 304) {
      res.resume();
      res.on('end', () => finish({ kind: 'unchanged' }));
      return;
    }
    if (status !== 200) {
      res.resume();
      fail('status', `answered ${status}`);
      return;
    }
    const length = Number(res.headers['content-length'] ?? NaN);
    if (length > r.maxBytes) {
      fail('too-large', `announces ${length} bytes, over the limit of ${r.maxBytes}`);
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    res.on('data', (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > r.maxBytes) fail('too-large', `sent more than the limit of ${r.maxBytes} bytes`);
      else chunks.push(chunk);
    });
    res.on('error', (err) => fail('network', `reading the body failed: ${err.message}`));
    res.on('end', () => {
      const etag = res.headers['etag'];
      finish({ kind: 'fetched', body: Buffer.concat(chunks, total).toString('utf8'), etag: etag === undefined ? null : etag });
    });
  });
  const timer = r.timers.setTimeout(() => fail('timeout', `did not answer within ${r.timeoutMs} ms`), r.timeoutMs);
  req.on('error', (err: NodeJS.ErrnoException) => fail('network', `cannot fetch: ${err.code ?? err.message}`));
  req.end();
  return () => {
    if (settled) return;
    settled = true;
    r.timers.clearTimeout(timer);
    req.destroy();
  };
}
