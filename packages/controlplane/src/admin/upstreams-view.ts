import type { BreakerStateName, EndpointHealth, WorkerUpstreamStates } from '@weir/cluster/primary';
import type { Spec } from '@weir/runtime';

/** One endpoint of `GET /admin/upstreams`. */
export interface EndpointView {
  readonly address: string;
  readonly weight: number;
  /** The primary's active checks; `unchecked` when the upstream has none. */
  readonly health: 'healthy' | 'unhealthy' | 'unchecked';
  /** Answering workers whose outlier detection has it ejected right now. */
  readonly ejectedWorkers: number;
  /** Workers that answered with this endpoint. */
  readonly workers: number;
  /** Requests in flight to it, summed over the answering workers. */
  readonly inFlight: number;
}

/** One upstream of `GET /admin/upstreams`. */
export interface UpstreamView {
  readonly name: string;
  readonly balancer: string;
  /**
   * The worst failure-ratio breaker state over the answering workers (open > half-open >
   * closed); `closed` when none answered; null when the upstream has no `failureRatio`.
   */
  readonly breaker: BreakerStateName | null;
  readonly endpoints: readonly EndpointView[];
}

/** The body of `GET /admin/upstreams`. */
export interface UpstreamsBody {
  readonly version: string;
  readonly upstreams: readonly UpstreamView[];
}

const SEVERITY: Readonly<Record<BreakerStateName, number>> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * Merges the running spec, the primary's active-health table and the workers' answers into the
 * upstream view (issue 17). Pure. Upstreams and endpoints come from the spec, in its order; a
 * worker's answer counts for an endpoint when it names the same upstream and address (a worker
 * still on the previous version shares the endpoint's state by that identity, so it counts
 * too). Health of a checked endpoint missing from the table is the check's `initialState`.
 */
export function upstreamsView(spec: Spec, health: readonly EndpointHealth[], answers: readonly WorkerUpstreamStates[]): UpstreamsBody {
  const healthy = new Map<string, boolean>();
  for (const h of health) healthy.set(`${h.upstream}|${h.address}`, h.healthy);
  const upstreams: UpstreamView[] = spec.upstreams.map((u) => {
    const reports = answers.map((a) => a.upstreams.find((r) => r.name === u.name)).filter((r) => r !== undefined);
    let breaker: BreakerStateName | null = null;
    if (u.breaker.failureRatio !== null) {
      breaker = 'closed';
      for (const r of reports) if (r.breaker !== null && SEVERITY[r.breaker] > SEVERITY[breaker]) breaker = r.breaker;
    }
    const endpoints: EndpointView[] = u.endpoints.map((e) => {
      let workers = 0;
      let ejectedWorkers = 0;
      let inFlight = 0;
      for (const r of reports) {
        const seen = r.endpoints.find((x) => x.address === e.address);
        if (seen === undefined) continue;
        workers++;
        if (seen.ejected) ejectedWorkers++;
        inFlight += seen.inFlight;
      }
      const check = u.healthCheck;
      const state = check === null ? 'unchecked' : (healthy.get(`${u.name}|${e.address}`) ?? check.initialState === 'healthy') ? 'healthy' : 'unhealthy';
      return { address: e.address, weight: e.weight, health: state, ejectedWorkers, workers, inFlight };
    });
    return { name: u.name, balancer: u.balancer.policy, breaker, endpoints };
  });
  return { version: spec.version, upstreams };
}
