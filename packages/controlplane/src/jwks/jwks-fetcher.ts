import { createHash } from 'node:crypto';
import { WeirError } from '@weir/errors';
import type { Logger } from '@weir/obs';
import { fetchJwks, type JwksFailure, type JwksResponse } from './fetch-jwks';
import { parseJwkSet, type JwkSet } from './jwk-set';
import { realJwksTimers, type JwksTimers } from './jwks-timers';

/** One URL to keep fresh: a `jwt` plugin's `jwksUrl` and `jwksRefreshMs`. */
export interface JwksUrlEntry {
  readonly url: string;
  /** Interval between refreshes after a good fetch, and the cap of the retry backoff. */
  readonly refreshMs: number;
}

/** How one fetch ended (the `outcome` label of a future `weir_jwks_fetches_total`). */
export type JwksFetchOutcome = 'updated' | 'unchanged' | 'error';

/** Told about every fetch that ends (metrics attach here). */
export interface JwksFetchListener {
  /** `reason` is set when `outcome` is `error`. */
  onFetch(url: string, outcome: JwksFetchOutcome, reason?: JwksFailure): void;
}

export interface JwksFetcherOptions {
  /**
   * Called with each new key set of a URL (first fetch, and every change after it; not when a
   * refresh finds the same set). The set is deeply frozen. A throw is logged (error level);
   * the set is kept anyway (it was valid).
   */
  readonly onUpdate: (url: string, jwks: JwkSet) => void;
  /** Default: no logging. */
  readonly logger?: Logger;
  /** Default: none. */
  readonly listener?: JwksFetchListener;
  /** Refresh, retry and deadline timers. Default: node's, unref'd. */
  readonly timers?: JwksTimers;
  /** Wall clock in ms since the epoch, for {@link JwksStatus}. Default `Date.now`. */
  readonly now?: () => number;
  /** Deadline of one fetch (connect, headers, body) in ms. Default `5000`. */
  readonly timeoutMs?: number;
  /** Largest JWKS body in bytes. Default 1 MiB. */
  readonly maxBytes?: number;
}

/** The state of one URL, for `GET /admin/status`. */
export interface JwksStatus {
  readonly url: string;
  /** Keys in the last good set; null before the first. */
  readonly keys: number | null;
  /** When the last good set was fetched (or confirmed unchanged), ms since the epoch. */
  readonly fetchedAt: number | null;
  /** The last failure (not cleared by a success: compare `at` with `fetchedAt`). */
  readonly lastError: { readonly reason: JwksFailure; readonly message: string; readonly at: number } | null;
  /** Failures in a row (the backoff exponent); 0 after a success. */
  readonly consecutiveFailures: number;
}

/** First retry delay after a failure; it doubles per failure up to the URL's `refreshMs`. */
export const JWKS_RETRY_MS = 1000;
export const DEFAULT_JWKS_TIMEOUT_MS = 5000;
export const DEFAULT_JWKS_MAX_BYTES = 1024 * 1024;

/** Per-URL state; every field assigned here. */
class JwksEntry {
  readonly url: string;
  /** Parsed once; null when not an http(s) URL (then never fetched). */
  readonly target: URL | null;
  /** What logs name: scheme, host and path (no credentials, no query). */
  readonly description: string;
  refreshMs: number;
  jwks: JwkSet | null = null;
  /** sha256 of the body `jwks` came from: a refresh with the same bytes is `unchanged`. */
  digest: string | null = null;
  etag: string | null = null;
  failures = 0;
  fetchedAt: number | null = null;
  lastError: JwksStatus['lastError'] = null;
  timer: unknown = null;
  /** Cancels the fetch in flight; null when none is. */
  cancel: (() => void) | null = null;

  constructor(url: string, refreshMs: number) {
    this.url = url;
    this.refreshMs = refreshMs;
    let target: URL | null = null;
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') target = parsed;
    } catch {
      target = null;
    }
    this.target = target;
    this.description = target === null ? '(not an http(s) URL)' : `${target.protocol}//${target.host}${target.pathname}`;
  }
}

/**
 * Keeps the key sets of the config's `jwksUrl`s fresh on the primary (issue 9), which pushes
 * them to the workers through `onUpdate` (the wiring is the daemon's).
 *
 * - A new URL is fetched at once, then every `refreshMs` (conditional: `If-None-Match` with the
 *   last `ETag`; a 304, or a 200 with the same bytes, is `unchanged`). `Cache-Control` is not
 *   read: the refresh interval is the operator's.
 * - A failed fetch (transport, status, deadline, size, or a body that is not a JWK Set) keeps
 *   the last good set (keys are never dropped by a failure) and retries after 1 s, 2 s, 4 s...
 *   up to `refreshMs`.
 * - A URL no longer listed stops at once (its fetch in flight is cancelled) and its set is
 *   forgotten.
 */
export class JwksFetcher {
  private readonly onUpdate: (url: string, jwks: JwkSet) => void;
  private readonly logger: Logger | null;
  private readonly listener: JwksFetchListener | null;
  private readonly timers: JwksTimers;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly entries = new Map<string, JwksEntry>();
  private closed = false;

  constructor(options: JwksFetcherOptions) {
    this.onUpdate = options.onUpdate;
    this.logger = options.logger ?? null;
    this.listener = options.listener ?? null;
    this.timers = options.timers ?? realJwksTimers;
    this.now = options.now ?? Date.now;
    this.timeoutMs = positive(options.timeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS, 'timeoutMs');
    this.maxBytes = positive(options.maxBytes ?? DEFAULT_JWKS_MAX_BYTES, 'maxBytes');
  }

