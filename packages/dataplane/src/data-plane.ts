import type { ServerResponse, IncomingMessage } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { yieldToEventLoop, type Spec, type ListenerSpec } from '@weir/runtime';
import { AccessLog, type DataplaneMetrics, type Logger } from '@weir/obs';
import { WeirError, isWeirError } from '@weir/errors';
import { assembleAsync, outlierTickMs, tickOutliers, type WorkerRuntime } from './assemble/index';
import { ArmedRuntimes, type ArmSettings } from './arm/index';
import { monotonicClock, type Clock } from './breaker/index';
import { EndpointRegistry, endpointStateKeyOf, type EndpointState } from './registry/index';
import { H2ProxyResponse, ProxyHandler, ProxyResponse } from './proxy/index';
import { ListenerSet, listenerKey, type BoundListener } from './server/index';
import { buildListenerTls, type ListenerTls } from './tls/index';
import { TunnelHandler } from './tunnel/index';
import { WorkerPolicy, readUpstreamStates, type UpstreamStateReading } from './assemble/index';
import type { DataPlaneOptions } from './data-plane-options';
import type { DataPlaneStats, EndpointHealthUpdate, PrepareResult, PrepareTarget } from './data-plane-types';

/** Longest a drain waits for the last spans to reach the collector (issue 18). */
const TRACE_DRAIN_MS = 2_000;

export type { DataPlaneOptions } from './data-plane-options';
export type { DataPlaneStats, EndpointHealthUpdate, PrepareResult, PrepareTarget } from './data-plane-types';

/** What a prepared-but-not-committed version holds. */
interface Pending {
  readonly spec: Spec;
  readonly runtime: WorkerRuntime;
  /** Keys of listeners this prepare opened (closed again on abort). */
  readonly opened: readonly string[];
  readonly target: PrepareTarget;
  /** Certificate stores of the spec's TLS listeners, by listener key (handed over at commit). */
  readonly tls: ReadonlyMap<string, ListenerTls>;
}


/**
 * The worker's data plane: what the worker app hands to the cluster agent as its snapshot sink.
 *
 * ```
 *   prepare(spec)  assemble a pending runtime, open new listeners   -> ack {version, listeners}
 *                  (any failure: close what it opened, retire the runtime, throw -> nack)
 *   commit()       publish the pending runtime (new requests use it; the old one retires after
 *                  its last request), apply limits/names to kept listeners, close removed ones
 *   abort()        drop the pending runtime and the listeners its prepare opened
 *   drain(ms)      SIGTERM: stop accepting, finish in-flight requests up to ms, close everything
 *
 *   rollouts:      prepare(spec, 'candidate') assembles a candidate beside the committed runtime
 *                  (same listeners, its own metrics arm); commit() publishes it with no share;
 *                  split({percent, sticky}) sends that share of requests to it; dropCandidate()
 *                  or any stable commit (a promotion is one) ends the split
 * ```
 *
 * Listeners opened by `prepare` accept connections at once (a socket cannot listen without
 * accepting); until `commit` their requests run on the committed runtime, by listener name.
 */
export class DataPlane {
  private readonly logger: Logger;
  private readonly metrics: DataplaneMetrics | null;
  private readonly random: (() => number) | undefined;
  private readonly clock: Clock;
  /** The shared, unref'd timer that ticks the committed runtime's outlier detectors. */
  private outlierTimer: NodeJS.Timeout | null = null;
  private outlierPeriod = 0;
  private readonly openAccessLog: (path: string) => AccessLog;
  private readonly ticketSecret: Buffer | null;
  private readonly runtimes: ArmedRuntimes;
  private readonly registry = new EndpointRegistry();
  private readonly handler: ProxyHandler;
  /** Upgrade requests (WebSocket tunnels); see `tunnel/`. */
  private readonly tunnels: TunnelHandler;
  private readonly listeners: ListenerSet;
  private pending: Pending | null = null;
  private committed: Spec | null = null;
  private accessLog: AccessLog | null = null;
  private accessLogPath: string | null = null;
  private draining = false;
  private preparing = false;
  /**
   * Bumped by `abort()`: a prepare still assembling when it changes (or when `drain()` starts)
   * stops at its next slice and releases what it took.
   */
  private buildGeneration = 0;
  /** Leases, gates, JWKS key sets, mirror senders and caches, shared by every runtime. */
  private readonly policy: WorkerPolicy;

