import { WeightedTable } from '../traffic/index';
import { PICK_TRIES, type Balancer, type PickFilter } from './balancer';
import type { EndpointView } from './endpoint-view';

/**
 * Least request by the power of two choices (Mitzenmacher; Envoy's default `choice_count: 2`):
 * draw two endpoints at random, weighted, and take the one with fewer requests in flight from
 * this worker (`EndpointState.active`); a tie keeps the first draw. Two draws avoid both the
 * herd of "always the global minimum" (every worker piling onto the same idle endpoint) and
 * the O(n) scan it needs.
 *
 * Weights: the draws are weighted, so with no load (every count 0, every tie kept) the shares
 * are exactly the weights, as in weighted random; under load an endpoint with twice the weight
 * is offered twice as often and so carries about twice the requests. (Envoy divides the weight
 * by the active count instead, which needs its EDF scheduler; the draws here stay O(1).)
 */
export class LeastRequestBalancer implements Balancer {
  private readonly table: WeightedTable;
  private readonly view: EndpointView;
  private readonly random: () => number;

  /** @param random a source of `[0, 1)`; `Math.random` in production, seeded in tests. */
  constructor(view: EndpointView, weights: readonly number[], random: () => number) {
    this.view = view;
    this.table = new WeightedTable(weights);
    this.random = random;
  }

  pick(_hash: number, filter: PickFilter | null): number {
    const view = this.view;
    const states = view.states;
    const panic = view.panicking();
    let a = 0;
    for (let t = 0; t < PICK_TRIES; t++) {
      a = this.table.at(this.random());
      const b = this.table.at(this.random());
      const okA = view.eligible(a, panic) && (filter === null || filter.accepts(a));
      const okB = b !== a && view.eligible(b, panic) && (filter === null || filter.accepts(b));
      if (okA && okB) return states[b]!.active < states[a]!.active ? b : a;
      if (okA) return a;
      if (okB) return b;
    }
    return view.scan(a, filter, panic);
  }
}
