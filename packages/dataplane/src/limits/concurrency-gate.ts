/**
 * A route's `limits.maxConcurrent` in one worker: a counter and its ceiling. Host-wide limits
 * that cannot wait for a lease are divided statically: each of N workers admits
 * ceil(maxConcurrent / N) (under SCHED_NONE the kernel spreads connections unevenly, so a host
 * may refuse slightly before the configured total when one worker is busier).
 */
export class ConcurrencyGate {
  /** Requests inside the gate now. */
  active: number;
  readonly max: number;

  constructor(max: number) {
    this.active = 0;
    this.max = max;
  }

  tryEnter(): boolean {
    if (this.active >= this.max) return false;
    this.active++;
    return true;
  }

  leave(): void {
    if (this.active > 0) this.active--;
  }
}

/**
 * The gates of a worker, kept across config versions by route name and per-worker ceiling, so
 * requests in flight over a reload still count against the same gate. Gates nobody uses any
 * more are dropped when a runtime is assembled (`prune`).
 */
export class ConcurrencyGates {
  private readonly gates = new Map<string, ConcurrencyGate>();
  private readonly workers: number;

  /** `workers`: the fleet size the host-wide limit is divided by (1 outside a cluster). */
  constructor(workers: number) {
    this.workers = Math.max(1, Math.floor(workers));
  }

  /** The gate of `route` with the host-wide ceiling `maxConcurrent`. */
  gate(route: string, maxConcurrent: number): ConcurrencyGate {
    const perWorker = Math.max(1, Math.ceil(maxConcurrent / this.workers));
    const key = `${route}\u0000${perWorker}`;
    let gate = this.gates.get(key);
    if (gate === undefined) {
      gate = new ConcurrencyGate(perWorker);
      this.gates.set(key, gate);
    }
    return gate;
  }

  /** Drops idle gates not in `keep`. */
  prune(keep: ReadonlySet<ConcurrencyGate>): void {
    for (const [key, gate] of this.gates) if (gate.active === 0 && !keep.has(gate)) this.gates.delete(key);
  }

  get size(): number {
    return this.gates.size;
  }
}
