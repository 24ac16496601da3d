import { WeirError, toErrorJSON } from '@weir/errors';
import type { Logger } from '@weir/obs';
import { decodeSpecAsync, type Spec } from '@weir/runtime';
import { isPrimaryMessage, type CachePurgeMessage, type PrimaryMessage, type UpstreamStateReport } from '../protocol/index';
import type { LeaseChannel } from './lease-channel';
import { processPort, type PrimaryPort } from './primary-port';
import type { SnapshotSink } from './snapshot-sink';

/** Options of {@link WorkerAgent}. */
export interface WorkerAgentOptions {
  /** The runtime owner (the data plane). */
  readonly sink: SnapshotSink;
  /** The channel to the primary. Default: this process's IPC channel. */
  readonly port?: PrimaryPort;
  /** Where failures are logged. Default: not logged (the primary logs nacks). */
  readonly logger?: Logger;
  /**
   * Ends the process after a drain (code 0) or after a failed commit (code 1). Default
   * `process.exit`; the daemon passes one that flushes its logs first.
   */
  readonly exit?: (code: number) => void;
  /** Called after each commit with the spec now served (the daemon applies its log level). */
  readonly onCommit?: (spec: Spec) => void;
  /** The pid announced in `hello`. Default `process.pid`. */
  readonly pid?: number;
  /**
   * Answers the primary's metrics scrapes: the worker registry's `getMetricsAsJSON()` (obs
   * `metricsToJSON`). Default: none (the worker answers with no metrics).
   */
  readonly metrics?: () => Promise<readonly unknown[]> | readonly unknown[];
  /**
   * The rate-limit lease channel the data plane asks through (made on the same `port`); the
   * agent hands it the primary's `weir:lease-grant` answers. Default: none (grants are ignored).
   */
  readonly leases?: LeaseChannel;
}

/**
 * The worker's side of the two-phase apply. It decodes the primary's spec bytes, drives the sink
 * through prepare / commit / abort, answers ack / nack, and drains on request.
 *
 * Messages are handled strictly one after another, in arrival order: an `abort` or `commit` that
 * arrives while its `prepare` is still assembling waits for it, so the sink never sees two
 * operations at once. A worker opens listeners only inside `prepare`, so it accepts no
 * connection before the primary has handed it a snapshot.
 */
export class WorkerAgent {
  private readonly sink: SnapshotSink;
  private readonly port: PrimaryPort;
  private readonly logger: Logger | null;
  private readonly exit: (code: number) => void;
  private readonly onCommit: ((spec: Spec) => void) | null;
  private readonly pid: number;
  private readonly metrics: (() => Promise<readonly unknown[]> | readonly unknown[]) | null;
  private readonly leases: LeaseChannel | null;
  /** Tail of the message queue; every task catches its own errors, so it never rejects. */
  private queue: Promise<void> = Promise.resolve();
  private prepared: { readonly id: number; readonly spec: Spec; readonly version: string; readonly candidate: boolean } | null = null;
  private committed: Spec | null = null;
  private draining = false;
  private started = false;

  constructor(options: WorkerAgentOptions) {
    this.sink = options.sink;
    this.port = options.port ?? processPort();
    this.logger = options.logger ?? null;
    this.exit = options.exit ?? ((code: number): void => process.exit(code));
    this.onCommit = options.onCommit ?? null;
    this.pid = options.pid ?? process.pid;
    this.metrics = options.metrics ?? null;
    this.leases = options.leases ?? null;
  }

  /** The spec served since the last commit, or null before the first. */
  get committedSpec(): Spec | null {
    return this.committed;
  }