  constructor(options: DataPlaneOptions) {
    this.logger = options.logger;
    this.metrics = options.metrics ?? null;
    this.random = options.random;
    this.clock = options.clock ?? monotonicClock;
    this.ticketSecret = options.tlsTicketSecret ?? null;
    this.policy = new WorkerPolicy({
      logger: this.logger,
      metrics: this.metrics,
      now: () => this.clock.now(),
      ...(options.leases === undefined ? {} : { leases: options.leases }),
      ...(options.workers === undefined ? {} : { workers: options.workers }),
    });
    this.openAccessLog =
      options.openAccessLog ??
      ((path: string) =>
        new AccessLog({ path, onError: (err) => this.logger.warn({ err, path }, 'access log write failed') }));
    this.runtimes = new ArmedRuntimes(
      (err, runtime) => this.logger.error({ err, version: runtime.version }, 'retiring a runtime failed'),
      options.random,
    );
    this.handler = new ProxyHandler({
      runtimes: this.runtimes,
      metrics: this.metrics,
      onInternalError: (err) => this.logger.error({ err }, 'request failed inside the proxy'),
    });
    const handler = this.handler;
    const tunnels = new TunnelHandler({
      runtimes: this.runtimes,
      metrics: this.metrics,
      // `?? null`: test doubles of DataplaneMetrics may lack the tunnel metrics.
      tunnelMetrics: this.metrics === null ? null : (this.metrics.tunnels ?? null),
      onInternalError: (err) => this.logger.error({ err }, 'upgrade failed inside the proxy'),
      accessLogs: handler,
      plain: (listener, req, res) => handler.handle(listener, req, res),
    });
    this.tunnels = tunnels;
    this.listeners = new ListenerSet({
      serverResponse: ProxyResponse as unknown as typeof ServerResponse,
      http2ServerResponse: H2ProxyResponse as unknown as typeof Http2ServerResponse,
      now: () => this.clock.now(),
      onRequest: (listener: string, req: IncomingMessage, res: ServerResponse) =>
        handler.handle(listener, req, res as ProxyResponse),
      readiness: () => (this.draining ? null : (this.runtimes.current()?.version ?? null)),
      // Open tunnels hold their runtime too, but the listeners' drain does not wait for them:
      // they get the drain timeout, then `drain()` closes them (see there).
      inFlight: () => this.runtimes.inFlight() - tunnels.tunnels.size,
      onUpgrade: (listener, req, socket, head) => tunnels.handle(listener, req, socket, head),
      ...(this.metrics === null ? {} : { connections: this.metrics, edge: this.metrics.edge }),
    });
  }

  /**
   * Builds a runtime for `spec` without serving it, and opens the listeners the spec adds.
   * A prepared version not yet committed is aborted first. Rejects with a WeirError
   * (WEIR_ERR_LISTEN when a listener cannot bind, WEIR_ERR_DRAINING while draining,
   * WEIR_ERR_APPLY_BUSY while another prepare is still running, WEIR_ERR_INTERNAL when assembly
   * fails), after undoing everything it did.
   *
   * With `target` `candidate` it builds a rollout's candidate beside the committed runtime
   * instead: no listener is opened (a candidate serves the stable listeners; the primary refuses
   * rollouts that change listeners), and its request metrics carry the `candidate` arm.
   */
  async prepare(spec: Spec, target: PrepareTarget = 'stable'): Promise<PrepareResult> {
    if (this.draining) throw new WeirError('WEIR_ERR_DRAINING', 'the worker is draining');
    if (this.preparing) throw new WeirError('WEIR_ERR_APPLY_BUSY', 'another prepare is still running');
    this.preparing = true;
    try {
      return target === 'candidate' ? await this.prepareCandidate(spec) : await this.prepareNow(spec);
    } finally {
      this.preparing = false;
    }
  }

  private async prepareCandidate(spec: Spec): Promise<PrepareResult> {
    this.abort();
    const stable = this.runtimes.current();
    if (stable === null) throw new WeirError('WEIR_ERR_INTERNAL', 'a rollout candidate needs a committed version beside it');
    const runtime = await this.assembleRuntime(spec, 'candidate');
    this.pending = { spec, runtime, opened: [], target: 'candidate', tls: new Map() };
    const bound = this.listeners.list().map((l) => ({ name: l.name, address: l.address, port: l.port }));
    return { version: spec.version, listeners: bound };
  }

