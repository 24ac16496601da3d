import { performance } from 'node:perf_hooks';
import type { WeirConfig } from '@weir/config';
import { JwksFetcher, RedisTokenSource, type JwkSet, type JwksUrlEntry } from '@weir/controlplane';
import { LeaseServer } from '@weir/limits';
import type { ControlPlaneMetrics, Logger } from '@weir/obs';

/** How often the primary drops full host buckets and idle global pool entries. */
const SWEEP_MS = 10_000;

/** Default of a jwt plugin's `jwksRefreshMs` (the config types document it). */
const DEFAULT_JWKS_REFRESH_MS = 300_000;

export interface EdgePolicyHostOptions {
  readonly logger: Logger;
  readonly metrics: ControlPlaneMetrics;
  /** Sends a fetched key set to every worker (`Fleet.publishJwks`). */
  readonly publishJwks: (url: string, jwks: JwkSet | null) => void;
}

/**
 * The primary's part of edge policy (issue 9): the rate-limit lease server every worker leases
 * tokens from (host buckets, and the Redis source of global limits), and the JWKS fetcher of
 * `jwt` plugins. Both follow each committed config (`follow`).
 */
export class EdgePolicyHost {
  readonly leases: LeaseServer;
  private readonly logger: Logger;
  private readonly fetcher: JwksFetcher;
  private readonly publishJwks: (url: string, jwks: JwkSet | null) => void;
  private redis: RedisTokenSource | null = null;
  /** The `globalLimits` section the Redis source was made from (JSON), to notice a change. */
  private redisSection: string | null = null;
  private urls = new Set<string>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: EdgePolicyHostOptions) {
    this.logger = options.logger;
    this.publishJwks = options.publishJwks;
    const metrics = options.metrics;
    let lastRedisLog = -Infinity;
    this.leases = new LeaseServer(() => performance.now(), {
      listener: {
        onGrant: (scope, grant) => metrics.leaseAnswered(scope, grant.granted > 0),
        onGlobalError: (err) => {
          metrics.redisError();
          // One line per 10 s at most: a down Redis fails every batch.
          const now = performance.now();
          if (now - lastRedisLog >= 10_000) {
            lastRedisLog = now;
            this.logger.warn({ err }, 'global rate limits: Redis failed; applying onRedisFailure');
          }
        },
      },
    });
    this.fetcher = new JwksFetcher({
      logger: options.logger,
      onUpdate: (url, jwks) => this.publishJwks(url, jwks),
      listener: { onFetch: (_url, outcome) => metrics.jwksFetched(outcome) },
    });
    this.sweeper = setInterval(() => this.leases.sweep(), SWEEP_MS).unref();
  }

  /** Follows a committed config: the Redis of `globalLimits`, and the JWKS URLs of jwt plugins. */
  follow(config: WeirConfig): void {
    this.followRedis(config);
    const entries = jwksUrls(config);
    const wanted = new Set(entries.map((e) => e.url));
    for (const url of this.urls) if (!wanted.has(url)) this.publishJwks(url, null);
    this.urls = wanted;
    this.fetcher.setUrls(entries);
  }

  private followRedis(config: WeirConfig): void {
    const section = config.globalLimits;
    const text = section === undefined ? null : JSON.stringify(section);
    if (text === this.redisSection) return;
    const old = this.redis;
    this.redisSection = text;
    this.redis =
      section === undefined
        ? null
        : new RedisTokenSource({
            redis: section.redis,
            ...(section.username === undefined ? {} : { username: section.username }),
            ...(section.password === undefined ? {} : { password: section.password }),
            ...(section.database === undefined ? {} : { database: section.database }),
            ...(section.keyPrefix === undefined ? {} : { keyPrefix: section.keyPrefix }),
            ...(section.timeoutMs === undefined ? {} : { timeoutMs: section.timeoutMs }),
            onConnectionError: () => undefined,
          });
    this.leases.setGlobal(this.redis, section?.onRedisFailure ?? 'open');
    if (old !== null) void old.close();
  }

  /** Each JWKS URL's fetch state, for `GET /admin/status` (`jwks`; times as ISO strings). */
  jwksStatus(): object[] {
    const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
    return this.fetcher.status().map((s) => ({
      url: s.url,
      keys: s.keys,
      fetchedAt: iso(s.fetchedAt),
      lastError: s.lastError === null ? null : { reason: s.lastError.reason, message: s.lastError.message, at: iso(s.lastError.at) },
      consecutiveFailures: s.consecutiveFailures,
    }));
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.fetcher.close();
    const redis = this.redis;
    this.redis = null;
    if (redis !== null) await redis.close();
  }
}

/** Every distinct `jwksUrl` of the config's jwt plugins, with the shortest refresh asked for it. */
export function jwksUrls(config: WeirConfig): JwksUrlEntry[] {
  const refresh = new Map<string, number>();
  for (const route of config.routes) {
    for (const plugin of route.plugins ?? []) {
      if (plugin.type !== 'jwt' || plugin.jwksUrl === undefined) continue;
      const ms = plugin.jwksRefreshMs ?? DEFAULT_JWKS_REFRESH_MS;
      refresh.set(plugin.jwksUrl, Math.min(ms, refresh.get(plugin.jwksUrl) ?? Infinity));
    }
  }
  return [...refresh].map(([url, refreshMs]) => ({ url, refreshMs }));
}