  /** Attach to the channel and tell the primary this worker waits for a snapshot. Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.port.onMessage((message) => this.receive(message));
    this.port.send({ type: 'weir:hello', pid: this.pid });
  }

  /**
   * Drain and exit 0, as if the primary asked. For signals delivered to the worker itself
   * (systemd sends SIGTERM to the whole control group; Ctrl-C sends SIGINT to the process group).
   * Default timeout: the committed spec's `server.drainTimeoutMs`, or 0 before the first commit.
   */
  requestDrain(timeoutMs?: number): void {
    this.enqueueDrain(timeoutMs ?? this.committed?.server.drainTimeoutMs ?? 0);
  }

  private receive(message: unknown): void {
    if (!isPrimaryMessage(message)) return;
    if (message.type === 'weir:stats') {
      // Answered at once, not queued: a status page must not wait behind a slow prepare.
      const stats = this.sink.stats?.() ?? { version: this.committed?.version ?? null, inFlight: 0 };
      this.port.send({
        type: 'weir:stats-result',
        id: message.id,
        version: stats.version,
        inFlight: stats.inFlight,
        candidateVersion: stats.candidateVersion ?? null,
        candidatePercent: stats.candidatePercent ?? 0,
      });
      return;
    }
    if (message.type === 'weir:metrics') {
      // Also answered at once: a scrape must not wait behind a slow prepare.
      void this.answerMetrics(message.id);
      return;
    }
    if (message.type === 'weir:ping') {
      // At once: the answer proves this event loop runs, not that the queue is empty.
      this.port.send({ type: 'weir:pong', id: message.id });
      return;
    }
    if (message.type === 'weir:lease-grant') {
      // At once: a request waits for it.
      this.leases?.granted(message.id, message.grant);
      return;
    }
    if (message.type === 'weir:jwks') {
      // At once and not queued, like health: key sets are shared by every runtime.
      try {
        this.sink.jwks?.(message.url, message.jwks);
      } catch (err) {
        this.logger?.error({ err }, 'applying a JWKS failed');
      }
      return;
    }
    if (message.type === 'weir:cache-purge') {
      // At once: an operator waits for every worker's answer, and a purge touches only cache
      // entries, never the runtime a prepare in progress builds.
      this.answerPurge(message);
      return;
    }
    if (message.type === 'weir:upstreams') {
      // At once: it reads shared endpoint state only, and an operator's page waits for it.
      this.answerUpstreams(message.id);
      return;
    }
    if (message.type === 'weir:drain') {
      this.enqueueDrain(message.timeoutMs);
      return;
    }
    if (message.type === 'weir:health') {
      // Not queued: results must reach the balancers at once, and they touch only endpoint
      // state shared by the runtimes (a prepare in progress already holds its endpoints').
      try {
        this.sink.health?.(message.updates);
      } catch (err) {
        this.logger?.error({ err }, 'applying health results failed');
      }
      return;
    }
    this.enqueue(() => this.handle(message));
  }

  private async answerMetrics(id: number): Promise<void> {
    let metrics: readonly unknown[] = [];
    try {
      if (this.metrics !== null) metrics = await this.metrics();
    } catch (err) {
      this.logger?.warn({ err }, 'collecting metrics failed');
    }
    this.port.send({ type: 'weir:metrics-result', id, metrics });
  }

  private answerPurge(message: CachePurgeMessage): void {
    let purged = 0;
    const sink = this.sink;
    if (sink.purgeCache !== undefined) {
      try {
        const n = message.key !== undefined ? sink.purgeCache(message.route, { key: message.key }) : sink.purgeCache(message.route, { prefix: message.prefix });
        // A count the primary would refuse as malformed (and then wait for until its timeout).
        purged = Number.isSafeInteger(n) && n > 0 ? n : 0;
      } catch (err) {
        this.logger?.error({ err, route: message.route }, 'purging the response cache failed');
      }
    }
    this.port.send({ type: 'weir:cache-purged', id: message.id, purged });
  }

