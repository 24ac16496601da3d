import { nodeIntervalTimers, type IntervalTimers } from './interval-timers';

/** How a {@link ChangeWatch.wait} ended. */
export type WatchOutcome = 'changed' | 'timeout' | 'busy' | 'closed';

/** Options of {@link ChangeWatch}. */
export interface ChangeWatchOptions {
  /** The current tag; cheap and in-process (it is read every `pollMs` while someone waits). */
  readonly current: () => string;
  /** How often held waits re-read the tag. Default 200 ms. */
  readonly pollMs?: number;
  /** Most waits held at once; beyond, `wait` answers `busy` at once. Default 100. */
  readonly maxHeld?: number;
  /** Monotonic milliseconds, for deadlines. Default `performance.now`. */
  readonly now?: () => number;
  readonly timers?: IntervalTimers;
}

interface Held {
  readonly tag: string;
  readonly deadline: number;
  readonly resolve: (outcome: WatchOutcome) => void;
  readonly signal: AbortSignal | null;
  readonly onAbort: () => void;
}

/**
 * Long-poll waits on a tag (issue 17, `GET /admin/status?wait=`): each held wait resolves
 * `changed` once the tag differs from the one it holds, `timeout` at its deadline, `closed`
 * when its client went away or the watch closed. One shared timer re-reads the tag every
 * `pollMs` (one read per tick for every wait) and runs only while some wait is held; the number
 * held is bounded so a flood of watchers cannot pin the primary.
 */
export class ChangeWatch {
  private readonly current: () => string;
  private readonly pollMs: number;
  private readonly maxHeld: number;
  private readonly now: () => number;
  private readonly timers: IntervalTimers;
  private waits: Held[] = [];
  private timer: unknown = null;
  private closed = false;

  constructor(options: ChangeWatchOptions) {
    this.current = options.current;
    this.pollMs = options.pollMs ?? 200;
    this.maxHeld = options.maxHeld ?? 100;
    this.now = options.now ?? ((): number => performance.now());
    this.timers = options.timers ?? nodeIntervalTimers;
  }

  /** Waits held now. */
  get held(): number {
    return this.waits.length;
  }

  /** Hold until the tag is no longer `tag`, for at most `ms`; `signal` ends the wait early. */
  wait(tag: string, ms: number, signal?: AbortSignal): Promise<WatchOutcome> {
    if (this.closed) return Promise.resolve('closed');
    if (this.waits.length >= this.maxHeld) return Promise.resolve('busy');
    if (signal?.aborted === true) return Promise.resolve('closed');
    return new Promise((resolve) => {
      const held: Held = {
        tag,
        deadline: this.now() + ms,
        resolve,
        signal: signal ?? null,
        onAbort: () => this.settle(held, 'closed'),
      };
      signal?.addEventListener('abort', held.onAbort, { once: true });
      this.waits.push(held);
      if (this.timer === null) this.timer = this.timers.setInterval(() => this.tick(), this.pollMs);
    });
  }

  /** One check of every held wait: what the timer runs (tests call it directly). */
  tick(): void {
    if (this.waits.length === 0) return;
    let tag: string | null;
    try {
      tag = this.current();
    } catch {
      tag = null;
    }
    const now = this.now();
    for (const held of this.waits.slice()) {
      if (tag !== null && tag !== held.tag) this.settle(held, 'changed');
      else if (now >= held.deadline) this.settle(held, 'timeout');
    }
  }

  /** Release every held wait (`closed`) and refuse new ones: shutdown. */
  close(): void {
    this.closed = true;
    for (const held of this.waits.slice()) this.settle(held, 'closed');
  }

  private settle(held: Held, outcome: WatchOutcome): void {
    const i = this.waits.indexOf(held);
    if (i === -1) return;
    this.waits.splice(i, 1);
    held.signal?.removeEventListener('abort', held.onAbort);
    if (this.waits.length === 0 && this.timer !== null) {
      this.timers.clearInterval(this.timer);
      this.timer = null;
    }
    held.resolve(outcome);
  }
}
