import { WeirError } from '@weir/errors';
import type { Clock } from './clock';

/** Options of {@link RestartBackoff}. */
export interface RestartBackoffOptions {
  /** Delay before the first restart after a stable run. Default `100` ms. */
  readonly initialMs?: number;
  /** Largest delay; doubling stops here. Default `10000` ms. */
  readonly maxMs?: number;
  /** Multiplier between consecutive delays. Default `2`. */
  readonly factor?: number;
  /**
   * A worker that stayed up at least this long is considered healthy again: its next crash
   * restarts after `initialMs`. Default `30000` ms.
   */
  readonly resetAfterMs?: number;
}

/**
 * The restart policy of one worker slot: exponential backoff, 100 ms doubling to 10 s, reset
 * after 30 s of uptime (the shape systemd's `RestartSec` + `StartLimit*` and Erlang supervisors
 * converge on). A crash-looping worker costs one fork every 10 s at most, and a worker that
 * crashes once a day is restarted at once.
 *
 * Pure decision: the caller reports `started()` and `exited()`, and schedules the returned delay.
 */
export class RestartBackoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly resetAfterMs: number;
  private readonly clock: Clock;
  /** Consecutive short-lived runs so far. */
  private attempt = 0;
  /** When the current run started; null when not running. */
  private startedAt: number | null = null;

  constructor(clock: Clock, options: RestartBackoffOptions = {}) {
    this.clock = clock;
    this.initialMs = options.initialMs ?? 100;
    this.maxMs = options.maxMs ?? 10_000;
    this.factor = options.factor ?? 2;
    this.resetAfterMs = options.resetAfterMs ?? 30_000;
    if (!(this.initialMs >= 0 && this.maxMs >= this.initialMs && this.factor >= 1 && this.resetAfterMs >= 0)) {
      throw new WeirError('WEIR_ERR_INTERNAL', 'RestartBackoff: need 0 <= initialMs <= maxMs, factor >= 1, resetAfterMs >= 0');
    }
  }

  /** The worker (re)started now. */
  started(): void {
    this.startedAt = this.clock.now();
  }

  /** The worker exited now: returns how long to wait before restarting it. */
  exited(): number {
    const startedAt = this.startedAt;
    this.startedAt = null;
    if (startedAt !== null && this.clock.now() - startedAt >= this.resetAfterMs) this.attempt = 0;
    const delay = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempt);
    // Stop growing the exponent once the cap is reached so it can never overflow to Infinity.
    if (delay < this.maxMs) this.attempt += 1;
    return delay;
  }
}
