import { nodeIntervalTimers, type IntervalTimers } from './interval-timers';
import { readRequestTotals, statsSample, type ArmSnapshot, type RequestFamilyLike, type StatsSample } from './stats-window';

/** Options of {@link StatsSampler}. */
export interface StatsSamplerOptions {
  /** The workers' metrics aggregated as for `/metrics` (`MetricsAggregator.families`). */
  readonly families: () => Promise<readonly RequestFamilyLike[]>;
  /** Whether a rollout is live (its candidate arm is then always reported). Default: never. */
  readonly candidateLive?: () => boolean;
  /** Sampling period. Default 2000 ms. */
  readonly intervalMs?: number;
  /** How much history the ring keeps. Default 900000 ms (15 minutes). */
  readonly keepMs?: number;
  /** Sampling stops when nobody read the series for this long. Default 60000 ms. */
  readonly idleMs?: number;
  /** Monotonic milliseconds (intervals, idleness). Default `performance.now`. */
  readonly now?: () => number;
  /** Wall clock, epoch ms (`at`). Default `Date.now`. */
  readonly wallClock?: () => number;
  readonly timers?: IntervalTimers;
}

interface Reading {
  readonly totals: ArmSnapshot;
  readonly at: number;
}

/**
 * The time series of `GET /admin/stats` (issue 17): every `intervalMs` the primary reads the
 * workers' aggregated request metrics (the collection `/metrics` serves, one IPC round to every
 * worker) and keeps one sample per interval in a fixed ring of `keepMs / intervalMs` slots.
 *
 * Sampling runs on demand: the first read starts it (taking a baseline at once), and it stops
 * when nobody has read for `idleMs`. A collection costs an IPC round plus an aggregation over
 * every route's series, which an idle daemon with a big config should not pay every 2 s; the
 * price is a gap in the series while nobody watches (samples carry `at`, so a chart shows it),
 * and an empty series for the first interval after a pause. A tick that finds the previous
 * collection still running is skipped.
 */
export class StatsSampler {
  private readonly families: () => Promise<readonly RequestFamilyLike[]>;
  private readonly candidateLive: () => boolean;
  readonly intervalMs: number;
  private readonly idleMs: number;
  private readonly now: () => number;
  private readonly wallClock: () => number;
  private readonly timers: IntervalTimers;
  /** Ring of samples with their wall time; `next` is where the next one goes. */
  private readonly ring: ({ readonly atMs: number; readonly sample: StatsSample } | null)[];
  private next = 0;
  private timer: unknown = null;
  private baseline: Reading | null = null;
  private lastRead = -Infinity;
  private collecting: Promise<void> | null = null;
  private closed = false;

  constructor(options: StatsSamplerOptions) {
    this.families = options.families;
    this.candidateLive = options.candidateLive ?? ((): boolean => false);
    this.intervalMs = options.intervalMs ?? 2_000;
    this.idleMs = options.idleMs ?? 60_000;
    this.now = options.now ?? ((): number => performance.now());
    this.wallClock = options.wallClock ?? Date.now;
    this.timers = options.timers ?? nodeIntervalTimers;
    this.ring = new Array<null>(Math.max(1, Math.ceil((options.keepMs ?? 900_000) / this.intervalMs))).fill(null);
  }

  /** True while the timer runs. */
  get sampling(): boolean {
    return this.timer !== null;
  }

  /**
   * The samples of the last `seconds` (by wall clock), oldest first; starts or keeps sampling.
   */
  read(seconds: number): StatsSample[] {
    this.lastRead = this.now();
    if (this.timer === null && !this.closed) {
      this.timer = this.timers.setInterval(() => void this.tick(), this.intervalMs);
      void this.tick();
    }
    const since = this.wallClock() - seconds * 1000;
    const out: StatsSample[] = [];
    for (let i = 0; i < this.ring.length; i++) {
      const slot = this.ring[(this.next + i) % this.ring.length];
      if (slot !== null && slot !== undefined && slot.atMs >= since) out.push(slot.sample);
    }
    return out;
  }

  /** One sampling step: what the timer runs (tests call it directly). Never rejects. */
  tick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.now() - this.lastRead > this.idleMs) {
      this.stop();
      return Promise.resolve();
    }
    if (this.collecting !== null) return this.collecting;
    this.collecting = this.collect().finally(() => {
      this.collecting = null;
    });
    return this.collecting;
  }

  /** Stop sampling for good (shutdown). */
  close(): void {
    this.closed = true;
    this.stop();
  }

  private stop(): void {
    if (this.timer !== null) this.timers.clearInterval(this.timer);
    this.timer = null;
    // The next start takes a fresh baseline: a delta across the pause is not one interval.
    this.baseline = null;
  }

  private async collect(): Promise<void> {
    const at = this.now();
    const wall = this.wallClock();
    let totals: ArmSnapshot;
    try {
      totals = readRequestTotals(await this.families());
    } catch {
      // No sample this interval (the /metrics scrape reports collection problems).
      return;
    }
    // Stopped meanwhile: this reading belongs to no running series.
    if (this.timer === null) return;
    const previous = this.baseline;
    this.baseline = { totals, at };
    if (previous === null) return;
    const sample = statsSample(previous.totals, totals, at - previous.at, new Date(wall).toISOString(), this.candidateLive());
    this.ring[this.next] = { atMs: wall, sample };
    this.next = (this.next + 1) % this.ring.length;
  }
}