  /**
   * The URLs to keep fresh, replacing the previous list (call it on every apply). A URL named
   * twice is refreshed at the smaller `refreshMs`. A changed `refreshMs` takes effect at once
   * when the URL is waiting for a regular refresh, else after the retry in progress.
   */
  setUrls(entries: readonly JwksUrlEntry[]): void {
    if (this.closed) return;
    const wanted = new Map<string, number>();
    for (const entry of entries) {
      const refreshMs = positive(entry.refreshMs, 'refreshMs');
      const previous = wanted.get(entry.url);
      wanted.set(entry.url, previous === undefined ? refreshMs : Math.min(previous, refreshMs));
    }
    for (const [url, entry] of this.entries) {
      if (wanted.has(url)) continue;
      this.stop(entry);
      this.entries.delete(url);
    }
    for (const [url, refreshMs] of wanted) {
      const entry = this.entries.get(url);
      if (entry === undefined) {
        const added = new JwksEntry(url, refreshMs);
        this.entries.set(url, added);
        this.fetch(added);
      } else if (entry.refreshMs !== refreshMs) {
        entry.refreshMs = refreshMs;
        if (entry.timer !== null && entry.failures === 0) {
          this.timers.clearTimeout(entry.timer);
          this.schedule(entry, refreshMs);
        }
      }
    }
  }

  /** The last good key set of `url`, or null (not listed, or nothing fetched yet). */
  current(url: string): JwkSet | null {
    return this.entries.get(url)?.jwks ?? null;
  }

  /** Every listed URL's state, in the order they were first listed. */
  status(): JwksStatus[] {
    const out: JwksStatus[] = [];
    for (const e of this.entries.values()) {
      out.push({
        url: e.url,
        keys: e.jwks === null ? null : e.jwks.keys.length,
        fetchedAt: e.fetchedAt,
        lastError: e.lastError,
        consecutiveFailures: e.failures,
      });
    }
    return out;
  }

  /** Stops every timer and fetch; later `setUrls` calls do nothing. */
  close(): void {
    this.closed = true;
    for (const entry of this.entries.values()) this.stop(entry);
    this.entries.clear();
  }

  private stop(entry: JwksEntry): void {
    if (entry.timer !== null) this.timers.clearTimeout(entry.timer);
    entry.timer = null;
    if (entry.cancel !== null) entry.cancel();
    entry.cancel = null;
  }

  private schedule(entry: JwksEntry, ms: number): void {
    entry.timer = this.timers.setTimeout(() => {
      entry.timer = null;
      this.fetch(entry);
    }, ms);
  }

  private fetch(entry: JwksEntry): void {
    if (entry.target === null) {
      // Not retried: the URL cannot change until the config does (validation refuses it first).
      this.failed(entry, 'url', 'not an http: or https: URL', false);
      return;
    }
    const request = { url: entry.target, etag: entry.etag, timeoutMs: this.timeoutMs, maxBytes: this.maxBytes, timers: this.timers };
    entry.cancel = fetchJwks(request, (response) => {
      entry.cancel = null;
      this.settle(entry, response);
    });
  }

  private settle(entry: JwksEntry, response: JwksResponse): void {
    if (response.kind === 'failed') {
      this.failed(entry, response.reason, response.message, true);
      return;
    }
    if (response.kind === 'unchanged') {
      if (entry.jwks === null) {
        this.failed(entry, 'status', 'answered 304 without a key set held', true);
        return;
      }
      this.succeeded(entry, 'unchanged');
      return;
    }
    const digest = createHash('sha256').update(response.body).digest('hex');
    if (digest === entry.digest) {
      entry.etag = response.etag;
      this.succeeded(entry, 'unchanged');
      return;
    }
    const parsed = parseJwkSet(response.body);
    if (!parsed.ok) {
      this.failed(entry, 'invalid', parsed.message, true);
      return;
    }
    entry.jwks = parsed.jwks;
    entry.digest = digest;
    entry.etag = response.etag;
    this.logger?.info({ url: entry.description, keys: parsed.jwks.keys.length }, 'JWKS updated');
    this.succeeded(entry, 'updated');
    try {
      this.onUpdate(entry.url, parsed.jwks);
    } catch (err) {
      // A wiring bug, not the issuer's: the set stays (it is valid) and the fetch counts as updated.
      this.logger?.error({ url: entry.description, err }, 'JWKS update handler failed');
    }
  }

  private succeeded(entry: JwksEntry, outcome: 'updated' | 'unchanged'): void {
    entry.failures = 0;
    entry.fetchedAt = this.now();
    this.schedule(entry, entry.refreshMs);
    if (outcome === 'unchanged') this.logger?.debug({ url: entry.description }, 'JWKS unchanged');
    this.listener?.onFetch(entry.url, outcome);
  }

  private failed(entry: JwksEntry, reason: JwksFailure, message: string, retry: boolean): void {
    entry.failures++;
    entry.lastError = { reason, message, at: this.now() };
    const retryInMs = retry ? Math.min(JWKS_RETRY_MS * 2 ** Math.min(entry.failures - 1, 30), entry.refreshMs) : null;
    if (retryInMs !== null) this.schedule(entry, retryInMs);
    this.logger?.warn(
      { url: entry.description, reason, failures: entry.failures, retryInMs, keptKeys: entry.jwks !== null },
      `JWKS fetch failed: ${message}`,
    );
    this.listener?.onFetch(entry.url, 'error', reason);
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new WeirError('WEIR_ERR_INTERNAL', `JwksFetcher: ${name} must be a positive number, got ${value}`);
  return value;
}
