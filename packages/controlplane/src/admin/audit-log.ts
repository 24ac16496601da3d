import type { Logger } from '@weir/obs';

/** One change attempted through the admin API. */
export interface AuditEntry {
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

/**
 * The audit trail of config changes: one `admin audit` log line (pino, JSON) per attempted
 * change, accepted or not, with `audit: true` so a log shipper can route the lines to an
 * append-only store. Rejections log at `warn`. Tokens are never logged, only their names.
 */
export class AuditLog {
  private readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger;
  }

  record(entry: AuditEntry): void {
    const fields = { audit: true, ...entry };
    if (entry.outcome === 'rejected') this.logger.warn(fields, 'admin audit');
    else this.logger.info(fields, 'admin audit');
  }
}