  /**
   * Assembles in slices (`assembleAsync`, issue 15): a 100,000-route runtime takes about a
   * second of CPU, and the worker keeps serving requests between slices. An `abort()` or
   * `drain()` during the build cancels it at the next slice; the build then releases its pools
   * and endpoint states and this rejects (WEIR_ERR_APPLY_REJECTED, WEIR_ERR_DRAINING).
   */
  private async assembleRuntime(spec: Spec, arm: PrepareTarget): Promise<WorkerRuntime> {
    const generation = this.buildGeneration;
    // A promotion (the running rollout's candidate applied as the stable version) carries the
    // candidate's breakers and outlier state over, including those of upstreams only it has.
    const candidate = this.runtimes.currentCandidate();
    const previous = arm === 'stable' && candidate !== null && candidate.version === spec.version ? candidate : this.runtimes.current();
    const runtime = await assembleAsync(
      spec,
      previous,
      {
        registry: this.registry,
        metrics: this.metrics,
        clock: this.clock,
        arm,
        policy: this.policy.deps,
        ...(this.random === undefined ? {} : { random: this.random }),
      },
      async () => {
        await yieldToEventLoop();
        this.checkBuild(generation);
      },
    );
    try {
      this.checkBuild(generation);
    } catch (err) {
      runtime.retire();
      throw err;
    }
    return runtime;
  }

  /** Throws when the build started at `generation` was aborted or the worker drains. */
  private checkBuild(generation: number): void {
    if (this.draining) throw new WeirError('WEIR_ERR_DRAINING', 'the worker started draining during prepare');
    if (generation !== this.buildGeneration) {
      throw new WeirError('WEIR_ERR_APPLY_REJECTED', 'the prepare was aborted while its runtime was assembling');
    }
  }

  private async prepareNow(spec: Spec): Promise<PrepareResult> {
    this.abort();
    const runtime = await this.assembleRuntime(spec, 'stable');
    const opened: string[] = [];
    const bound: BoundListener[] = [];
    const tls = new Map<string, ListenerTls>();
    try {
      for (let i = 0; i < spec.listeners.length; i++) {
        const l = spec.listeners[i] as ListenerSpec;
        const store = l.protocol === 'tls' ? buildListenerTls(spec, l, this.ticketSecret) : null;
        if (store !== null) tls.set(listenerKey(l), store);
        const existing = this.listeners.get(listenerKey(l));
        if (existing !== undefined) {
          bound.push({ name: l.name, address: existing.address, port: existing.port });
          continue;
        }
        const b = await this.listeners.open(l, store);
        opened.push(listenerKey(l));
        bound.push(b);
      }
      // drain() may have started while a listener was opening.
      if (this.draining) throw new WeirError('WEIR_ERR_DRAINING', 'the worker started draining during prepare');
    } catch (err) {
      await Promise.all(opened.map((key) => this.listeners.close(key)));
      runtime.retire();
      throw isWeirError(err) ? err : new WeirError('WEIR_ERR_LISTEN', 'cannot open listeners', { cause: err });
    }
    this.pending = { spec, runtime, opened, target: 'stable', tls };
    return { version: spec.version, listeners: bound };
  }

  /**
   * Serves the prepared version: publishes its runtime (atomically, for new requests), gives
   * kept listeners their new names and limits, closes listeners the spec no longer has (their
   * in-flight requests finish), and switches the access log if the spec changed it. A stable
   * commit ends a rollout's split: the candidate retires after its last request.
   *
   * A prepared candidate is published beside the committed runtime with no share (`split`
   * gives it one).
   * @throws WeirError WEIR_ERR_INTERNAL when nothing is prepared.
   */
  commit(): void {
    const p = this.pending;
    if (p === null) throw new WeirError('WEIR_ERR_INTERNAL', 'commit without a prepared version');
    this.pending = null;
    if (p.target === 'candidate') {
      this.runtimes.dropCandidate();
      this.runtimes.publishCandidate(p.runtime);
      this.logger.info({ version: p.spec.version }, 'rollout candidate ready');
      return;
    }
    this.runtimes.dropCandidate();
    this.runtimes.stable.publish(p.runtime);
    this.handler.releaseHeld();
    this.committed = p.spec;
    this.scheduleOutlierTicks(p.runtime);
    const keep = new Set<string>();
    for (let i = 0; i < p.spec.listeners.length; i++) {
      const l = p.spec.listeners[i] as ListenerSpec;
      keep.add(listenerKey(l));
      this.listeners.configure(l, p.tls.get(listenerKey(l)) ?? null);
    }
    const listeners = this.listeners.list();
    for (let i = 0; i < listeners.length; i++) {
      const l = listeners[i]!;
      if (!keep.has(l.key)) void this.listeners.close(l.key);
    }
    this.switchAccessLog(p.spec);
    if (this.metrics !== null) {
      this.metrics.setConfigVersion(p.spec.version);
      this.metrics.edge.setCertificates(p.spec.certificates);
    }
    this.logger.info({ version: p.spec.version }, 'config version committed');
  }

