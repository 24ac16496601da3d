import { WeirError } from '@weir/errors';

/** Something the store can close once nobody uses it: a worker runtime's own resources. */
export interface Retirable {
  /**
   * Close this runtime's own resources (pools of removed endpoints, timers). Called exactly once,
   * after the runtime has been superseded and its last request released it, or by `retireAll`.
   */
  retire(): void | Promise<void>;
}

/** Options of {@link RuntimeStore}. */
export interface RuntimeStoreOptions<T> {
  /**
   * Called when `retire()` throws or its promise rejects. Retirement happens inside `release`,
   * on a request's completion path, so its errors are reported here and never thrown to the
   * caller. Default: errors are ignored.
   */
  readonly onRetireError?: (err: unknown, runtime: T) => void;
}

/**
 * One published runtime and its count of in-flight requests.
 *
 *     current ──► Slot { runtime: v3, refs: 12 }       acquire() / release() of new requests
 *     draining ─► [ Slot { runtime: v2, refs: 1 } ]     superseded; retired when refs hits 0
 */
class Slot<T> {
  refs = 0;
  constructor(readonly runtime: T) {}
}

/**
 * The current runtime behind one reference, with per-runtime reference counts (DESIGN.md
 * section 2, "Store"). A request `acquire`s the runtime it starts with and `release`s it when it
 * ends; `publish` swaps in a new runtime atomically (the next `acquire` sees it), and a
 * superseded runtime is retired when its last request releases it, or at once if none holds it.
 *
 * Cost: `acquire` is one field read and two increments. `release` of the current runtime (almost
 * every call) is one identity comparison; a superseded runtime is found by a scan of the
 * draining list, which holds one entry per config change still finishing requests (usually
 * none or one). Measured against a Map keyed by runtime (`bench/runtime-store.bench.ts`, our
 * 2-core machine): 5-16 ns per acquire + release, against 32-36 ns for the Map.
 *
 * Misuse is absorbed, not thrown, because it would surface on the request path: releasing a
 * runtime that is not held (twice, or after `retireAll`) is ignored and counts never go
 * negative.
 */
export class RuntimeStore<T extends Retirable> {
  private slot: Slot<T> | null = null;
  private readonly draining: Slot<T>[] = [];
  private total = 0;
  private readonly retired = new WeakSet<T>();
  private readonly pending = new Set<Promise<void>>();
  private readonly onRetireError: ((err: unknown, runtime: T) => void) | undefined;

  constructor(options: RuntimeStoreOptions<T> = {}) {
    this.onRetireError = options.onRetireError;
  }

  /** The runtime new requests get, or `null` before the first `publish` (and after `retireAll`). */
  current(): T | null {
    return this.slot === null ? null : this.slot.runtime;
  }

  /**
   * Take a reference to the current runtime for one request; pair with exactly one `release`.
   * @throws WeirError WEIR_ERR_INTERNAL when nothing has been published (a worker must not
   *   accept connections before its first commit).
   */
  acquire(): T {
    const slot = this.slot;
    if (slot === null) throw new WeirError('WEIR_ERR_INTERNAL', 'no runtime has been published');
    slot.refs++;
    this.total++;
    return slot.runtime;
  }

  /** Drop the reference `acquire` returned. Retires a superseded runtime on its last release. */
  release(runtime: T): void {
    const slot = this.slot;
    if (slot !== null && slot.runtime === runtime) {
      if (slot.refs > 0) {
        slot.refs--;
        this.total--;
      }
      return;
    }
    const draining = this.draining;
    for (let i = 0; i < draining.length; i++) {
      const old = draining[i] as Slot<T>;
      if (old.runtime !== runtime) continue;
      old.refs--;
      this.total--;
      if (old.refs === 0) {
        draining.splice(i, 1);
        this.retire(runtime);
      }
      return;
    }
  }

  /**
   * Make `next` the runtime new requests get. The previous one is retired now if no request
   * holds it, or on its last release. Publishing the current runtime again does nothing;
   * publishing a superseded runtime that still has requests in flight makes it current again
   * with its count intact (a rollback before the old version drained).
   * @throws WeirError WEIR_ERR_INTERNAL when `next` was already retired: its resources are closed.
   */
  publish(next: T): void {
    if (this.retired.has(next)) throw new WeirError('WEIR_ERR_INTERNAL', 'cannot publish a retired runtime');
    const previous = this.slot;
    if (previous !== null && previous.runtime === next) return;
    let slot: Slot<T> | null = null;
    for (let i = 0; i < this.draining.length; i++) {
      const old = this.draining[i] as Slot<T>;
      if (old.runtime === next) {
        slot = old;
        this.draining.splice(i, 1);
        break;
      }
    }
    this.slot = slot ?? new Slot(next);
    if (previous === null) return;
    if (previous.refs === 0) this.retire(previous.runtime);
    else this.draining.push(previous);
  }

  /**
   * Stop handing out the current runtime: new `acquire` calls throw (as before the first
   * publish), and the runtime retires now if no request holds it, or on its last release. A
   * rollout's candidate store uses it when the candidate is dropped.
   */
  withdraw(): void {
    const previous = this.slot;
    if (previous === null) return;
    this.slot = null;
    if (previous.refs === 0) this.retire(previous.runtime);
    else this.draining.push(previous);
  }

  /**
   * Retire every runtime now, held or not, and wait for all retirements (including ones already
   * running) to settle. For shutdown, after the drain timeout: requests still holding a runtime
   * lose it, and their later `release` calls are ignored. Afterwards `current()` is `null`.
   * Never rejects; retire errors go to `onRetireError`.
   */
  async retireAll(): Promise<void> {
    const slots = this.draining.splice(0, this.draining.length);
    if (this.slot !== null) slots.push(this.slot);
    this.slot = null;
    this.total = 0;
    for (let i = 0; i < slots.length; i++) this.retire((slots[i] as Slot<T>).runtime);
    await Promise.all(this.pending);
  }

  /** Requests holding any runtime (current or superseded). */
  inFlight(): number {
    return this.total;
  }

  /** Superseded runtimes still waiting for their last release. */
  drainingCount(): number {
    return this.draining.length;
  }

  private retire(runtime: T): void {
    if (this.retired.has(runtime)) return;
    this.retired.add(runtime);
    let result: void | Promise<void>;
    try {
      result = runtime.retire();
    } catch (err) {
      this.report(err, runtime);
      return;
    }
    if (result === undefined || typeof (result as Partial<Promise<void>>).then !== 'function') return;
    const settled: Promise<void> = Promise.resolve(result).then(
      () => {
        this.pending.delete(settled);
      },
      (err: unknown) => {
        this.pending.delete(settled);
        this.report(err, runtime);
      },
    );
    this.pending.add(settled);
  }

  private report(err: unknown, runtime: T): void {
    if (this.onRetireError === undefined) return;
    try {
      this.onRetireError(err, runtime);
    } catch {
      // The reporter itself failed; there is nowhere left to report to, and throwing here would
      // reach the request path.
    }
  }
}
