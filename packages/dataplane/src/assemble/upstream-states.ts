import { BREAKER_HALF_OPEN, BREAKER_OPEN } from '../breaker/index';
import type { EndpointState } from '../registry/index';
import type { WorkerRuntime } from './worker-runtime';

/** One endpoint of an upstream as this worker sees it now (the cluster's `EndpointStateReport`). */
export interface EndpointStateReading {
  readonly address: string;
  /** Outlier detection has it ejected at this moment. */
  readonly ejected: boolean;
  /** Requests this worker has in flight to it. */
  readonly inFlight: number;
}

/** One upstream of the committed runtime (the cluster's `UpstreamStateReport`). */
export interface UpstreamStateReading {
  readonly name: string;
  /** The failure-ratio breaker's state; null without one. */
  readonly breaker: 'closed' | 'open' | 'half-open' | null;
  readonly endpoints: readonly EndpointStateReading[];
}

/**
 * A runtime's upstreams as this worker sees them at `now` (issue 17, admin
 * `GET /admin/upstreams`): each upstream's breaker state, and per endpoint whether outlier
 * detection ejected it (`ejectedUntil` ahead of the clock) and `EndpointState.active`. Reads
 * shared state only; empty without a runtime.
 */
export function readUpstreamStates(runtime: WorkerRuntime | null, now: number): { readonly version: string | null; readonly upstreams: readonly UpstreamStateReading[] } {
  if (runtime === null) return { version: null, upstreams: [] };
  const upstreams: UpstreamStateReading[] = [];
  for (const u of runtime.upstreams.values()) {
    const endpoints: EndpointStateReading[] = [];
    for (let i = 0; i < u.states.length; i++) {
      const state = u.states[i] as EndpointState;
      endpoints.push({ address: u.addresses[i] ?? state.address, ejected: state.ejectedUntil > now, inFlight: Math.max(0, state.active) });
    }
    const b = u.breaker;
    const breaker = b === null ? null : b.state === BREAKER_OPEN ? 'open' : b.state === BREAKER_HALF_OPEN ? 'half-open' : 'closed';
    upstreams.push({ name: u.name, breaker, endpoints });
  }
  return { version: runtime.version, upstreams };
}
