import { WeirError } from '@weir/errors';
import type { AdminReply } from './admin-reply';
import { wholeNumberParam } from './query-params';
import type { StatsSampler } from './stats-sampler';

/** `seconds` of `GET /admin/stats`: its range, and the default. */
export const STATS_SECONDS = { min: 10, max: 900, fallback: 300 } as const;

/**
 * `GET /admin/stats?seconds=N` (issue 17): the last N seconds (10-900, default 300) of the
 * request-rate, error-share and p99 series the primary samples every 2 s from the workers'
 * aggregated metrics (`StatsSampler`; reading starts the sampling).
 */
export class StatsApi {
  constructor(private readonly sampler: StatsSampler | null) {}

  getStats(query: string): AdminReply {
    const seconds = wholeNumberParam(query, 'seconds', STATS_SECONDS.min, STATS_SECONDS.max, STATS_SECONDS.fallback);
    if (this.sampler === null) throw new WeirError('WEIR_ERR_ADMIN_NOT_FOUND', 'this process serves no metrics');
    return { status: 200, body: { intervalMs: this.sampler.intervalMs, samples: this.sampler.read(seconds) } };
  }

  close(): void {
    this.sampler?.close();
  }
}
