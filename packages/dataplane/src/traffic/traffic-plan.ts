import { WeightedTable } from './weighted-table';

/** One group of a route's split: an upstream name and its relative weight (positive integer). */
export interface SplitEntry {
  readonly upstream: string;
  readonly weight: number;
}

/**
 * A route's traffic plan: which upstream group each request goes to (DESIGN.md section 3,
 * step 2). Built once per forward route in `assemble`.
 *
 * Groups are picked at random by weight rather than in round robin: every worker runs its own
 * plan, and independent random picks keep the split right across workers and runtimes swapped by
 * a reload without shared counters (Envoy's weighted clusters do the same). The random source is
 * injected so tests are deterministic.
 *
 * Later issues add header/cookie overrides, a sticky key and mirrors here.
 */
export class TrafficPlan {
  /** Upstream names in split order; `pick()` returns an index into this list. */
  readonly upstreams: readonly string[];
  /** Null for a single-group split, which needs no table and no random number. */
  private readonly table: WeightedTable | null;
  private readonly random: () => number;

  /**
   * @param split at least one entry, weights positive integers (validated upstream).
   * @param random uniform source in [0, 1). Default `Math.random`.
   * @throws WeirError WEIR_ERR_INTERNAL when the split is empty or a weight is not a positive
   *   integer.
   */
  constructor(split: readonly SplitEntry[], random: () => number = Math.random) {
    const names: string[] = [];
    const weights: number[] = [];
    for (let i = 0; i < split.length; i++) {
      const entry = split[i] as SplitEntry;
      names.push(entry.upstream);
      weights.push(entry.weight);
    }
    this.upstreams = names;
    this.random = random;
    // A one-entry split still goes through the table's checks, then drops it.
    const table = new WeightedTable(weights);
    this.table = split.length === 1 ? null : table;
  }

  /** Index of the chosen group in `upstreams`. */
  pick(): number {
    const table = this.table;
    return table === null ? 0 : table.at(this.random());
  }
}
