import type { ArmSplit } from '@weir/cluster/primary';
import { WeirError, isWeirError } from '@weir/errors';
import type { Logger, RolloutReading } from '@weir/obs';
import type { HashOnSpec } from '@weir/runtime';
import type { ControlTracer, SpanParent } from '../tracing/index';
import type { AppliedConfig, ApplyGate, ApplyOptions, ApplyOutcome, CheckedConfig, ConfigSource } from '../apply/index';
import { readArmTotals, windowBetween, type ArmSnapshot, type MetricFamilyLike } from './arm-totals';
import { checkRolloutable } from './rollout-candidate';
import { analyseWindow } from './rollout-analysis';
import { ROLLOUT_HISTORY_SIZE, type RolloutPersistence } from './rollout-history';
import { RolloutMachine, type RolloutAction } from './rollout-machine';
import { RolloutSpans } from './rollout-spans';
import { parseRolloutRequest, type StickyKey } from './rollout-plan';
import { isLive, type RolloutEvent, type RolloutEventKind, type RolloutRecord } from './rollout-record';

/** What the rollout manager needs of the apply manager. `ApplyManager` satisfies it. */
export interface RolloutApplier {
  readonly current: AppliedConfig | null;
  exclusive<T>(task: (running: AppliedConfig | null) => Promise<T>): Promise<T>;
  build(config: unknown): Promise<CheckedConfig & { readonly bytes: Uint8Array }>;
  apply(config: unknown, source: ConfigSource, options?: ApplyOptions): Promise<ApplyOutcome>;
  setGate(gate: ApplyGate | null): void;
}

/** What the rollout manager needs of the fleet. `Fleet` satisfies it. */
export interface RolloutFleet {
  applyCandidate(spec: Uint8Array, version: string): Promise<unknown>;
  split(split: ArmSplit): Promise<void>;
  dropCandidate(): Promise<void>;
}

/** Options of {@link RolloutManager}. */
export interface RolloutManagerOptions {
  readonly applier: RolloutApplier;
  readonly fleet: RolloutFleet;
  /** The workers' aggregated metric families (`MetricsAggregator.families`). */
  readonly metrics: () => Promise<readonly MetricFamilyLike[]>;
  readonly persistence: RolloutPersistence;
  /** Logs transitions and the audit trail (`admin audit`, `action: rollout`). */
  readonly logger: Logger;
  /** Wall clock, epoch ms. Default `Date.now`. */
  readonly clock?: () => number;
  /** How often the analysis runs. Default 1000 ms; 0 turns the timer off (tests call `tick`). */
  readonly tickMs?: number;
  /** Told about every transition (the daemon counts them in metrics). */
  readonly onTransition?: (event: RolloutEventKind) => void;
  /**
   * Records each rollout as spans (issue 18; `RolloutSpans`): the rollout, its candidate's
   * preparation, each stage with the analysis, the verdict, and the promotion apply. Default: none.
   */
  readonly tracer?: ControlTracer;
}

const EMPTY: ArmSnapshot = { stable: { requests: 0, errors: 0, buckets: [] }, candidate: { requests: 0, errors: 0, buckets: [] } };

/**
 * The primary's rollout manager (issue 11): starts a rollout (the candidate prepared on every
 * worker through the two-phase apply), moves the split stage by stage, runs the analysis every
 * `tickMs` over the stage window, and promotes (a normal apply, source `rollout`) or aborts
 * (the candidate dropped). While a rollout is live, every other apply is refused with 409
 * WEIR_ERR_ROLLOUT_CONFLICT through the apply manager's gate.
 *
 * Transitions are serialised: a tick and an operator's action never interleave. Every
 * transition is persisted (`rollouts.json`) and audit-logged before the caller hears of it.
 */
