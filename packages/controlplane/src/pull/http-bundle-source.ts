import * as http from 'node:http';
import * as https from 'node:https';
import { WeirError } from '@weir/errors';
import type { BundleSource, SourceFetch, SourceMark } from './bundle-source';

/** Options of {@link HttpBundleSource}. */
export interface HttpBundleSourceOptions {
  /** `http://` or `https://` URL of the bundle file (validated by the config schema). */
  readonly url: string;
  /** Deadline of one fetch, headers and body, in ms. */
  readonly timeoutMs: number;
  /** Largest file accepted, in bytes: a larger `content-length` is refused unread, a longer body is cut off. */
  readonly maxBytes: number;
}

/**
 * A bundle on a plain HTTP(S) server or CDN: `GET url` with `If-None-Match` / `If-Modified-Since`
 * from the last answer, so an unchanged bundle costs a 304 and no verification. One keep-alive
 * connection (its own agent, destroyed with the puller). Redirects are not followed: point
 * `pull.url` at the final location.
 *
 * node:http(s) rather than undici: the primary's import closure keeps undici out
 * (tools/archcheck closure rule; the health checker's probe makes the same choice), and one
 * small GET per interval gains nothing from undici's pooling.
 */
export class HttpBundleSource implements BundleSource {
  readonly description: string;
  private readonly url: URL;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly agent: http.Agent;

  constructor(options: HttpBundleSourceOptions) {
    this.url = new URL(options.url);
    this.description = options.url;
    this.timeoutMs = options.timeoutMs;
    this.maxBytes = options.maxBytes;
    const agentOptions = { keepAlive: true, maxSockets: 1 };
    this.agent = this.url.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  fetch(previous: SourceMark | null): Promise<SourceFetch> {
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json, */*' };
    if (previous?.etag != null) headers['if-none-match'] = previous.etag;
    if (previous?.lastModified != null) headers['if-modified-since'] = previous.lastModified;
    const request = this.url.protocol === 'https:' ? https.request : http.request;
    return new Promise<SourceFetch>((resolve, reject) => {
      let settled = false;
      const fail = (err: WeirError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.destroy();
        reject(err);
      };
      const req = request(this.url, { method: 'GET', headers, agent: this.agent }, (res) => {
        const status = res.statusCode ?? 0;
        if (status === 304) {
          res.resume();
          res.on('end', () => done({ status: 'unchanged' }));
          return;
        }
        if (status !== 200) {
          res.resume();
          fail(sourceError(`${this.description} answered ${status}`));
          return;
        }
        const length = Number(res.headers['content-length'] ?? NaN);
        if (length > this.maxBytes) {
          fail(sourceError(`${this.description} announces ${length} bytes, over pull.maxBytes (${this.maxBytes})`));
          return;
        }
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          total += chunk.byteLength;
          if (total > this.maxBytes) {
            fail(sourceError(`${this.description} sent more than pull.maxBytes (${this.maxBytes})`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (err) => fail(sourceError(`reading ${this.description} failed: ${err.message}`, err)));
        res.on('end', () => {
          const mark = { etag: header(res.headers['etag']), lastModified: header(res.headers['last-modified']) };
          done({ status: 'fetched', bytes: Buffer.concat(chunks, total), mark });
        });
      });
      const done = (result: SourceFetch): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(() => fail(sourceError(`${this.description} did not answer within pull.timeoutMs (${this.timeoutMs} ms)`)), this.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => fail(sourceError(`cannot fetch ${this.description}: ${err.code ?? err.message}`, err)));
      req.end();
    });
  }

  close(): Promise<void> {
    this.agent.destroy();
    return Promise.resolve();
  }
}

function header(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}

function sourceError(message: string, cause?: unknown): WeirError {
  return new WeirError('WEIR_ERR_BUNDLE_SOURCE', message, cause === undefined ? undefined : { cause });
}
