import { LeaseClient, LeaseServer, type LeaseTransport } from '@weir/limits';
import type { CacheStatsReading, DataplaneMetrics, Logger } from '@weir/obs';
import { CacheRegistry } from '../cache/index';
import { ConcurrencyGates } from '../limits/index';
import { MirrorSenders } from '../traffic/index';
import { TraceExports } from '../tracing/index';
import { JwksStore } from './jwks-store';
import type { PolicyDeps } from './policy-deps';

/** How often unspent leases are swept (handed back once older than the lease TTL). */
const LEASE_SWEEP_MS = 1000;

/** What a worker's policy state is made from. */
export interface WorkerPolicyOptions {
  readonly logger: Logger;
  readonly metrics: DataplaneMetrics | null;
  /** Monotonic ms (the lease client's clock). */
  readonly now: () => number;
  /** Where leases come from; default an in-process `LeaseServer`. */
  readonly leases?: LeaseTransport;
  /** Workers of the host. Default 1. */
  readonly workers?: number;
  /** Span export queues; default OTLP/HTTP sinks (tests inject a sink factory through it). */
  readonly traces?: TraceExports;
}

/**
 * The policy state of one worker that outlives config versions (issues 9, 10, 19): the
 * rate-limit lease client (and its sweep timer), concurrency gates, JWKS key sets, mirror
 * senders and response caches. Every runtime assembles from `deps`; the data plane hands it
 * the primary's key sets and purges.
 */
export class WorkerPolicy {
  readonly deps: PolicyDeps;
  private readonly tokens: LeaseClient;
  private readonly jwks: JwksStore;
  private readonly caches: CacheRegistry;
  private readonly traces: TraceExports;
  private sweep: NodeJS.Timeout | null;

  constructor(options: WorkerPolicyOptions) {
    const workers = options.workers ?? 1;
    const logger = options.logger;
    const metrics = options.metrics;
    this.tokens = new LeaseClient(options.leases ?? new LeaseServer(options.now), options.now, {
      workers,
      onTransportError: (err) => logger.warn({ err }, 'rate-limit lease request failed; deciding locally'),
    });
    this.jwks = new JwksStore();
    this.caches = new CacheRegistry();
    this.traces = options.traces ?? new TraceExports();
    this.deps = {
      tokens: this.tokens,
      gates: new ConcurrencyGates(workers),
      jwks: this.jwks,
      now: Date.now,
      mirrors: new MirrorSenders(metrics === null ? null : (metrics.traffic ?? null)),
      caches: this.caches,
      traces: this.traces,
    };
    if (metrics !== null && metrics.tracing !== undefined) metrics.tracing.watch(() => this.traces.readings());
    if (metrics !== null && metrics.cache !== undefined) metrics.cache.watch(() => cacheReadings(this.caches));
    this.sweep = setInterval(sweepLeases, LEASE_SWEEP_MS, this.tokens).unref();
  }

  /** The key set the primary fetched from a JWKS URL: JWT plugins use it from their next request. */
  setJwks(url: string, jwks: { readonly keys: readonly Readonly<Record<string, unknown>>[] }): void {
    this.jwks.set(url, jwks);
  }

  /** Admin purge: entries of `route`'s caches matching the key or prefix; returns how many went. */
  purgeCache(route: string, target: { readonly key: string } | { readonly prefix: string }): number {
    return this.caches.purge(route, target);
  }

  /** Stops the lease sweep (drain). */
  close(): void {
    if (this.sweep !== null) clearInterval(this.sweep);
    this.sweep = null;
  }

  /** Drain: sends the spans still queued, within `timeoutMs`, and stops the export queues. */
  closeTraces(timeoutMs: number): Promise<void> {
    return this.traces.close(timeoutMs);
  }
}

/** Lease sweep timer callback: hands back leases older than the TTL. */
function sweepLeases(tokens: LeaseClient): void {
  tokens.sweep();
}

/** The caches as the cache metrics read them at scrape time. */
function* cacheReadings(caches: CacheRegistry): Generator<{ route: string; stats: CacheStatsReading; bytes: number }> {
  for (const r of caches.readings()) yield { route: r.route, stats: r.cache.stats, bytes: r.cache.storedBytes };
}
