import type { ConfigApplier, FleetView, RolloutService } from './admin-deps';
import type { AdminReply } from './admin-reply';
import { ChangeWatch } from './change-watch';
import { certificateRows } from './status-certificates';
import { EntityTagCondition } from './entity-tag';
import type { IntervalTimers } from './interval-timers';
import { wholeNumberParam } from './query-params';
import { statusEtag, statusTag, type StatusState } from './status-tag';

/** How long `GET /admin/status` waits for the workers' in-flight counts. */
const STATS_TIMEOUT_MS = 500;

/** Longest `?wait=` of `GET /admin/status`, in seconds (as for rollouts: below the 120 s request timeout). */
export const MAX_STATUS_WAIT_SECONDS = 60;

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
  /** Long-poll settings: check period (200 ms), most held requests (100), clock and timers. */
  readonly watch?: { readonly pollMs?: number; readonly maxHeld?: number; readonly now?: () => number; readonly timers?: IntervalTimers };
}

/**
 * `GET /admin/status`: the primary, the running config, the last apply (any source), the bundle
 * puller (`pull`: source, revision, last success, last error; null without one), the JWKS URLs
 * of jwt plugins (`jwks`: keys held, last fetch, last error), the running config's TLS
 * certificates with their expiry (`certificates`, soonest first) and one row
 * per worker slot: pid, state, version served, restarts, uptime (from `Fleet.status()`) and
 * in-flight requests (asked of each worker, `Fleet.stats()`; null when a worker did not answer
 * within 500 ms, as a busy or restarting one may not).
 *
 * Every answer carries a weak `ETag` over what a viewer must not miss (`statusTag`). A matching
 * `If-None-Match` answers 304 at once; with `?wait=SECONDS` (1-60) as well, the request is held
 * until the tag changes (checked every 200 ms from in-process state, no IPC) and answers 200
 * with the new status, or 304 when the wait ends. At most 100 requests are held; beyond, a
 * matching one answers 304 at once with `Retry-After: 1`. `close()` releases the held ones.
 */
export class StatusApi {
  private readonly applier: ConfigApplier;
  private readonly fleet: FleetView;
  private readonly weirVersion: string;
  private readonly uptime: () => number;
  private readonly wallClock: () => number;
  private readonly startedAt: string;
  private readonly rollouts: RolloutService | null;
  private readonly pull: () => object | null;
  private readonly jwks: () => readonly object[];
  private readonly watch: ChangeWatch;

  constructor(options: StatusApiOptions) {
    this.applier = options.applier;
    this.fleet = options.fleet;
    this.weirVersion = options.weirVersion;
    this.rollouts = options.rollouts ?? null;
    this.pull = options.pull ?? ((): null => null);
    this.jwks = options.jwks ?? ((): readonly object[] => []);
    this.uptime = options.uptime ?? ((): number => process.uptime());
    const wall = options.wallClock ?? Date.now;
    this.wallClock = wall;
    this.startedAt = new Date(wall() - this.uptime() * 1000).toISOString();
    this.watch = new ChangeWatch({ current: () => statusTag(this.state()), ...(options.watch ?? {}) });
  }

  /** Requests held by `?wait=` now. */
  get held(): number {
    return this.watch.held;
  }

  /**
   * @param query the request's query string (`wait`)
   * @param ifNoneMatch the `If-None-Match` header
   * @param signal aborted when the client goes away (a held request is then released)
   * @throws WeirError WEIR_ERR_BAD_REQUEST when `wait` is not 1-60
   */
  async getStatus(query = '', ifNoneMatch?: string, signal?: AbortSignal): Promise<AdminReply> {
    const wait = wholeNumberParam(query, 'wait', 1, MAX_STATUS_WAIT_SECONDS, 0);
    const condition = EntityTagCondition.parse(ifNoneMatch);
    const tag = statusTag(this.state());
    if (condition !== null && condition.matchesWeak(tag)) {
      if (wait === 0) return notModified(tag);
      const outcome = await this.watch.wait(tag, wait * 1000, signal);
      if (outcome === 'busy') return { status: 304, headers: { etag: statusEtag(tag), 'retry-after': '1' } };
      if (outcome !== 'changed') return notModified(tag);
    }
    return this.full();
  }

  /** Release every held request (304) and hold no more: shutdown. */
  close(): void {
    this.watch.close();
  }

  private state(): StatusState {
    return {
      running: this.applier.current,
      lastApply: this.applier.lastApply,
      workers: this.fleet.status(),
      rollout: this.rollouts?.current ?? null,
      pull: this.pull(),
    };
  }

  private async full(): Promise<AdminReply> {
    const stats = await this.fleet.stats(STATS_TIMEOUT_MS);
    const byPid = new Map<number, (typeof stats)[number]>();
    for (let i = 0; i < stats.length; i++) {
      const row = stats[i];
      if (row !== undefined) byPid.set(row.pid, row);
    }
    // Read after the stats round, so the body and its tag describe the same moment.
    const state = this.state();
    const workers = state.workers.map((w) => ({
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
    const running = state.running;
    return {
      status: 200,
      headers: { etag: statusEtag(statusTag(state)) },
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
        lastApply: state.lastApply,
        rollout: state.rollout,
        pull: state.pull,
        jwks: this.jwks(),
        certificates: running === null ? [] : certificateRows(running.spec, this.wallClock()),
        workers,
      },
    };
  }
}

function notModified(tag: string): AdminReply {
  return { status: 304, headers: { etag: statusEtag(tag) } };
}
