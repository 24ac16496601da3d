import type * as http from 'node:http';
import { downloadBundle, sourceAgent } from './bundle-download';
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
 * `pull.url` at the final location. The download itself (status, size cap, deadline) is
 * `downloadBundle`, shared with `S3BundleSource`.
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
    this.agent = sourceAgent(this.url);
  }

  fetch(previous: SourceMark | null): Promise<SourceFetch> {
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json, */*' };
    if (previous?.etag != null) headers['if-none-match'] = previous.etag;
    if (previous?.lastModified != null) headers['if-modified-since'] = previous.lastModified;
    return downloadBundle({ url: this.url, headers, agent: this.agent, description: this.description, timeoutMs: this.timeoutMs, maxBytes: this.maxBytes });
  }

  close(): Promise<void> {
    this.agent.destroy();
    return Promise.resolve();
  }
}
