import type { Logger } from '@weir/obs';

/** One change attempted through the admin API: a config change, or a cache purge. */
export type AuditEntry = ConfigAuditEntry | CachePurgeAuditEntry;

/** A config change attempted through the admin API. */
export interface ConfigAuditEntry {
  /** `apply` (`POST /admin/config`) or `rollback`. */
  readonly action: 'apply' | 'rollback';
  /** The token's name. */
  readonly principal: string;
  /** The apply source recorded for it: `admin` or `rollback`. */
  readonly source: string;
  /** The client's address. */
  readonly remoteAddress: string;
  /** Version running before (null when none was, or the call failed before reading it). */
  readonly oldVersion: string | null;
  /** Version running after a success; the requested one for a failed rollback; else null. */
  readonly newVersion: string | null;
  /** `applied` (workers switched), `unchanged` (identical config) or `rejected`. */
  readonly outcome: 'applied' | 'unchanged' | 'rejected';
  /** WEIR_ERR_* code of a rejection. */
  readonly code?: string;
}

/** A response-cache purge attempted through the admin API (`POST /admin/cache/purge`). */
export interface CachePurgeAuditEntry {
  readonly action: 'purge-cache';
  /** The token's name. */
  readonly principal: string;
  /** The client's address. */
  readonly remoteAddress: string;
  /** The route named; null when the body was malformed. */
  readonly route: string | null;
  /** The exact key purged, or the prefix (one of the two, or neither for a malformed body). */
  readonly key?: string;
  readonly prefix?: string;
  /**
   * `purged` (every worker acknowledged), `partial` (some did not in time: WEIR_ERR_CACHE_PURGE_TIMEOUT)
   * or `rejected` (nothing was sent to the workers).
   */
  readonly outcome: 'purged' | 'partial' | 'rejected';
  /** Entries removed, summed over the workers that acknowledged (absent when rejected). */
  readonly purged?: number;
  /** Pids of the workers that did not acknowledge (partial only). */
  readonly missingWorkers?: readonly number[];
  /** WEIR_ERR_* code of a rejection or a partial purge. */
  readonly code?: string;
}

/**
 * The audit trail of changes (configs and cache purges): one `admin audit` log line (pino,
 * JSON) per attempted change, accepted or not, with `audit: true` so a log shipper can route
 * the lines to an append-only store. Rejections and partial purges log at `warn`. Tokens are
 * never logged, only their names.
 */
export class AuditLog {
  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger;
  }

  record(entry: AuditEntry): void {
    const fields = { audit: true, ...entry };
    if (entry.outcome === 'rejected' || entry.outcome === 'partial') this.logger.warn(fields, 'admin audit');
    else this.logger.info(fields, 'admin audit');
  }
}