export class RolloutManager {
  private readonly o: RolloutManagerOptions;
  private readonly clock: () => number;
  private records: RolloutRecord[] = [];
  private live: { machine: RolloutMachine; config: unknown; baseline: ArmSnapshot; spans: RolloutSpans | null } | null = null;
  private serial: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private waiters: (() => void)[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: RolloutManagerOptions) {
    this.o = options;
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Loads the kept rollouts. One that was live when the primary stopped is marked aborted by
   * `restart`: the primary serves the last committed (stable) version, so nothing half-done
   * remains (admin-api.md).
   */
  async init(): Promise<void> {
    this.records = await this.o.persistence.load();
    for (const r of this.records) this.nextId = Math.max(this.nextId, Number(r.id) + 1 || this.nextId);
    const stale = this.records.find(isLive);
    if (stale === undefined) return;
    new RolloutMachine(stale, this.clock).abort('restart', 'restart', 'the primary restarted during the rollout; the stable version kept serving');
    this.audit(stale, 'aborted', 'restart');
    await this.persist();
  }

  /** The live rollout, if any. */
  get current(): RolloutRecord | null {
    return this.live === null ? null : copy(this.live.machine.record);
  }

  /** For the rollout gauges. */
  reading(): RolloutReading {
    const r = this.live?.machine.record;
    if (r === undefined) return { state: 'none', percent: 0 };
    return { state: r.state === 'paused' ? 'paused' : 'running', percent: r.stages[r.stage]?.percent ?? 0 };
  }

  /** Every kept rollout, newest first. */
  list(): RolloutRecord[] {
    return this.records.map(copy);
  }

  /** One rollout. @throws WEIR_ERR_ROLLOUT_NOT_FOUND */
  get(id: string): RolloutRecord {
    const r = this.records.find((x) => x.id === id);
    if (r === undefined) throw new WeirError('WEIR_ERR_ROLLOUT_NOT_FOUND', `no rollout has id ${JSON.stringify(id)}`);
    return copy(r);
  }

  /** The rollout after its next change (a transition or an analysis), or after `ms`. */
  async wait(id: string, ms: number): Promise<RolloutRecord> {
    const before = this.get(id);
    if (!isLive(before)) return before;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
    return this.get(id);
  }

  /**
   * Starts a rollout from the body of `POST /admin/rollouts`. Rejects with WEIR_ERR_BAD_REQUEST,
   * WEIR_ERR_CONFIG_INVALID, WEIR_ERR_ROLLOUT_CONFLICT, WEIR_ERR_ROLLOUT_UNSUPPORTED, or the
   * fleet's apply errors (then no worker holds the candidate).
   */
  start(body: unknown, principal: string): Promise<RolloutRecord> {
    const { config, plan } = parseRolloutRequest(body);
    return this.o.applier.exclusive(async (running) => {
      if (this.closed) throw new WeirError('WEIR_ERR_DRAINING', 'the primary is shutting down');
      if (this.live !== null) throw conflict(this.live.machine.record);
      if (running === null) throw new WeirError('WEIR_ERR_ROLLOUT_UNSUPPORTED', 'no config is running yet: apply one first');
      const spans = this.o.tracer === undefined ? null : new RolloutSpans(this.o.tracer, principal);
      let built;
      try {
        built = await this.o.applier.build(config);
        checkRolloutable(running.config, built.config);
        await this.o.fleet.applyCandidate(built.bytes, built.spec.version);
      } catch (err) {
        spans?.failed(isWeirError(err) ? err.code : 'WEIR_ERR_INTERNAL');
        throw err;
      }
      const now = new Date(this.clock()).toISOString();
      const record: RolloutRecord = {
        id: String(this.nextId++),
        state: 'running',
        stage: 0,
        stableVersion: running.spec.version,
        candidateVersion: built.spec.version,
        stages: plan.stages,
        sticky: plan.sticky,
        analysis: plan.analysis,
        stageStartedAt: now,
        startedAt: now,
        endedAt: null,
        principal,
        pausedBy: null,
        lastAnalysis: null,
        outcome: null,
        events: [{ at: now, event: 'started', stage: 0, principal, reason: null }],
      };
      this.live = { machine: new RolloutMachine(record, this.clock), config: built.config, baseline: EMPTY, spans };
      this.o.applier.setGate((source) => (source === 'rollout' || this.live === null ? null : conflict(this.live.machine.record)));
      this.records.unshift(record);
      this.records = this.records.slice(0, ROLLOUT_HISTORY_SIZE);
      await this.enterStage(record);
      this.audit(record, 'started', principal);
      spans?.transitioned(record, record.events[0] as RolloutEvent);
      await this.persist();
      this.startTimer();
      return copy(record);
    });
  }

  /** `promote`, `pause`, `resume` or `abort` one rollout. */
  act(id: string, action: 'promote' | 'pause' | 'resume' | 'abort', principal: string, body: unknown): Promise<RolloutRecord> {
    return this.serialise(async () => {
      const live = this.live;
      const record = this.records.find((r) => r.id === id);
      if (record === undefined) throw new WeirError('WEIR_ERR_ROLLOUT_NOT_FOUND', `no rollout has id ${JSON.stringify(id)}`);
      if (live === null || live.machine.record !== record) throw new WeirError('WEIR_ERR_ROLLOUT_STATE', `rollout ${id} has ended (${record.state})`);
      const m = live.machine;
      const full = typeof body === 'object' && body !== null && (body as { full?: unknown }).full === true;
      const before = record.events.length;
      const result =
        action === 'promote' ? m.promote(principal, full) : action === 'pause' ? m.pause(principal) : action === 'resume' ? m.resume(principal) : m.abort('operator', principal, 'aborted by an operator');
      await this.execute(result, principal, before);
      return copy(record);
    });
  }

  /** One analysis round: collect metrics, compare the arms over the stage window, act. */
  tick(): Promise<void> {
    return this.serialise(async () => {
      const live = this.live;
      if (live === null) return;
      let families: readonly MetricFamilyLike[];
      try {
        families = await this.o.metrics();
      } catch (err) {
        this.o.logger.warn({ err }, 'rollout analysis: collecting metrics failed');
        return;
      }
      if (this.live !== live) return;
      const record = live.machine.record;
      const result = analyseWindow(windowBetween(live.baseline, readArmTotals(families)), record.analysis);
      const before = record.events.length;
      const action = live.machine.analysed(result);
      await this.execute(action, 'analysis', before);
    });
  }

  /** Stop the analysis timer; a live rollout stays as it is (the next start marks it aborted). */
  close(): void {
    this.closed = true;
    if (this.live !== null) this.live.spans?.interrupted(this.live.machine.record);
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.wake();
  }

  /** Does what `action` asks of the workers, then audits and persists every new event. */
  private async execute(action: RolloutAction, principal: string, eventsBefore: number): Promise<void> {
    const live = this.live;
    if (live === null) return;
    const record = live.machine.record;
    if (action.kind === 'advance') await this.enterStage(record);
    else if (action.kind === 'abort') await this.end();
    else if (action.kind === 'promote') await this.promote(live.machine, live.config, principal, live.spans?.parent ?? null);
    for (const e of record.events.slice(eventsBefore)) {
      this.audit(record, e.event, e.principal);
      live.spans?.transitioned(record, e);
    }
    if (record.events.length !== eventsBefore) await this.persist();
    this.wake();
  }

  private async promote(machine: RolloutMachine, config: unknown, principal: string, parent: SpanParent | null): Promise<void> {
    try {
      await this.o.applier.apply(config, 'rollout', parent === null ? { principal: machine.record.principal } : { principal: machine.record.principal, parent });
      machine.promoted(principal);
      this.endLive();
    } catch (err) {
      const reason = `promotion failed: ${isWeirError(err) ? `${err.code}: ${err.message}` : String(err)}`;
      machine.abort('apply-failed', principal, reason);
      await this.end();
    }
  }

  /** Gives the candidate the current stage's share and starts a new analysis window. */
  private async enterStage(record: RolloutRecord): Promise<void> {
    const live = this.live;
    if (live === null) return;
    try {
      live.baseline = readArmTotals(await this.o.metrics());
    } catch {
      live.baseline = EMPTY;
    }
    const stage = record.stages[record.stage];
    await this.o.fleet.split({ percent: stage?.percent ?? 0, sticky: toHashOn(record.sticky) });
  }

  private async end(): Promise<void> {
    await this.o.fleet.dropCandidate();
    this.endLive();
  }

  private endLive(): void {
    this.live = null;
    this.o.applier.setGate(null);
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private startTimer(): void {
    const ms = this.o.tickMs ?? 1000;
    if (ms <= 0 || this.timer !== null) return;
    this.timer = setInterval(() => void this.tick(), ms);
    this.timer.unref();
  }

  private serialise<T>(task: () => Promise<T>): Promise<T> {
    const run = this.serial.then(task);
    this.serial = run.catch(() => undefined);
    return run;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async persist(): Promise<void> {
    try {
      await this.o.persistence.save(this.records);
    } catch (err) {
      this.o.logger.error({ err }, 'rollout state write failed');
    }
  }

  private audit(record: RolloutRecord, event: RolloutEventKind, principal: string): void {
    const fields = {
      audit: true,
      action: 'rollout',
      event,
      rollout: record.id,
      principal,
      stage: record.stage,
      percent: record.stages[record.stage]?.percent ?? null,
      stableVersion: record.stableVersion,
      candidateVersion: record.candidateVersion,
      ...(record.outcome === null ? {} : { outcome: record.outcome }),
    };
    if (event === 'aborted') this.o.logger.warn(fields, 'admin audit');
    else this.o.logger.info(fields, 'admin audit');
    this.o.onTransition?.(event);
  }
}

function conflict(record: RolloutRecord): WeirError {
  return new WeirError('WEIR_ERR_ROLLOUT_CONFLICT', `rollout ${record.id} is ${record.state}: promote or abort it first`);
}

function toHashOn(sticky: StickyKey | null): HashOnSpec | null {
  if (sticky === null) return null;
  if ('header' in sticky) return { kind: 'header', name: sticky.header };
  if ('cookie' in sticky) return { kind: 'cookie', name: sticky.cookie };
  return { kind: 'clientAddress' };
}

function copy(record: RolloutRecord): RolloutRecord {
  return JSON.parse(JSON.stringify(record)) as RolloutRecord;
}
