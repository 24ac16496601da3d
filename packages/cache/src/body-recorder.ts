import { buildEntry } from './build-entry';
import type { CacheEntry } from './cache-entry';
import type { CacheStats } from './cache-stats';
import type { CacheStore } from './cache-store';
import type { HeuristicSettings } from './freshness';

/**
 * Records a storable response's body while it streams to the client, and stores the entry when
 * the body is complete. Created by `RouteCache.admit`; one per response.
 *
 * - `write(chunk)` keeps a reference to the chunk until `finish` (no copy per chunk; the caller
 *   must not reuse one after writing it). `finish` copies the chunks into one exact-size,
 *   unpooled buffer, so the stored entry never pins undici's socket reads. It returns `false` once the body grows past
 *   `maxObjectBytes`: recording is abandoned and the chunks released, and the caller simply
 *   keeps streaming to the client (and stops calling `write`).
 * - `finish()` stores and returns the entry, or `null` when recording was abandoned, aborted, the
 *   body length disagrees with a `Content-Length` (a truncated body is never stored), or the
 *   store refused it.
 * - `abort()` drops everything (client or upstream failure, trailers, etc.).
 */
export class BodyRecorder {
  private chunks: Uint8Array[] | null = [];
  private length = 0;

  constructor(
    private readonly store: CacheStore,
    private readonly settings: HeuristicSettings & { readonly maxObjectBytes: number },
    readonly key: string,
    private readonly status: number,
    /** Stored header list without `content-length` (added at `finish`). */
    private readonly headers: string[],
    private readonly ageSeconds: number,
    private readonly requestTime: number,
    private readonly responseTime: number,
    private readonly varyNames: readonly string[],
    private readonly varyValues: readonly (string | null)[],
    /** The response's `Content-Length`, or -1. */
    private readonly expectedLength: number,
    /** An entry this one replaces (e.g. the stale variant a full 200 revalidation replaced). */
    private readonly replaces: CacheEntry | null,
    /** Counts stored responses, or `null`. */
    private readonly stats: CacheStats | null = null,
  ) {}

  /** True while recording continues. */
  get recording(): boolean {
    return this.chunks !== null;
  }

  /** Bytes recorded so far. */
  get bytes(): number {
    return this.length;
  }

  write(chunk: Uint8Array): boolean {
    if (this.chunks === null) return false;
    this.length += chunk.length;
    if (this.length > this.settings.maxObjectBytes) {
      this.chunks = null;
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  finish(): CacheEntry | null {
    const chunks = this.chunks;
    this.chunks = null;
    if (chunks === null) return null;
    if (this.expectedLength >= 0 && this.expectedLength !== this.length) return null;
    // One exact, unpooled copy (what `ownedBody` asks for, so `buildEntry` keeps it as is): a
    // chunk is a view into undici's larger socket read, and small `Buffer.concat` results come
    // from the shared 8 KiB pool; keeping either would keep its whole backing store alive.
    const body = Buffer.allocUnsafeSlow(this.length);
    let offset = 0;
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i] as Uint8Array;
      body.set(chunk, offset);
      offset += chunk.length;
    }
    const headers = this.headers;
    headers.push('content-length', String(this.length));
    const entry = buildEntry(
      this.key,
      this.status,
      headers,
      body,
      this.ageSeconds,
      this.requestTime,
      this.responseTime,
      this.varyNames,
      this.varyValues,
      this.settings,
    );
    if (!this.store.put(entry, this.replaces)) return null;
    if (this.stats !== null) this.stats.stored++;
    return entry;
  }

  abort(): void {
    this.chunks = null;
  }
}

