import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { WeirError } from '@weir/errors';
import type { GlobalTokenSource, LeaseGrant } from '@weir/limits';
import { TOKEN_BUCKET_SCRIPT } from './token-bucket-script';

/**
 * Settings of a `RedisTokenSource`: the config's `GlobalLimitsConfig` (apart from
 * `onRedisFailure`, which the lease server applies) plus an error hook.
 */
export interface RedisTokenSourceOptions {
  /** `host:port`; an IPv6 literal in brackets (`[::1]:6379`). */
  readonly redis: string;
  /** ACL user. Default none. */
  readonly username?: string;
  /** AUTH password. Default none. */
  readonly password?: string;
  /** Database 0-15. Default 0. */
  readonly database?: number;
  /** Prefix of every key. Default `weir:rl:`. */
  readonly keyPrefix?: string;
  /**
   * Time one command may take before it fails (ioredis `commandTimeout`). Default 250 ms. The
   * connection attempt gets four times this, at least one second.
   */
  readonly timeoutMs?: number;
  /** Told about connection errors (ioredis `error` events; without a listener ioredis prints them). */
  readonly onConnectionError?: (error: Error) => void;
}

/** Default `RedisTokenSourceOptions.keyPrefix`. */
export const DEFAULT_REDIS_KEY_PREFIX = 'weir:rl:';
/** Default `RedisTokenSourceOptions.timeoutMs`. */
export const DEFAULT_REDIS_TIMEOUT_MS = 250;

/** A key short and plain enough to stay readable in `redis-cli` (an IP address, a route name). */
const PLAIN_KEY = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The Redis key of bucket (`limitId`, `key`): `<prefix><limitId>:k:<key>` for short plain keys,
 * else `<prefix><limitId>:h:<sha256 base64url>`, so arbitrary header or claim values are safe
 * (no `{` hash tags, no control characters) and bounded in length. The `k:`/`h:` marker keeps
 * the two forms from colliding.
 */
export function redisBucketKey(prefix: string, limitId: string, key: string): string {
  if (PLAIN_KEY.test(key)) return `${prefix}${limitId}:k:${key}`;
  return `${prefix}${limitId}:h:${createHash('sha256').update(key).digest('base64url')}`;
}

/** The command `defineCommand` adds (EVALSHA, falling back to EVAL when Redis lost the script). */
interface TokenBucketCommand {
  weirTokenBucket(key: string, rate: number, burst: number, want: number, ttlMs: number, atLeast: number): Promise<[number, number, number]>;
}

/**
 * The global token source on Redis: one Lua script per call (`TOKEN_BUCKET_SCRIPT`) takes or
 * returns tokens atomically, with Redis's clock. Built to fail fast, because the lease pool
 * answers by the failure mode instead: no offline queue (a command while disconnected rejects at
 * once), `commandTimeout`, one retry of a command cut by a reconnect. ioredis keeps reconnecting
 * in the background (100 ms steps up to 2 s).
 */
export class RedisTokenSource implements GlobalTokenSource {
  private readonly redis: Redis;
  private readonly command: TokenBucketCommand;
  private readonly prefix: string;

  constructor(options: RedisTokenSourceOptions) {
    const { host, port } = parseRedisAddress(options.redis);
    const timeoutMs = options.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
    this.prefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
    this.redis = new Redis({
      host,
      port,
      username: options.username,
      password: options.password,
      db: options.database ?? 0,
      commandTimeout: timeoutMs,
      connectTimeout: Math.max(1000, timeoutMs * 4),
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (times: number) => Math.min(times * 100, 2000),
    });
    const onError = options.onConnectionError;
    this.redis.on('error', (error: Error) => {
      if (onError !== undefined) onError(error);
    });
    this.redis.defineCommand('weirTokenBucket', { numberOfKeys: 1, lua: TOKEN_BUCKET_SCRIPT });
    this.command = this.redis as unknown as TokenBucketCommand;
  }

  /** Resolves once connected (or at once if already); rejects after `timeoutMs` ms. */
  ready(timeoutMs: number): Promise<void> {
    if (this.redis.status === 'ready') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new Error(`Redis not ready after ${timeoutMs} ms`));
      }, timeoutMs);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.redis.once('ready', onReady);
    });
  }

  take(limitId: string, key: string, want: number, ratePerSecond: number, burst: number, atLeast = 1): Promise<LeaseGrant> {
    return this.command
      .weirTokenBucket(redisBucketKey(this.prefix, limitId, key), ratePerSecond, burst, want, expiryMs(ratePerSecond, burst), atLeast)
      .then((reply) => ({ granted: reply[0], retryAfterMs: reply[1], remaining: reply[2] }));
  }

  giveBack(limitId: string, key: string, tokens: number, ratePerSecond: number, burst: number): void {
    if (!(tokens > 0)) return;
    this.command
      .weirTokenBucket(redisBucketKey(this.prefix, limitId, key), ratePerSecond, burst, -tokens, expiryMs(ratePerSecond, burst), 1)
      .catch(() => {
        // Fire and forget: tokens lost here only make the limit stricter for a moment.
      });
  }

  /**
   * Closes the connection (QUIT when connected, else a hard disconnect) and stops reconnecting.
   * Resolves once ioredis reports `end` (at most 2 s), so no socket or timer outlives it.
   */
  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    let timer: NodeJS.Timeout | undefined;
    const ended = new Promise<void>((resolve) => {
      this.redis.once('end', () => resolve());
      timer = setTimeout(resolve, 2000);
    });
    if (this.redis.status === 'ready') {
      await this.redis.quit().catch(() => this.redis.disconnect());
    } else {
      this.redis.disconnect();
    }
    await ended;
    clearTimeout(timer);
  }
}

/** PEXPIRE of a bucket: twice the time to refill from empty, at least one second. */
function expiryMs(ratePerSecond: number, burst: number): number {
  return Math.max(1000, Math.ceil((burst / ratePerSecond) * 2000));
}

/** `host:port` or `[v6]:port`; the config validator has checked it, this only splits it. */
export function parseRedisAddress(address: string): { host: string; port: number } {
  const cut = address.lastIndexOf(':');
  const port = Number(address.slice(cut + 1));
  let host = address.slice(0, cut);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (cut <= 0 || host === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new WeirError('WEIR_ERR_CONFIG_INVALID', `globalLimits.redis must be host:port, got ${JSON.stringify(address)}`, {
      pointer: '/globalLimits/redis',
    });
  }
  return { host, port };
}
