import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { BodyRecorder, CacheEntry, CacheRequestView, RouteCache } from '@weir/cache';

/**
 * A `stale-while-revalidate` refresh (RFC 5861, RFC 9111 section 4.2.4 via `@weir/cache`): the
 * client got the stale entry at once, and this conditional GET updates the entry in the
 * background, fire and forget. It is the key's collapsed-forwarding leader (`leadRefresh`), so
 * a worker refreshes a URL at most once at a time, and it always releases the flight. Its
 * outcome never reaches a client, breaker or outlier detector.
 */
export class CacheRefresh implements Dispatcher.DispatchHandler {
  private readonly cache: RouteCache;
  private readonly view: CacheRequestView;
  private readonly entry: CacheEntry;
  private readonly key: string;
  private readonly requestTime: number;
  private recorder: BodyRecorder | null;
  private released: boolean;

  constructor(cache: RouteCache, view: CacheRequestView, entry: CacheEntry, key: string) {
    this.cache = cache;
    this.view = view;
    this.entry = entry;
    this.key = key;
    this.requestTime = cache.clock.now();
    this.recorder = null;
    this.released = false;
  }

  /** Sends the conditional GET through `pool`; `headers` is the upstream header list (copied here). */
  start(pool: Dispatcher, path: string, headers: readonly string[], strip: readonly string[], headersTimeout: number): void {
    const list: string[] = [];
    for (let i = 0; i < headers.length; i += 2) {
      const name = (headers[i] as string).toLowerCase();
      if (!strip.includes(name)) list.push(headers[i] as string, headers[i + 1] as string);
    }
    const conditional = this.cache.conditionalHeaders(this.entry);
    for (let i = 0; i < conditional.length; i++) list.push(conditional[i] as string);
    try {
      pool.dispatch({ method: 'GET', path, headers: list, headersTimeout, bodyTimeout: headersTimeout }, this);
    } catch {
      this.release(null);
    }
  }

  onRequestStart(): void {
    // Nothing to do: the refresh is never aborted.
  }

  onResponseStart(_controller: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    const now = this.cache.clock.now();
    if (status === 304) {
      this.release(this.cache.revalidated(this.entry, headers, this.requestTime, now));
      return;
    }
    // A failing origin leaves the stale entry in place (stale-if-error decides for clients).
    if (status >= 500) return;
    this.recorder = this.cache.admit(this.view, status, headers, this.requestTime, now, this.entry);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const recorder = this.recorder;
    if (recorder !== null && !recorder.write(chunk)) this.recorder = null;
  }

  onResponseEnd(): void {
    const recorder = this.recorder;
    this.recorder = null;
    this.release(recorder === null ? null : recorder.finish());
  }

  onResponseError(): void {
    const recorder = this.recorder;
    this.recorder = null;
    if (recorder !== null) recorder.abort();
    this.release(null);
  }

  private release(entry: CacheEntry | null): void {
    if (this.released) return;
    this.released = true;
    this.cache.release(this.key, entry);
  }
}