  private answerUpstreams(id: number): void {
    let answer: { readonly version: string | null; readonly upstreams: readonly UpstreamStateReport[] } = { version: this.committed?.version ?? null, upstreams: [] };
    if (this.sink.upstreamStates !== undefined) {
      try {
        answer = this.sink.upstreamStates();
      } catch (err) {
        this.logger?.error({ err }, 'reading the upstream state failed');
      }
    }
    this.port.send({ type: 'weir:upstreams-result', id, version: answer.version, upstreams: answer.upstreams });
  }

  private enqueue(task: () => Promise<void> | void): void {
    this.queue = this.queue.then(task).catch((err: unknown) => {
      this.logger?.error({ err }, 'worker agent task failed');
    });
  }

  private enqueueDrain(timeoutMs: number): void {
    if (this.draining) return;
    // Set now, not when the task runs, so a prepare queued behind the drain is refused.
    this.draining = true;
    this.enqueue(() => this.drain(timeoutMs));
  }

  private async handle(
    message: Exclude<PrimaryMessage, { type: 'weir:drain' | 'weir:stats' | 'weir:metrics' | 'weir:health' | 'weir:ping' | 'weir:lease-grant' | 'weir:jwks' | 'weir:cache-purge' | 'weir:upstreams' }>,
  ): Promise<void> {
    switch (message.type) {
      case 'weir:prepare':
        await this.prepare(message.id, message.spec, message.target === 'candidate');
        return;
      case 'weir:split':
        this.sink.split?.({ percent: message.percent, sticky: message.sticky });
        return;
      case 'weir:drop-candidate':
        this.sink.dropCandidate?.();
        return;
      case 'weir:commit':
        this.commit(message.id);
        return;
      case 'weir:abort':
        if (this.prepared !== null && this.prepared.id === message.id) this.discardPrepared();
        return;
    }
  }

  private async prepare(id: number, bytes: Uint8Array, candidate: boolean): Promise<void> {
    if (this.draining) {
      this.port.send({ type: 'weir:nack', id, error: toErrorJSON(new WeirError('WEIR_ERR_DRAINING')) });
      return;
    }
    // A prepare supersedes one that was never committed nor aborted (its round is over).
    if (this.prepared !== null) this.discardPrepared();
    try {
      // In slices (issue 15): this worker keeps serving requests while a big spec decodes.
      const spec = await decodeSpecAsync(bytes);
      const result = candidate ? await this.sink.prepare(spec, 'candidate') : await this.sink.prepare(spec);
      this.prepared = { id, spec, version: result.version, candidate };
      const listeners = result.listeners.map((l) => ({ name: l.name, address: l.address, port: l.port }));
      this.port.send({ type: 'weir:ack', id, version: result.version, listeners });
    } catch (err) {
      this.logger?.warn({ err, round: id }, 'prepare failed');
      this.port.send({ type: 'weir:nack', id, error: toErrorJSON(err) });
    }
  }

  private commit(id: number): void {
    const prepared = this.prepared;
    // A commit for another round is stale (that round was aborted or superseded): ignore it.
    if (prepared === null || prepared.id !== id) return;
    this.prepared = null;
    try {
      this.sink.commit();
    } catch (err) {
      // The sink broke its contract and this worker's state is unknown. Exiting lets the primary
      // restart it from the committed snapshot instead of serving something half-swapped.
      this.logger?.fatal({ err, round: id }, 'commit failed');
      this.exit(1);
      return;
    }
    // A candidate serves beside the committed spec; it never replaces it here.
    if (!prepared.candidate) {
      this.committed = prepared.spec;
      this.onCommit?.(prepared.spec);
    }
    this.port.send({ type: 'weir:committed', id, version: prepared.version });
  }

  private discardPrepared(): void {
    this.prepared = null;
    this.sink.abort();
  }

  private async drain(timeoutMs: number): Promise<void> {
    if (this.prepared !== null) this.discardPrepared();
    try {
      await this.sink.drain(timeoutMs);
    } catch (err) {
      this.logger?.error({ err }, 'drain failed');
    }
    this.exit(0);
  }
}
