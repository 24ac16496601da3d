import type { Clock } from '../backoff/index';
import type { WorkerChannel } from './worker-channel';
import type { WorkerSlot } from './worker-slot';

/** What the watchdog's timer needs from the fleet. */
export interface WatchdogHooks {
  /** Slots whose process serves (`ready`, with a channel). */
  readySlots(): WorkerSlot[];
  /** True while an apply or a sync runs: workers may be busy assembling, so nobody is judged. */
  busy(): boolean;
  /** Replace the process of a slot that stayed silent too long. */
  replace(slot: WorkerSlot, silentMs: number): void;
}

/**
 * The watchdog's bookkeeping (no timers, no I/O): when each worker process last showed that its
 * event loop runs (a `pong`, its start, the end of an apply), and which are overdue. The fleet
 * sends the pings and acts on `overdue`.
 *
 * A worker is judged only outside applies and syncs: assembling a large config can block a
 * worker for seconds, and that is not a hang (`pause` stops the clock; `resume` restarts every
 * worker's from now).
 */
export class WorkerWatchdog {
  private timeoutMs = 0;
  private readonly lastSeen = new Map<WorkerChannel, number>();
  private timer: NodeJS.Timeout | null = null;
  private round = 0;

  constructor(
    private readonly clock: Clock,
    private readonly hooks: WatchdogHooks,
  ) {}

  /** Turn on (`timeoutMs` > 0, restarting the timer when its period changes) or off. */
  set(timeoutMs: number): void {
    const before = this.intervalMs;
    this.configure(timeoutMs);
    if (this.timer !== null && (this.timeoutMs === 0 || before !== this.intervalMs)) this.stop();
    if (this.timeoutMs === 0 || this.timer !== null) return;
    for (const slot of this.hooks.readySlots()) this.seen(slot.channel as WorkerChannel);
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round: judge the ready workers (unless busy), then ping them. Public for tests. */
  tick(): void {
    const ready = this.hooks.readySlots();
    if (this.hooks.busy()) {
      this.resume();
    } else {
      for (const slot of ready) {
        const channel = slot.channel as WorkerChannel;
        if (this.timeoutMs !== 0 && this.silentMs(channel) > this.timeoutMs) {
          const silent = this.silentMs(channel);
          this.forget(channel);
          this.hooks.replace(slot, silent);
        }
      }
    }
    const id = ++this.round;
    for (const slot of this.hooks.readySlots()) slot.channel?.send({ type: 'weir:ping', id });
  }

  /** Milliseconds a worker may stay silent; 0 turns the watchdog off. */
  get timeout(): number {
    return this.timeoutMs;
  }

  /** Ping period: half the timeout, at most a second. */
  get intervalMs(): number {
    return Math.min(1000, Math.max(50, Math.floor(this.timeoutMs / 2)));
  }

  configure(timeoutMs: number): void {
    this.timeoutMs = timeoutMs > 0 ? timeoutMs : 0;
  }

  /** The process answered, or just started: its clock starts again. */
  seen(channel: WorkerChannel): void {
    this.lastSeen.set(channel, this.clock.now());
  }

  /** Forget a process (it exited or was replaced). */
  forget(channel: WorkerChannel): void {
    this.lastSeen.delete(channel);
  }

  /** After an apply or a sync: every process's clock starts again from now. */
  resume(): void {
    const now = this.clock.now();
    for (const channel of this.lastSeen.keys()) this.lastSeen.set(channel, now);
  }

  /** How long `channel` has been silent, in ms (0 when unknown). */
  silentMs(channel: WorkerChannel): number {
    const seen = this.lastSeen.get(channel);
    return seen === undefined ? 0 : this.clock.now() - seen;
  }

  /** Of `channels`, those silent for longer than the timeout (none when off). */
  overdue(channels: readonly WorkerChannel[]): WorkerChannel[] {
    if (this.timeoutMs === 0) return [];
    return channels.filter((c) => this.silentMs(c) > this.timeoutMs);
  }
}
