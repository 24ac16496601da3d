/** Settings of a {@link PullSchedule}; `pull.*` of the config, defaults applied. */
export interface PullScheduleSettings {
  /** Wait after a success. */
  readonly intervalMs: number;
  /** Uniform random 0 to this added to every wait. */
  readonly jitterMs: number;
  /** Cap of the failure backoff (at least `intervalMs`). */
  readonly maxBackoffMs: number;
}

/**
 * When the puller polls next: a pure decision over the outcome of the last poll, with an
 * injected random source (`() => [0, 1)`, `Math.random` in the daemon).
 *
 *     after a success (new bundle, 304, same bytes, rejected bundle):  intervalMs
 *     after the k-th failure in a row:   min(maxBackoffMs, intervalMs * 2^(k-1))
 *     then + floor(random() * (jitterMs + 1))
 *
 * The backoff starts from the interval rather than from a short base: a fleet whose source is
 * down must not poll it faster than it does when the source is up (OPA's bundle plugin makes the
 * same choice). A rejected bundle is a success here: the source answered, and the puller will
 * not download the same bytes again (ETag), so polling at the normal pace costs one 304.
 */
export class PullSchedule {
  private readonly settings: PullScheduleSettings;
  private readonly random: () => number;
  private failuresInRow = 0;

  constructor(settings: PullScheduleSettings, random: () => number = Math.random) {
    this.settings = settings;
    this.random = random;
  }

  /** Consecutive failures so far (0 after a success). */
  get failures(): number {
    return this.failuresInRow;
  }

  /** The wait, in ms, after a poll that ended with `outcome`. */
  next(outcome: 'success' | 'failure'): number {
    if (outcome === 'success') this.failuresInRow = 0;
    else this.failuresInRow++;
    return this.base() + this.jitter();
  }

  /** The wait without jitter for the current failure count. */
  private base(): number {
    const { intervalMs, maxBackoffMs } = this.settings;
    if (this.failuresInRow === 0) return intervalMs;
    // 2^(k-1) overflows to Infinity for large k; Math.min then gives the cap, as it should.
    return Math.min(Math.max(maxBackoffMs, intervalMs), intervalMs * 2 ** (this.failuresInRow - 1));
  }

  private jitter(): number {
    const { jitterMs } = this.settings;
    if (jitterMs <= 0) return 0;
    return Math.min(jitterMs, Math.floor(this.random() * (jitterMs + 1)));
  }
}
