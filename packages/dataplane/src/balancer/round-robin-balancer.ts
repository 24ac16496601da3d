import { WeightedTable } from '../traffic/index';
import { PICK_TRIES, type Balancer, type PickFilter } from './balancer';
import type { EndpointView } from './endpoint-view';

/** Options of a `RoundRobinBalancer`. */
export interface RoundRobinOptions {
  /**
   * Table position of the first pick. Default `0`. `assemble` may pass a random start so that
   * every worker does not send its first request after a reload to the same endpoint (Envoy
   * randomises its round-robin start for the same reason).
   */
  readonly start?: number;
}

/**
 * Weighted round robin over an upstream's endpoints: walks a smooth weighted table
 * (`WeightedTable`), so an endpoint with weight 3 gets 3 picks in every cycle, spread out
 * rather than in a burst. One array load, one counter and one availability check per pick.
 * An unavailable (or filtered-out) endpoint's turn passes to the next table entry, so its share
 * spreads over the others in proportion to their weights.
 */
export class RoundRobinBalancer implements Balancer {
  private readonly table: WeightedTable;
  private readonly view: EndpointView;

  /**
   * @param view the endpoints, in the order of `weights`.
   * @param weights one positive integer per endpoint.
   * @throws WeirError WEIR_ERR_INTERNAL when weights are empty or not positive integers.
   */
  constructor(view: EndpointView, weights: readonly number[], options?: RoundRobinOptions) {
    this.view = view;
    this.table = new WeightedTable(weights, { start: options?.start ?? 0 });
  }

  pick(_hash: number, filter: PickFilter | null): number {
    const view = this.view;
    const panic = view.panicking();
    const table = this.table;
    let i = table.next();
    if (view.eligible(i, panic) && (filter === null || filter.accepts(i))) return i;
    for (let t = 1; t < PICK_TRIES; t++) {
      i = table.next();
      if (view.eligible(i, panic) && (filter === null || filter.accepts(i))) return i;
    }
    return view.scan(i, filter, panic);
  }
}
