import { WeightedTable } from '../traffic/index';
import type { Balancer } from './balancer';

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
 * rather than in a burst. One array load and one counter per pick.
 */
export class RoundRobinBalancer implements Balancer {
  private readonly table: WeightedTable;

  /**
   * @param weights one positive integer per endpoint, in endpoint order.
   * @throws WeirError WEIR_ERR_INTERNAL when weights are empty or not positive integers.
   */
  constructor(weights: readonly number[], options?: RoundRobinOptions) {
    this.table = new WeightedTable(weights, { start: options?.start ?? 0 });
  }

  /** Next endpoint index in smooth weighted round-robin order. */
  pick(): number {
    return this.table.next();
  }
}
