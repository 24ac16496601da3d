import { WeirError } from '@weir/errors';
import type { Logger } from '@weir/obs';
import { monotonicClock, RestartBackoff, type Clock } from '../backoff/index';
import {
  WORKER_COUNT_ENV,
  isWorkerMessage,
  type ArmSplit,
  type CachePurgeTarget,
  type EndpointHealth,
  type JwksMessage,
  type PrimaryMessage,
  type WorkerMessage,
} from '../protocol/index';
import { createClusterSpawner } from './cluster-spawner';
import type { FleetApplyResult, FleetOptions } from './fleet-options';
import { LeaseAnswers } from './lease-answers';
import { drainSlots } from './drain-slots';
import { MetricsRounds, type WorkerMetricsSample } from './metrics-rounds';
import { phaseError } from './phase-error';
import { PurgeRounds, type CachePurgeResult } from './purge-rounds';
import { PhaseRunner } from './phase-runner';
import { SharedTables } from './shared-tables';
import { StatusBoard, type WorkerStats, type WorkerStatus } from './status-board';
import { UpstreamRounds, type WorkerUpstreamStates } from './upstream-rounds';
import type { SpawnWorker, WorkerChannel } from './worker-channel';
import { WorkerSlot } from './worker-slot';
import { WorkerWatchdog } from './worker-watchdog';

/**
 * The primary's workers: supervision plus the primary's side of the two-phase apply.
 *
 * - `apply` sends `prepare` to every live worker, waits for all acks, then sends `commit`; a
 *   nack, an exit or the timeout aborts everywhere, so either every worker serves the new
 *   version or none does. Applies and worker syncs run one at a time, in order.
 * - A worker that exits unexpectedly is restarted after {@link RestartBackoff}'s delay. Each
 *   slot has its own backoff and its sync is bounded by the apply timeout, so a crash-looping
 *   worker never blocks the others.
 * - The committed snapshot's bytes are kept: a (re)started worker gets prepare + commit of it
 *   before it counts as ready, and it opens listeners only then, so it never accepts a
 *   connection without a snapshot.
 * - Rollouts: `applyCandidate` is the same two-phase apply with `target: candidate` (every
 *   worker holds the candidate beside the committed runtime, or none does); `split` and
 *   `dropCandidate` go to every ready worker in the same serial queue. The candidate's bytes
 *   and split are kept like the committed snapshot's, so a restarted worker rejoins the rollout
 *   after its sync. A stable apply (a promotion, or any apply) ends the rollout on the workers.
 */
export class Fleet {
  private readonly logger: Logger;
  private readonly spawnWorker: SpawnWorker;
  private readonly applyTimeoutMs: number;
  private readonly drainGraceMs: number;
  private readonly startTimeoutMs: number;
  private readonly clock: Clock;
  private readonly slots: WorkerSlot[] = [];
  private readonly board: StatusBoard;
  private readonly metricsRounds = new MetricsRounds();
  private readonly purgeRounds = new PurgeRounds();
  private readonly upstreamRounds = new UpstreamRounds();
  /** Tail of the serial queue of applies and syncs; never rejects. */
  private tail: Promise<unknown> = Promise.resolve();
  private readonly phases: PhaseRunner;
  private committed: { readonly bytes: Uint8Array; readonly version: string } | null = null;
  private candidate: { readonly bytes: Uint8Array; readonly version: string } | null = null;
  private armSplit: ArmSplit | null = null;
  private nextRound = 0;
  private startPromise: Promise<void> | null = null;
  private drainPromise: Promise<void> | null = null;
  /** Set as soon as a drain starts: no restart, sync or apply after that. */
  private draining = false;
  /** Health table and JWKS key sets, remembered for workers that sync. */
  private readonly tables = new SharedTables();
  private readonly watchdog: WorkerWatchdog;
  private replacements = 0;
  private readonly leases: LeaseAnswers;

