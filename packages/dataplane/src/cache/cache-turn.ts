import type { BodyRecorder, CacheEntry, CacheRequestView, LookupDecision, RouteCache } from '@weir/cache';

/**
 * One request's passage through its route's cache (STYLE.md rule 7: one object, every field
 * set in the constructor), made only for routes with `cache`. It is also the request view the
 * cache reads: method, scheme, host, the normalised target and the raw headers.
 */
export class CacheTurn implements CacheRequestView {
  readonly cache: RouteCache;
  readonly method: string;
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly target: string;
  readonly headers: readonly string[];
  decision: LookupDecision | null;
  /** The stale entry being revalidated (conditional request upstream); null otherwise. */
  revalidating: CacheEntry | null;
  /** Records the response body for storage; null when it is not stored. */
  recorder: BodyRecorder | null;
  /** The key this request leads a collapsed fetch of; released exactly once. */
  leaderKey: string | null;
  /** Epoch ms when the request went upstream (the age calculation's request_time). */
  requestTime: number;
  /** The client got an answer made from the cache: the upstream's body is dropped. */
  answered: boolean;

  constructor(cache: RouteCache, method: string, secure: boolean, host: string, target: string, headers: readonly string[]) {
    this.cache = cache;
    this.method = method;
    this.scheme = secure ? 'https' : 'http';
    this.host = host;
    this.target = target;
    this.headers = headers;
    this.decision = null;
    this.revalidating = null;
    this.recorder = null;
    this.leaderKey = null;
    this.requestTime = 0;
    this.answered = false;
  }

  /** Feeds a body chunk to the recorder; stops recording once the body is too large. */
  record(chunk: Buffer): void {
    const recorder = this.recorder;
    if (recorder !== null && !recorder.write(chunk)) this.recorder = null;
  }

  /** The response ended: store it, and hand it to collapsed waiters. */
  complete(): void {
    const recorder = this.recorder;
    this.recorder = null;
    const entry = recorder === null ? null : recorder.finish();
    this.releaseLeader(entry);
  }

  /** The exchange ended without a stored response: waiters go upstream themselves. */
  abandon(): void {
    const recorder = this.recorder;
    this.recorder = null;
    if (recorder !== null) recorder.abort();
    this.releaseLeader(null);
  }

  private releaseLeader(entry: CacheEntry | null): void {
    const key = this.leaderKey;
    if (key !== null) {
      this.leaderKey = null;
      this.cache.release(key, entry);
    }
  }
}
