import * as http from 'node:http';
import * as https from 'node:https';
import { WeirError } from '@weir/errors';
import type { SourceFetch } from './bundle-source';

/** One conditional GET of a bundle file, as {@link downloadBundle} runs it. */
export interface BundleDownload {
  /** `http:` or `https:` URL, already encoded. */
  readonly url: URL;
  /** Request headers (validators, signature). */
  readonly headers: http.OutgoingHttpHeaders;
  /** The source's own agent (one keep-alive connection). */
  readonly agent: http.Agent;
  /** What error messages name (the source's description; never credentials). */
  readonly description: string;
  /** Deadline of the fetch, headers and body, in ms. */
  readonly timeoutMs: number;
  /** Largest body accepted, in bytes: a larger `content-length` is refused unread, a longer body is cut off. */
  readonly maxBytes: number;
  /**
   * Turns the start of an error answer's body (at most {@link ERROR_BODY_BYTES}) into a detail
   * for the message, or null (S3 names the error: `SignatureDoesNotMatch`, `NoSuchKey`). Absent:
   * the body is not read.
   */
  readonly errorDetail?: (body: string) => string | null;
}

/** How much of a non-200, non-304 answer is read for {@link BundleDownload.errorDetail}. */
export const ERROR_BODY_BYTES = 4096;

/** An agent for one source: one keep-alive connection, destroyed by the source's `close`. */
export function sourceAgent(url: URL): http.Agent {
  const options = { keepAlive: true, maxSockets: 1 };
  return url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}

/**
 * The download both sources share (`HttpBundleSource`, `S3BundleSource`): `GET`, 304 is
 * `unchanged`, 200 is the body with its `ETag` / `Last-Modified`, anything else, a transport
 * error, a body over `maxBytes` or the deadline passing rejects with WEIR_ERR_BUNDLE_SOURCE.
 * Redirects are not followed. The request is destroyed on failure, so a stalled or oversized
 * download stops at once.
 */
export function downloadBundle(d: BundleDownload): Promise<SourceFetch> {
  const request = d.url.protocol === 'https:' ? https.request : http.request;
  return new Promise<SourceFetch>((resolve, reject) => {
    let settled = false;
    const fail = (err: WeirError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const done = (result: SourceFetch): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = request(d.url, { method: 'GET', headers: d.headers, agent: d.agent }, (res) => {
      const status = res.statusCode ?? 0;
      if (status === 304) {
        res.resume();
        res.on('end', () => done({ status: 'unchanged' }));
        return;
      }
      if (status !== 200) {
        const detail = d.errorDetail;
        if (detail === undefined) {
          res.resume();
          fail(sourceError(`${d.description} answered ${status}`));
          return;
        }
        readHead(res, ERROR_BODY_BYTES, (body) => {
          const text = detail(body);
          fail(sourceError(`${d.description} answered ${status}${text === null ? '' : ` (${text})`}`));
        });
        return;
      }
      const length = Number(res.headers['content-length'] ?? NaN);
      if (length > d.maxBytes) {
        fail(sourceError(`${d.description} announces ${length} bytes, over pull.maxBytes (${d.maxBytes})`));
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.byteLength;
        if (total > d.maxBytes) {
          fail(sourceError(`${d.description} sent more than pull.maxBytes (${d.maxBytes})`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (err) => fail(sourceError(`reading ${d.description} failed: ${err.message}`, err)));
      res.on('end', () => {
        const mark = { etag: header(res.headers['etag']), lastModified: header(res.headers['last-modified']) };
        done({ status: 'fetched', bytes: Buffer.concat(chunks, total), mark });
      });
    });
    const timer = setTimeout(() => fail(sourceError(`${d.description} did not answer within pull.timeoutMs (${d.timeoutMs} ms)`)), d.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => fail(sourceError(`cannot fetch ${d.description}: ${err.code ?? err.message}`, err)));
    req.end();
  });
}

/** The WEIR_ERR_BUNDLE_SOURCE error of a source that cannot be read. */
export function sourceError(message: string, cause?: unknown): WeirError {
  return new WeirError('WEIR_ERR_BUNDLE_SOURCE', message, cause === undefined ? undefined : { cause });
}

/** Calls `then` once with the first `limit` bytes of the body as text (less if it ends or fails). */
function readHead(res: http.IncomingMessage, limit: number, then: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let total = 0;
  let called = false;
  const finish = (): void => {
    if (called) return;
    called = true;
    then(Buffer.concat(chunks, Math.min(total, limit)).toString('utf8'));
  };
  res.on('data', (chunk: Buffer) => {
    if (total < limit) chunks.push(chunk);
    total += chunk.byteLength;
    if (total >= limit) finish();
  });
  res.on('end', finish);
  res.on('error', finish);
}

function header(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}