  constructor(options: FleetOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) {
      throw new WeirError('WEIR_ERR_INTERNAL', `Fleet needs at least one worker, got ${String(options.workers)}`);
    }
    this.logger = options.logger;
    this.applyTimeoutMs = options.applyTimeoutMs ?? 10_000;
    this.drainGraceMs = options.drainGraceMs ?? 2_000;
    this.startTimeoutMs = options.startTimeoutMs ?? 30_000;
    this.clock = options.clock ?? monotonicClock;
    this.leases = new LeaseAnswers(options.leases ?? null, this.logger);
    // Workers learn the fleet size to divide host-wide limits (a route's maxConcurrent).
    this.spawnWorker =
      options.spawn ??
      createClusterSpawner({ exec: options.exec ?? process.argv[1] ?? '', args: options.args ?? [], env: { [WORKER_COUNT_ENV]: String(options.workers) } });
    for (let i = 0; i < options.workers; i++) this.slots.push(new WorkerSlot(i, new RestartBackoff(this.clock, options.backoff)));
    this.board = new StatusBoard(this.slots, this.clock);
    this.phases = new PhaseRunner(() => this.watchdog.resume());
    this.watchdog = new WorkerWatchdog(this.clock, {
      readySlots: () => this.attached(false),
      busy: () => this.phases.busy,
      replace: (slot, silentMs) => this.replaceStuck(slot, silentMs),
    });
  }

  /**
   * Turns the worker watchdog on (`timeoutMs` > 0) or off. Every ready worker is pinged over IPC
   * each `min(1 s, timeout / 2)`; one that leaves the pings unanswered for `timeoutMs` outside an
   * apply is replaced: a fresh process starts in its slot and is synced (committed version, then
   * a rollout's candidate), and the stuck one is killed once the fresh one serves (or after the
   * apply timeout). Under SCHED_NONE a blocked worker accepts nothing new meanwhile; it only
   * holds the connections it already had.
   */
  setWatchdog(timeoutMs: number): void {
    if (!this.draining) this.watchdog.set(timeoutMs);
  }

  /** Workers the watchdog replaced since the start. */
  get watchdogReplacements(): number {
    return this.replacements;
  }

  /** Start a fresh process in a stuck worker's slot; kill the stuck one once the fresh one serves. */
  private replaceStuck(slot: WorkerSlot, silentMs: number): void {
    const stuck = slot.channel as WorkerChannel;
    this.replacements += 1;
    slot.restarts += 1;
    this.logger.error({ workerPid: stuck.pid, silentMs, timeoutMs: this.watchdog.timeout }, 'worker unresponsive; replacing it');
    // Detached: its messages and its exit are ignored from now on (the handlers compare channels).
    slot.channel = null;
    this.spawn(slot);
    const fresh = slot.channel as WorkerChannel | null;
    void this.board.waitFor(() => slot.channel !== fresh || slot.state === 'ready', this.applyTimeoutMs + this.startTimeoutMs).then(() => {
      stuck.kill('SIGKILL');
      this.logger.warn({ workerPid: stuck.pid, replacedBy: fresh?.pid ?? null }, 'unresponsive worker killed');
    });
  }

  /** Number of worker slots. */
  get size(): number {
    return this.slots.length;
  }

  /** Version of the last committed snapshot, null before the first. */
  get committedVersion(): string | null {
    return this.committed?.version ?? null;
  }

  /**
   * Fork every worker. Resolves once each has said hello (or exited once, to be restarted), so
   * the first `apply` finds them, or after `startTimeoutMs` at the latest; idempotent.
   */
  start(): Promise<void> {
    if (this.draining) return Promise.resolve();
    if (this.startPromise === null) {
      this.startPromise = this.board.waitFor(() => this.slots.every((s) => s.settledOnce), this.startTimeoutMs).then(() => undefined);
      for (let i = 0; i < this.slots.length; i++) this.spawn(this.slots[i] as WorkerSlot);
    }
    return this.startPromise;
  }

  /**
   * Two-phase apply of encoded spec bytes to every ready worker. Rejects with
   * WEIR_ERR_APPLY_REJECTED (a worker refused or exited; the message names its pid and reason),
   * WEIR_ERR_APPLY_TIMEOUT, WEIR_ERR_NO_WORKERS or WEIR_ERR_DRAINING; then no worker changed.
   */
  apply(spec: Uint8Array, version: string, options: { readonly timeoutMs?: number } = {}): Promise<FleetApplyResult> {
    return this.enqueue(() => this.runApply(spec, version, options.timeoutMs ?? this.applyTimeoutMs));
  }

  /** Version of the rollout candidate the workers hold, null without one. */
  get candidateVersion(): string | null {
    return this.candidate?.version ?? null;
  }

  /**
   * Two-phase apply of a rollout candidate: every ready worker assembles it beside its committed
   * runtime and, on commit, publishes it with no share. Rejects like `apply`; then no worker
   * holds it.
   */
  applyCandidate(spec: Uint8Array, version: string, options: { readonly timeoutMs?: number } = {}): Promise<FleetApplyResult> {
    return this.enqueue(() => this.runApply(spec, version, options.timeoutMs ?? this.applyTimeoutMs, true));
  }

  /** Sends `split.percent` of requests to the candidate on every worker (kept for restarts). */
  split(split: ArmSplit): Promise<void> {
    return this.enqueue(() => {
      if (this.candidate === null) return Promise.resolve();
      this.armSplit = split;
      this.broadcast({ type: 'weir:split', percent: split.percent, sticky: split.sticky });
      return Promise.resolve();
    });
  }

  /** Drops the candidate on every worker (each retires it after its last request). */
  dropCandidate(): Promise<void> {
    return this.enqueue(() => {
      this.candidate = null;
      this.armSplit = null;
      this.broadcast({ type: 'weir:drop-candidate' });
      return Promise.resolve();
    });
  }

  /**
   * Resolves true once every slot runs a process that serves `version` (default: whatever
   * version is committed at that moment, so an apply in between does not strand the wait), or
   * false if the fleet starts draining first. A slot stuck in a crash loop keeps it pending.
   */
  async whenServing(version?: string): Promise<boolean> {
    await this.board.waitFor(() => {
      if (this.draining) return true;
      const wanted = version ?? this.committed?.version;
      return wanted !== undefined && this.slots.every((s) => s.state === 'ready' && s.version === wanted);
    });
    return !this.draining;
  }

  /** One row per slot: pid, state, version served, restarts, uptime. */
  status(): WorkerStatus[] {
    return this.board.status();
  }

  /** Ask every ready worker for its version and in-flight count; missing answers are omitted. */
  stats(timeoutMs = 1_000): Promise<WorkerStats[]> {
    return this.board.collectStats(++this.nextRound, timeoutMs);
  }

  /**
   * Ask every worker that has attached (said hello) for its metrics, and resolve with the
   * answers that arrive within `timeoutMs` (default 2000 ms); a worker that exits meanwhile is
   * left out at once. For the primary's aggregated `/metrics` (`MetricsAggregator`).
   */
  collectMetrics(timeoutMs = 2_000): Promise<WorkerMetricsSample[]> {
    const targets = this.attached(true);
    return this.metricsRounds.collect(++this.nextRound, targets, timeoutMs);
  }

  /**
   * Asks every ready worker for its committed runtime's upstream state (issue 17, admin
   * `GET /admin/upstreams`): per upstream the breaker state, per endpoint whether outlier
   * detection ejected it and the requests in flight to it. Workers answer at once, not behind an
   * apply; those that do not answer within `timeoutMs` (default 1000 ms) are left out.
   */
  upstreamStates(timeoutMs = 1_000): Promise<WorkerUpstreamStates[]> {
    if (this.draining) return Promise.resolve([]);
    const targets = this.attached(false);
    return this.upstreamRounds.ask(++this.nextRound, targets, timeoutMs);
  }

  /**
   * Removes entries of route `route`'s response cache on every worker (issue 10, admin
   * `POST /admin/cache/purge`): the entries of exactly `target.key`, or every key starting with
   * `target.prefix`. Resolves once every ready worker (and every syncing one, which may already
   * serve) has acknowledged, exited, or `timeoutMs` (default 5000 ms) has passed; `missing`
   * names the workers that did not answer, whose caches may still hold the entries. Workers
   * answer at once, not behind an apply in progress. Not queued behind applies either: a purge
   * during an apply reaches the runtimes each worker holds at that moment.
   *
   * @throws WeirError WEIR_ERR_DRAINING once the fleet drains.
   */
  purgeCache(route: string, target: CachePurgeTarget, timeoutMs = 5_000): Promise<CachePurgeResult> {
    if (this.draining) return Promise.reject(new WeirError('WEIR_ERR_DRAINING', 'the fleet is draining; cache purge refused'));
    const targets = this.attached(true);
    return this.purgeRounds.purge(++this.nextRound, targets, route, target, timeoutMs);
  }

  /**
   * Publishes active health-check results to the workers (issue 4: one checker per host, in the
   * primary). `updates` go at once to every attached worker, and are remembered: a worker that
   * (re)starts receives the whole table with its snapshot, between prepare and commit. With
   * `replace`, the table becomes exactly `updates` (the checker's full table after an apply,
   * which drops endpoints no longer checked); otherwise they are merged in.
   */
  publishHealth(updates: readonly EndpointHealth[], replace = false): void {
    const message = this.tables.setHealth(updates, replace);
    // Syncing workers too: one whose table went out before this change would miss it
    // otherwise; one that has not prepared yet ignores it and gets it in its table.
    if (message !== null) this.broadcast(message, true);
  }

  /**
   * Publishes the key set fetched from a JWKS URL to every worker (JWT plugins read it per
   * verification), and remembers it for workers that (re)start. `null` forgets the URL.
   */
  publishJwks(url: string, jwks: JwksMessage['jwks'] | null): void {
    const message = this.tables.setJwks(url, jwks);
    if (message !== null) this.broadcast(message, true);
  }

  /** The health table as last published (one entry per checked endpoint). */
  healthTable(): EndpointHealth[] {
    return this.tables.healthTable();
  }

  /**
   * Stop restarting workers, tell each to drain (stop accepting, finish in-flight requests for up
   * to `timeoutMs`, exit 0), and resolve once all have exited. Workers still alive after
   * `timeoutMs` + grace are killed with SIGKILL. Idempotent.
   */
  drain(timeoutMs: number): Promise<void> {
    if (this.drainPromise === null) {
      this.draining = true;
      this.watchdog.stop();
      this.drainPromise = drainSlots(this.slots, this.board, this.logger, timeoutMs, this.drainGraceMs);
    }
    return this.drainPromise;
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private spawn(slot: WorkerSlot): void {
    slot.restartTimer = null;
    slot.state = 'starting';
    slot.version = null;
    let channel: WorkerChannel | null = null;
    try {
      channel = this.spawnWorker(slot.index, {
        message: (message) => {
          if (channel !== null && slot.channel === channel && isWorkerMessage(message)) this.onMessage(slot, channel, message);
        },
        exit: (code, signal) => {
          if (channel !== null && slot.channel === channel) this.onExit(slot, code, signal);
        },
      });
    } catch (err) {
      this.logger.error({ err }, 'worker fork failed');
      slot.settledOnce = true;
      this.scheduleRestart(slot, null, null);
      return;
    }
    slot.channel = channel;
    slot.pid = channel.pid;
    slot.startedAt = this.clock.now();
    slot.backoff.started();
    this.watchdog.seen(channel);
    this.logger.info({ workerPid: channel.pid }, 'worker started');
    this.board.changed();
  }

  private onMessage(slot: WorkerSlot, channel: WorkerChannel, message: WorkerMessage): void {
    switch (message.type) {
      case 'weir:hello':
        if (slot.state !== 'starting' || this.draining) return;
        slot.state = 'syncing';
        slot.settledOnce = true;
        this.board.changed();
        void this.enqueue(() => this.sync(slot, channel));
        return;
      case 'weir:stats-result':
        this.board.statsResult(slot, message);
        return;
      case 'weir:metrics-result':
        this.metricsRounds.result(slot, message);
        return;
      case 'weir:cache-purged':
        this.purgeRounds.result(slot, message);
        return;
      case 'weir:upstreams-result':
        this.upstreamRounds.result(slot, message);
        return;
      case 'weir:pong':
        this.watchdog.seen(channel);
        return;
      case 'weir:lease':
        this.leases.answer(channel, message.id, message.request);
        return;
      case 'weir:lease-return':
        this.leases.giveBack(message.ret);
        return;
      default:
        this.phases.deliver(slot, message);
    }
  }

  private onExit(slot: WorkerSlot, code: number | null, signal: string | null): void {
    const pid = slot.pid;
    if (slot.channel !== null) this.watchdog.forget(slot.channel);
    slot.channel = null;
    slot.settledOnce = true;
    this.phases.exited(slot, code, signal);
    this.metricsRounds.exited(slot);
    this.purgeRounds.exited(slot);
    this.upstreamRounds.exited(slot);
    if (this.draining) {
      slot.state = 'stopped';
      this.logger.info({ workerPid: pid, code, signal, restartInMs: null }, 'worker exited');
      this.board.changed();
      return;
    }
    this.scheduleRestart(slot, code, signal);
  }

  private scheduleRestart(slot: WorkerSlot, code: number | null, signal: string | null): void {
    const delay = slot.backoff.exited();
    slot.state = 'backoff';
    slot.restarts += 1;
    this.logger.warn({ workerPid: slot.pid, code, signal, restartInMs: delay }, 'worker exited');
    slot.restartTimer = setTimeout(() => this.spawn(slot), delay);
    this.board.changed();
  }

  /** Bring a freshly started worker to the committed snapshot (runs in the serial queue). */
  private async sync(slot: WorkerSlot, channel: WorkerChannel): Promise<void> {
    if (slot.channel !== channel || this.draining) return;
    const committed = this.committed;
    if (committed === null) {
      // Nothing committed yet: the worker idles without listeners until the first apply.
      slot.state = 'ready';
      this.board.changed();
      return;
    }
    if (!(await this.syncOne(slot, channel, committed, false))) return;
    this.markServing(slot, committed.version);
    const candidate = this.candidate;
    if (candidate === null || !(await this.syncOne(slot, channel, candidate, true))) return;
    if (this.armSplit !== null) channel.send({ type: 'weir:split', percent: this.armSplit.percent, sticky: this.armSplit.sticky });
  }

  /**
   * Prepare and commit one snapshot (the committed one, or a rollout's candidate) on one worker.
   * A refusal or a missing confirmation kills the worker (its restart goes through backoff, so
   * a worker that can never load the snapshot crash-loops slowly instead of serving nothing
   * while looking alive). Resolves whether it committed.
   */
  private async syncOne(slot: WorkerSlot, channel: WorkerChannel, snapshot: { readonly bytes: Uint8Array; readonly version: string }, candidate: boolean): Promise<boolean> {
    const id = ++this.nextRound;
    const prepared = await this.phases.prepare(id, [slot], prepareMessage(id, snapshot.bytes, candidate), this.applyTimeoutMs);
    let done = false;
    if (prepared.failure === null) {
      // Health before the commit: the prepared runtime already holds its endpoints' state, and
      // the channel is ordered, so the worker serves its first request knowing what is down.
      if (!candidate) this.tables.syncTo((message) => channel.send(message));
      done = (await this.phases.commit(id, [slot], this.applyTimeoutMs)).replies.has(slot);
    } else {
      channel.send({ type: 'weir:abort', id });
    }
    if (!done && slot.channel === channel) {
      const what = candidate ? 'the rollout candidate' : 'the committed snapshot';
      const err = prepared.failure === null ? undefined : phaseError(prepared.failure, snapshot.version);
      this.logger.error({ workerPid: channel.pid, version: snapshot.version, err }, `worker rejected ${what}`);
      channel.kill('SIGKILL');
    }
    return done;
  }

  /** Sends `message` to every ready worker, and with `syncing` to those being synced too (not while draining). */
  private broadcast(message: PrimaryMessage, syncing = false): void {
    if (this.draining) return;
    for (const slot of this.attached(syncing)) slot.channel?.send(message);
  }

  /** Workers with a channel that are ready, or (with `syncing`) ready or being synced. */
  private attached(syncing: boolean): WorkerSlot[] {
    return this.slots.filter((s) => s.channel !== null && (s.state === 'ready' || (syncing && s.state === 'syncing')));
  }

  private async runApply(bytes: Uint8Array, version: string, timeoutMs: number, candidate = false): Promise<FleetApplyResult> {
    if (this.draining) throw new WeirError('WEIR_ERR_DRAINING', 'the fleet is draining; apply refused');
    const targets = this.attached(false);
    if (targets.length === 0) throw new WeirError('WEIR_ERR_NO_WORKERS', `no worker is ready to apply version ${version} to`);
    const id = ++this.nextRound;
    const prepared = await this.phases.prepare(id, targets, prepareMessage(id, bytes, candidate), timeoutMs);
    if (prepared.failure !== null) {
      for (let i = 0; i < targets.length; i++) targets[i]?.channel?.send({ type: 'weir:abort', id });
      throw phaseError(prepared.failure, version);
    }
    // Point of no return: from here a worker that (re)starts gets this snapshot (or candidate).
    // A stable commit ends any rollout on the workers, so the fleet forgets its candidate too.
    if (candidate) {
      this.candidate = { bytes, version };
      this.armSplit = null;
    } else {
      this.committed = { bytes, version };
      this.candidate = null;
      this.armSplit = null;
    }
    const committed = await this.phases.commit(id, targets, timeoutMs);
    if (!candidate) for (const slot of committed.replies.keys()) this.markServing(slot, version);
    for (let i = 0; i < committed.pending.length; i++) {
      const slot = committed.pending[i] as WorkerSlot;
      // It acked but never confirmed the commit: its state is unknown, so replace it.
      this.logger.error({ workerPid: slot.pid, version }, 'worker did not confirm commit; restarting it');
      slot.channel?.kill('SIGKILL');
    }
    const first = prepared.replies.values().next();
    return { version, listeners: first.done === true ? [] : first.value.listeners };
  }

  private markServing(slot: WorkerSlot, version: string): void {
    const first = slot.version === null;
    slot.version = version;
    slot.state = 'ready';
    if (first) this.logger.info({ workerPid: slot.pid, version }, 'worker ready');
    this.board.changed();
  }
}

/** `weir:prepare` of round `id` for the committed runtime, or for a rollout's candidate. */
function prepareMessage(id: number, spec: Uint8Array, candidate: boolean): PrimaryMessage {
  return candidate ? { type: 'weir:prepare', id, spec, target: 'candidate' } : { type: 'weir:prepare', id, spec };
}
