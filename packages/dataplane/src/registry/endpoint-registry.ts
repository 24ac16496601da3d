import type { Pool } from 'undici';
import { EndpointState } from './endpoint-state';

/** One registry slot: the pool and how many runtimes hold it. */
interface Slot {
  readonly pool: Pool;
  refs: number;
}

/** One endpoint-state slot: the state and how many runtimes hold it. */
interface StateSlot {
  readonly state: EndpointState;
  refs: number;
}

/**
 * Owns the worker's undici pools, one per endpoint identity (see `endpointKey`), shared by every
 * runtime that asks for the same key and reference-counted by runtime, not by request:
 *
 * ```
 *   assemble(v2)  acquire(k) --> refs 2 (v1 and v2 share the pool and its connections)
 *   v1 retires    release(k) --> refs 1
 *   v2 retires    release(k) --> refs 0 --> pool.close(): queued and running requests finish,
 *                                           then the sockets close
 * ```
 *
 * A runtime retires only after its last request released it (RuntimeStore), so a pool is never
 * closed under a request that still uses it; `close()` is graceful anyway.
 */
export class EndpointRegistry {
  private readonly slots = new Map<string, Slot>();
  private readonly closing = new Set<Promise<void>>();
  private readonly states = new Map<string, StateSlot>();

  /**
   * The `EndpointState` for `key` (see `endpointStateKey`), created on first use with
   * `healthy` as its starting health. Reference-counted by runtime like pools: every call must be
   * matched by one `releaseState(key)`, and the state is dropped with its last reference, so an
   * endpoint removed from the config and added back later starts afresh.
   */
  acquireState(key: string, address: string, healthy: boolean): EndpointState {
    let slot = this.states.get(key);
    if (slot === undefined) {
      slot = { state: new EndpointState(address, healthy), refs: 0 };
      this.states.set(key, slot);
    }
    slot.refs++;
    return slot.state;
  }

  /** Drops one reference to an endpoint state; releasing an unknown key is a no-op. */
  releaseState(key: string): void {
    const slot = this.states.get(key);
    if (slot === undefined) return;
    if (--slot.refs > 0) return;
    this.states.delete(key);
  }

  /** The live endpoint state for `key`, or undefined (health updates, diagnostics, tests). */
  state(key: string): EndpointState | undefined {
    return this.states.get(key)?.state;
  }

  /**
   * The pool for `key`, created with `factory` on first use. Every call must be matched by one
   * `release(key)`.
   */
  acquire(key: string, factory: () => Pool): Pool {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = { pool: factory(), refs: 0 };
      this.slots.set(key, slot);
    }
    slot.refs++;
    return slot.pool;
  }

  /**
   * Drops one reference; the last one closes the pool gracefully (in-flight requests finish).
   * Releasing an unknown key is a no-op, so a failed assemble can release what it acquired
   * without bookkeeping of its own.
   */
  release(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    if (--slot.refs > 0) return;
    this.slots.delete(key);
    this.track(slot.pool.close());
  }

  /** The live pool for `key`, or undefined. For diagnostics and tests. */
  get(key: string): Pool | undefined {
    return this.slots.get(key)?.pool;
  }

  /** Number of live pools. */
  get size(): number {
    return this.slots.size;
  }

  /**
   * Closes every pool (process shutdown). With `force`, pools are destroyed: running requests
   * fail instead of finishing. Resolves when every pool, including those already closing, is
   * closed.
   */
  async close(force = false): Promise<void> {
    for (const slot of this.slots.values()) {
      this.track(force ? slot.pool.destroy() : slot.pool.close());
    }
    this.slots.clear();
    while (this.closing.size !== 0) {
      await Promise.all(this.closing);
    }
  }

  /** Keeps a closing pool's promise until it settles; close errors only mean "already closed". */
  private track(promise: Promise<void>): void {
    const tracked: Promise<void> = promise.then(
      () => {
        this.closing.delete(tracked);
      },
      () => {
        this.closing.delete(tracked);
      },
    );
    this.closing.add(tracked);
  }
}
