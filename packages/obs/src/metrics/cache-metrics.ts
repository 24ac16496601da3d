import { Counter, Gauge, type Registry } from 'prom-client';
import { metricCatalogue } from './catalogue';
import { metricOptions as config } from './metric-options';

/** A route cache's counters as `@weir/cache`'s `CacheStats` keeps them (plain numbers). */
export interface CacheStatsReading {
  readonly hit: number;
  readonly miss: number;
  readonly stale: number;
  readonly bypass: number;
  readonly collapsed: number;
  readonly revalidated: number;
  readonly staleIfError: number;
  readonly stored: number;
}

/** One route cache at scrape time. */
export interface CacheReading {
  readonly route: string;
  readonly stats: CacheStatsReading;
  readonly bytes: number;
}

/** The `result` label of `weir_cache_requests_total`, by stats field. */
const RESULTS: readonly (readonly [keyof CacheStatsReading, string])[] = [
  ['hit', 'hit'],
  ['miss', 'miss'],
  ['stale', 'stale'],
  ['bypass', 'bypass'],
  ['collapsed', 'collapsed'],
  ['revalidated', 'revalidated'],
  ['staleIfError', 'stale_if_error'],
  ['stored', 'stored'],
];

/**
 * Response-cache metrics of one worker (issue 10): `weir_cache_requests_total{route, result}`
 * and `weir_cache_stored_bytes{route}`, read from the caches at scrape time (the hot path only
 * bumps plain numbers in `CacheStats`). Counters advance by what each cache counted since the
 * last scrape, so a cache dropped by a reload never makes a series go backwards.
 */
export class CacheMetrics {
  private source: (() => Iterable<CacheReading>) | null = null;
  private readonly flushed = new WeakMap<CacheStatsReading, number[]>();

  constructor(registry: Registry) {
    const c = metricCatalogue;
    const metrics = this;
    new Counter({
      ...config(c.cacheRequestsTotal, registry),
      collect(this: Counter<string>) {
        metrics.flush(this);
      },
    });
    new Gauge({
      ...config(c.cacheStoredBytes, registry),
      collect(this: Gauge<string>) {
        this.reset();
        const source = metrics.source;
        if (source === null) return;
        for (const r of source()) this.inc({ route: r.route }, r.bytes);
      },
    });
  }

  /** Where the caches are read at scrape time (the data plane's registry). */
  watch(source: () => Iterable<CacheReading>): void {
    this.source = source;
  }

  private flush(counter: Counter<string>): void {
    const source = this.source;
    if (source === null) return;
    for (const r of source()) {
      let last = this.flushed.get(r.stats);
      if (last === undefined) {
        last = RESULTS.map(() => 0);
        this.flushed.set(r.stats, last);
      }
      for (let i = 0; i < RESULTS.length; i++) {
        const [field, result] = RESULTS[i] as readonly [keyof CacheStatsReading, string];
        const value = r.stats[field];
        const delta = value - (last[i] as number);
        if (delta > 0) counter.inc({ route: r.route, result }, delta);
        last[i] = value;
      }
    }
  }
}
