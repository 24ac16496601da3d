import type { ListenerInfo, PrimaryMessage } from '../../src/protocol/index';
import type { SpawnWorker, WorkerChannel, WorkerEvents } from '../../src/fleet/index';

/** How a fake worker reacts. Each field can be changed while the test runs. */
export interface FakeBehaviour {
  /** Send hello right after the spawn. Default true. */
  hello: boolean;
  /** Reply to prepare. Default 'ack'. */
  prepare: 'ack' | 'nack' | 'hang' | 'exit';
  /** Confirm commit. Default true. */
  confirmCommit: boolean;
  /** Exit 0 on drain. Default true. */
  drainExits: boolean;
  /** Answer metrics requests (with {@link fakeMetrics} of its served count). Default true. */
  answerMetrics: boolean;
  /** Acknowledge cache purges (with {@link FakeWorker.purges}). Default true. */
  answerPurge: boolean;
}

/** The metric families a fake worker reports: a counter of `requests`, a gauge of 1. */
export function fakeMetrics(requests: number): unknown[] {
  return [
    { name: 'fake_requests_total', help: 'requests', type: 'counter', aggregator: 'sum', values: [{ labels: {}, value: requests }] },
    { name: 'fake_up', help: 'up', type: 'gauge', aggregator: 'sum', values: [{ labels: {}, value: 1 }] },
  ];
}

export const LISTENERS: readonly ListenerInfo[] = [{ name: 'main', address: '127.0.0.1', port: 40123 }];

/**
 * An in-memory worker process: it receives primary messages and replies like a WorkerAgent
 * would, as scripted by its behaviour. Deliveries are asynchronous (setImmediate), as over IPC.
 * The spec bytes are the UTF-8 text of the version, so a test can tell snapshots apart.
 */
export class FakeWorker implements WorkerChannel {
  readonly pid: number;
  readonly index: number;
  readonly received: PrimaryMessage[] = [];
  readonly signals: NodeJS.Signals[] = [];
  alive = true;
  /** Version served (committed), null before the first commit. */
  serving: string | null = null;
  /** The rollout candidate committed beside `serving`, and its share; null without one. */
  candidate: string | null = null;
  percent = 0;
  /** What `weir:metrics` reports as `fake_requests_total`. */
  requests = 0;
  /** What `weir:cache-purge` reports as removed. */
  purges = 0;
  private prepared: { id: number; version: string; candidate: boolean } | null = null;
  private readonly events: WorkerEvents;
  readonly behaviour: FakeBehaviour;

  constructor(pid: number, index: number, events: WorkerEvents, behaviour: FakeBehaviour) {
    this.pid = pid;
    this.index = index;
    this.events = events;
    this.behaviour = behaviour;
    if (behaviour.hello) this.reply({ type: 'weir:hello', pid });
  }

  /** Types of the messages received, in order. */
  get types(): string[] {
    return this.received.map((m) => m.type);
  }

  send(message: PrimaryMessage): void {
    if (!this.alive) return;
    this.received.push(message);
    setImmediate(() => this.react(message));
  }

  kill(signal: NodeJS.Signals): void {
    this.signals.push(signal);
    this.exit(null, signal);
  }

  /** End the process, as a crash (code) or a signal would. */
  exit(code: number | null, signal: string | null = null): void {
    if (!this.alive) return;
    this.alive = false;
    setImmediate(() => this.events.exit(code, signal));
  }

  private reply(message: unknown): void {
    setImmediate(() => {
      if (this.alive) this.events.message(message);
    });
  }

  private react(message: PrimaryMessage): void {
    if (!this.alive) return;
    switch (message.type) {
      case 'weir:prepare': {
        const version = Buffer.from(message.spec).toString('utf8');
        const mode = this.behaviour.prepare;
        if (mode === 'ack') {
          this.prepared = { id: message.id, version, candidate: message.target === 'candidate' };
          this.reply({ type: 'weir:ack', id: message.id, version, listeners: LISTENERS });
        } else if (mode === 'nack') {
          this.reply({ type: 'weir:nack', id: message.id, error: { code: 'WEIR_ERR_LISTEN', message: 'address in use', pointer: '/listeners/0' } });
        } else if (mode === 'exit') {
          this.exit(1);
        }
        return;
      }
      case 'weir:commit':
        if (this.prepared?.id === message.id && this.behaviour.confirmCommit) {
          if (this.prepared.candidate) {
            this.candidate = this.prepared.version;
          } else {
            // A stable commit ends any rollout, as the data plane does.
            this.serving = this.prepared.version;
            this.candidate = null;
            this.percent = 0;
          }
          this.reply({ type: 'weir:committed', id: message.id, version: this.prepared.version });
        }
        return;
      case 'weir:abort':
        if (this.prepared?.id === message.id) this.prepared = null;
        return;
      case 'weir:split':
        if (this.candidate !== null) this.percent = message.percent;
        return;
      case 'weir:drop-candidate':
        this.candidate = null;
        this.percent = 0;
        return;
      case 'weir:drain':
        if (this.behaviour.drainExits) this.exit(0);
        return;
      case 'weir:stats':
        this.reply({ type: 'weir:stats-result', id: message.id, version: this.serving, inFlight: 2 });
        return;
      case 'weir:metrics':
        if (this.behaviour.answerMetrics) this.reply({ type: 'weir:metrics-result', id: message.id, metrics: fakeMetrics(this.requests) });
        return;
      case 'weir:upstreams':
        if (this.behaviour.answerMetrics) this.reply({ type: 'weir:upstreams-result', id: message.id, version: this.serving, upstreams: [{ name: 'api', breaker: null, endpoints: [{ address: '127.0.0.1:9001', ejected: false, inFlight: this.index }] }] });
        return;
      case 'weir:cache-purge':
        if (this.behaviour.answerPurge) this.reply({ type: 'weir:cache-purged', id: message.id, purged: this.purges });
        return;
    }
  }
}

/** A SpawnWorker that creates FakeWorkers; `behaviourFor` decides each new process's script. */
export class FakeWorkers {
  readonly all: FakeWorker[] = [];
  private nextPid = 1000;
  behaviourFor: (index: number, generation: number) => Partial<FakeBehaviour> = () => ({});

  readonly spawn: SpawnWorker = (index, events) => {
    const generation = this.all.filter((w) => w.index === index).length;
    const behaviour: FakeBehaviour = {
      hello: true,
      prepare: 'ack',
      confirmCommit: true,
      drainExits: true,
      answerMetrics: true,
      answerPurge: true,
      ...this.behaviourFor(index, generation),
    };
    const worker = new FakeWorker(this.nextPid++, index, events, behaviour);
    this.all.push(worker);
    return worker;
  };

  /** The live process of a slot. */
  live(index: number): FakeWorker {
    const worker = this.all.filter((w) => w.index === index && w.alive).pop();
    if (worker === undefined) throw new Error(`no live fake worker in slot ${index}`);
    return worker;
  }

  /** Every process ever started in a slot, oldest first. */
  generations(index: number): FakeWorker[] {
    return this.all.filter((w) => w.index === index);
  }
}

/** Spec bytes for a version, as the fakes read them. */
export function bytesOf(version: string): Uint8Array {
  return new Uint8Array(Buffer.from(version, 'utf8'));
}