  /**
   * Drops the prepared version, if any: its runtime retires, listeners it opened close. A prepare
   * still assembling its runtime stops at its next slice, releases what it took and rejects.
   */
  abort(): void {
    this.buildGeneration++;
    const p = this.pending;
    if (p === null) return;
    this.pending = null;
    if (this.runtimes.current() === null) this.handler.rejectHeld();
    for (let i = 0; i < p.opened.length; i++) void this.listeners.close(p.opened[i] as string);
    p.runtime.retire();
  }

  /**
   * Shuts the data plane down: readiness turns 503, listeners stop accepting, responses ask for
   * `Connection: close`, requests in flight get up to `timeoutMs` to finish, then every
   * connection, runtime and pool is closed and the access log flushed. New upgrade requests get
   * 503 WEIR_ERR_DRAINING; open tunnels get the same `timeoutMs` to end on their own and are
   * closed when it expires (they never make the drain last longer).
   */
  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    this.scheduleOutlierTicks(null);
    this.policy.close();
    this.abort();
    // Tunnels (WebSocket) are long-lived: they may end on their own within the drain timeout,
    // and whatever is still open when it expires is closed (issue 8). A server's close waits
    // for its tunnels' sockets, so the deadline timer runs beside the listeners' drain.
    this.tunnels.draining = true;
    const tunnelDeadline = setTimeout(closeTunnels, timeoutMs, this.tunnels);
    try {
      await this.listeners.drain(timeoutMs);
    } finally {
      clearTimeout(tunnelDeadline);
    }
    await this.tunnels.tunnels.closeAll();
    this.handler.uploads.close();
    await this.runtimes.retireAll();
    // Client connections are gone, so whatever an upstream still sends has no reader: destroy.
    await this.registry.close(true);
    // Spans of the last requests still go out, within a bounded time (issue 18).
    await this.policy.closeTraces(Math.min(timeoutMs, TRACE_DRAIN_MS));
    await this.closeAccessLog();
  }

  /**
   * The key set the primary fetched from a JWKS URL (`weir:jwks`): JWT plugins naming that URL
   * verify with it from their next request on, in every runtime.
   */
  jwks(url: string, jwks: { readonly keys: readonly Readonly<Record<string, unknown>>[] }): void {
    this.policy.setJwks(url, jwks);
  }

  /**
   * Admin purge (`weir:cache-purge`): removes the entries of `route`'s cache matching the key or
   * prefix, in every runtime's cache of that route; returns how many went.
   */
  purgeCache(route: string, target: { readonly key: string } | { readonly prefix: string }): number {
    return this.policy.purgeCache(route, target);
  }

  /**
   * Applies active health-check results from the primary to the endpoints' shared state, which
   * every runtime's balancers read (committed and prepared alike). Entries naming an endpoint no
   * runtime holds are ignored: the primary sends the whole table again after each apply.
   */
  health(updates: readonly EndpointHealthUpdate[]): void {
    for (let i = 0; i < updates.length; i++) {
      const u = updates[i] as EndpointHealthUpdate;
      const state = this.registry.state(endpointStateKeyOf(u.upstream, u.address));
      if (state !== undefined) state.healthy = u.healthy;
    }
  }

  /**
   * The shared state of one endpoint (health, ejection, requests in flight), or undefined when no
   * runtime holds it. For diagnostics and tests.
   */
  endpointState(upstream: string, address: string): EndpointState | undefined {
    return this.registry.state(endpointStateKeyOf(upstream, address));
  }

  /**
   * Runs the outlier analysis of the committed runtime's upstreams that is due now (un-ejection
   * bookkeeping, success-rate ejection). The shared timer calls it; tests with a fake clock call
   * it directly.
   */
  tickOutliers(): void {
    const now = this.clock.now();
    const runtime = this.runtimes.current();
    if (runtime !== null) tickOutliers(runtime.upstreams.values(), now);
    // A candidate's upstreams of the same name share the stable's detectors (carried over by
    // identity); ticking them again is idempotent for the shared ones and covers new ones.
    const candidate = this.runtimes.currentCandidate();
    if (candidate !== null) tickOutliers(candidate.upstreams.values(), now);
  }

  /**
   * One timer per worker for every detector, period from `outlierTickMs`, restarted only when
   * the period changes; unref'd so it never keeps a draining process alive.
   */
  private scheduleOutlierTicks(runtime: WorkerRuntime | null): void {
    const period = runtime === null ? 0 : outlierTickMs(runtime.upstreams.values());
    if (period === this.outlierPeriod) return;
    if (this.outlierTimer !== null) clearInterval(this.outlierTimer);
    this.outlierTimer = null;
    this.outlierPeriod = period;
    if (period > 0) this.outlierTimer = setInterval(onOutlierTimer, period, this).unref();
  }

  /**
   * Sends `settings.percent` of requests to the rollout candidate (0 stops choosing it, keeping
   * it prepared). Ignored when no candidate is published.
   */
  split(settings: ArmSettings): void {
    this.runtimes.split(settings);
    const candidate = this.runtimes.currentCandidate();
    if (candidate !== null) this.logger.info({ version: candidate.version, percent: settings.percent }, 'rollout split');
  }

  /** Ends a rollout's split: the candidate retires after its last request. */
  dropCandidate(): void {
    const candidate = this.runtimes.currentCandidate();
    this.runtimes.dropCandidate();
    if (candidate !== null) this.logger.info({ version: candidate.version }, 'rollout candidate dropped');
  }

  /** The committed version (null before the first commit), the candidate's, and requests in flight. */
  stats(): DataPlaneStats {
    const candidate = this.runtimes.currentCandidate();
    return {
      version: this.runtimes.current()?.version ?? null,
      inFlight: this.runtimes.inFlight(),
      candidateVersion: candidate === null ? null : candidate.version,
      candidatePercent: candidate === null ? 0 : (this.runtimes.arm?.percent ?? 0),
    };
  }

  /**
   * The committed runtime's upstreams as this worker sees them now (issue 17, admin
   * `GET /admin/upstreams`; see `readUpstreamStates`). Empty before the first commit.
   */
  upstreamStates(): { readonly version: string | null; readonly upstreams: readonly UpstreamStateReading[] } {
    return readUpstreamStates(this.runtimes.current(), this.clock.now());
  }

  /** Reopens the access log file (after log rotation moved it). No-op without an access log. */
  reopenAccessLog(): void {
    if (this.accessLog !== null) this.accessLog.reopen();
  }

  /** The committed spec, or null. */
  get spec(): Spec | null {
    return this.committed;
  }

  private switchAccessLog(spec: Spec): void {
    const wanted = spec.logging.accessLog.enabled ? spec.logging.accessLog.path : null;
    if (wanted === this.accessLogPath) return;
    void this.closeAccessLog();
    if (wanted !== null) {
      this.accessLog = this.openAccessLog(wanted);
      this.accessLogPath = wanted;
      this.handler.accessLog = this.accessLog;
    }
  }

  private async closeAccessLog(): Promise<void> {
    const log = this.accessLog;
    this.accessLog = null;
    this.accessLogPath = null;
    this.handler.accessLog = null;
    if (log === null) return;
    try {
      await log.close();
    } catch (err) {
      this.logger.warn({ err }, 'closing the access log failed');
    }
  }
}

/** The shared outlier timer's callback (`setInterval` passes the data plane: no closure). */
/** The drain timeout expired: close the tunnels still open (`setTimeout` passes the handler). */
function closeTunnels(tunnels: TunnelHandler): void {
  void tunnels.tunnels.closeAll();
}

function onOutlierTimer(plane: DataPlane): void {
  plane.tickOutliers();
}
