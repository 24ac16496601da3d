import type { ConfigApplier, FleetView, RolloutService } from './admin-deps';
import type { AdminReply } from './admin-reply';

/** How long `GET /admin/status` waits for the workers' in-flight counts. */
const STATS_TIMEOUT_MS = 500;

/** Options of {@link StatusApi}. */
export interface StatusApiOptions {
  readonly applier: ConfigApplier;
  readonly fleet: FleetView;
  /** Weir's version (apps/weir/package.json). */
  readonly weirVersion: string;
  /** Wall clock, epoch ms, for `primary.startedAt`. Default `Date.now`. */
  readonly wallClock?: () => number;
  /** Seconds since the process started. Default `process.uptime`. */
  readonly uptime?: () => number;
  /** The live rollout is shown as `rollout` (null without one, or without a manager). */
  readonly rollouts?: RolloutService | null;
  /** The bundle puller's status, shown as `pull` (null without a `pull` section). Default: none. */
  readonly pull?: () => object | null;
  /** The JWKS URLs of jwt plugins and their fetch state, shown as `jwks`. Default: none ([]). */
  readonly jwks?: () => readonly object[];
}

/**
 * `GET /admin/status`: the primary, the running config, the last apply (any source), the bundle
 * puller (`pull`: source, revision, last success, last error; null without one), the JWKS URLs
 * of jwt plugins (`jwks`: keys held, last fetch, last error) and one row
 * per worker slot: pid, state, version served, restarts, uptime (from `Fleet.status()`) and
 * in-flight requests (asked of each worker, `Fleet.stats()`; null when a worker did not answer
 * within 500 ms, as a busy or restarting one may not).
 */
export class StatusApi {
  private readonly applier: ConfigApplier;
  private readonly fleet: FleetView;
  private readonly weirVersion: string;
  private readonly uptime: () => number;
  private readonly startedAt: string;
  private readonly rollouts: RolloutService | null;
  private readonly pull: () => object | null;
  private readonly jwks: () => readonly object[];

  constructor(options: StatusApiOptions) {
    this.applier = options.applier;
    this.fleet = options.fleet;
    this.weirVersion = options.weirVersion;
    this.rollouts = options.rollouts ?? null;
    this.pull = options.pull ?? ((): null => null);
    this.jwks = options.jwks ?? ((): readonly object[] => []);
    this.uptime = options.uptime ?? ((): number => process.uptime());
    const wall = options.wallClock ?? Date.now;
    this.startedAt = new Date(wall() - this.uptime() * 1000).toISOString();
  }

  async getStatus(): Promise<AdminReply> {
    const stats = await this.fleet.stats(STATS_TIMEOUT_MS);
    const byPid = new Map<number, (typeof stats)[number]>();
    for (let i = 0; i < stats.length; i++) {
      const row = stats[i];
      if (row !== undefined) byPid.set(row.pid, row);
    }
    const workers = this.fleet.status().map((w) => ({
      index: w.index,
      pid: w.pid,
      state: w.state,
      version: w.version,
      restarts: w.restarts,
      uptimeMs: w.uptimeMs,
      inFlight: byPid.get(w.pid)?.inFlight ?? null,
      candidateVersion: byPid.get(w.pid)?.candidateVersion ?? null,
      candidatePercent: byPid.get(w.pid)?.candidatePercent ?? null,
    }));
    const running = this.applier.current;
    return {
      status: 200,
      body: {
        primary: {
          pid: process.pid,
          version: this.weirVersion,
          node: process.version,
          startedAt: this.startedAt,
          uptimeMs: Math.round(this.uptime() * 1000),
        },
        config:
          running === null
            ? null
            : { version: running.spec.version, hash: running.spec.hash, source: running.source, principal: running.principal },
        lastApply: this.applier.lastApply,
        rollout: this.rollouts?.current ?? null,
        pull: this.pull(),
        jwks: this.jwks(),
        workers,
      },
    };
  }
}
