import { WeightedTable } from '../traffic/index';
import { PICK_TRIES, type Balancer, type PickFilter } from './balancer';
import type { EndpointView } from './endpoint-view';

/**
 * Weighted random: each pick draws an endpoint with probability weight / total weight, from a
 * precomputed table (`WeightedTable.at`, one multiply and one load). Useful where round robin's
 * lockstep across many workers and proxies is unwanted. An unavailable endpoint's draw is redrawn.
 */
export class RandomBalancer implements Balancer {
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
    const panic = view.panicking();
    let i = 0;
    for (let t = 0; t < PICK_TRIES; t++) {
      i = this.table.at(this.random());
      if (view.eligible(i, panic) && (filter === null || filter.accepts(i))) return i;
    }
    return view.scan(i, filter, panic);
  }
}
