import type { AccessLog, DataplaneMetrics, Logger } from '@weir/obs';
import type { LeaseTransport } from '@weir/limits';
import type { Clock } from './breaker/index';

/** Options of a `DataPlane`. */
export interface DataPlaneOptions {
  readonly logger: Logger;
  /** Request metrics (`createDataplaneMetrics()` from `@weir/obs`). Default: none recorded. */
  readonly metrics?: DataplaneMetrics;
  /** Randomness for weighted traffic splits, `[0, 1)`. Default `Math.random`. */
  readonly random?: () => number;
  /**
   * The monotonic clock of breakers, outlier detection and ejection deadlines (balancers compare
   * with it). Default `performance.now()`; tests pass a fake one and call `tickOutliers()`.
   */
  readonly clock?: Clock;
  /**
   * Opens the access log when a committed spec enables it, given `logging.accessLog.path`.
   * Default: `@weir/obs`'s asynchronous `AccessLog` on that path, write errors logged as warnings.
   */
  readonly openAccessLog?: (path: string) => AccessLog;
  /**
   * The secret TLS session-ticket keys are derived from, the same in every worker so clients
   * resume sessions across workers. Default: none (Node's random keys per context).
   */
  readonly tlsTicketSecret?: Buffer;
  /**
   * Where rate-limit tokens are leased: the primary over IPC (`LeaseChannel` of
   * `@weir/cluster/worker`). Default: an in-process `LeaseServer` (a data plane on its own).
   */
  readonly leases?: LeaseTransport;
  /** Workers of the host, dividing host-wide limits. Default 1. */
  readonly workers?: number;
}
