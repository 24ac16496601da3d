import { WeirError } from '@weir/errors';

/** Default cap on a table's length: 4096 entries (8 KiB as a Uint16Array). */
export const DEFAULT_MAX_TABLE_LENGTH = 4096;

/** Options of a `WeightedTable`. */
export interface WeightedTableOptions {
  /**
   * Cap on the table length. Weights whose gcd-reduced sum exceeds it are scaled down
   * proportionally, every weight staying at least 1; the cap is raised to the number of weights
   * when there are more weights than that. Default `4096`.
   */
  readonly maxLength?: number;
  /** Table index `next()` starts from (taken modulo the length). Default `0`. */
  readonly start?: number;
}

/**
 * A precomputed weighted index table (pingora `selection/weighted.rs`, STYLE.md rule 6): picks
 * are one array load, built once at assemble time.
 *
 * The table is filled by smooth weighted round robin (nginx `ngx_http_upstream_get_peer`): at
 * each slot every index gains its weight, the largest running total is chosen and loses the
 * total weight. Picks of one index are spread through the table instead of bunched, e.g.
 * weights 5,1,1 give `0 0 1 0 2 0 0` rather than `0 0 0 0 0 1 2`.
 *
 * Spread, with w_i the table's (reduced, possibly scaled) weights and W their sum: over the whole
 * table index i appears exactly w_i times. Smooth WRR keeps every running total within (-W, W),
 * so the first m entries hold index i within 1 of `m * w_i / W` times, and any m consecutive
 * entries read cyclically (as `next()` does) within 2. Tests check both over random weight sets.
 * nginx's sequence is not optimal at the wrap: 5,1,1 cycles as `... 0 0 | 0 0 1 ...`, a run of 4.
 *
 * ```
 *   weights [5, 1, 1]  --gcd 1, sum 7 <= cap-->  table Uint16Array [0,0,1,0,2,0,0]
 *   next(): cursor 0 1 2 3 4 5 6 0 1 ...  (wraps)       at(r): table[(r * 7) | 0]
 * ```
 */
export class WeightedTable {
  /** Number of entries. */
  readonly length: number;
  /** The weights the table was built from after gcd reduction and scaling. */
  readonly weights: readonly number[];
  private readonly table: Uint16Array | Uint32Array;
  private cursor: number;

  /**
   * @param weights positive integers, one per index; at least one.
   * @throws WeirError WEIR_ERR_INTERNAL when weights are empty or not positive integers (the
   *   spec's validation guarantees they are, so this is a bug upstream).
   */
  constructor(weights: readonly number[], options?: WeightedTableOptions) {
    const n = weights.length;
    if (n === 0) throw new WeirError('WEIR_ERR_INTERNAL', 'weighted table needs at least one weight');
    for (let i = 0; i < n; i++) {
      const w = weights[i] as number;
      if (!Number.isSafeInteger(w) || w < 1) {
        throw new WeirError('WEIR_ERR_INTERNAL', `weight ${i} is ${String(w)}, not a positive integer`);
      }
    }
    const cap = Math.max(options?.maxLength ?? DEFAULT_MAX_TABLE_LENGTH, n);
    const scaled = reduce(scale(reduce(weights), cap));
    let total = 0;
    for (let i = 0; i < n; i++) total += scaled[i] as number;
    this.weights = scaled;
    this.length = total;
    // Uint16Array as in pingora; indexes beyond 65535 need the wider array.
    this.table = n <= 0x10000 ? new Uint16Array(total) : new Uint32Array(total);
    if (total === n) {
      // Equal weights: smooth WRR degenerates to 0, 1, ..., n-1.
      for (let i = 0; i < n; i++) this.table[i] = i;
    } else {
      fillSmooth(this.table, scaled, total);
    }
    const start = Math.floor(options?.start ?? 0) % total;
    this.cursor = start < 0 ? start + total : start;
  }

  /** The next index in round-robin order through the table; wraps at the end. */
  next(): number {
    const i = this.cursor;
    this.cursor = i + 1 === this.length ? 0 : i + 1;
    return this.table[i] as number;
  }

  /** A weighted random index for `r` in [0, 1) (`Math.random()` or a seeded source). */
  at(r: number): number {
    return this.table[(r * this.length) | 0] as number;
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** Divides every weight by their greatest common divisor: 2,4,6 and 1,2,3 build the same table. */
function reduce(weights: readonly number[]): number[] {
  let g = 0;
  for (let i = 0; i < weights.length; i++) g = gcd(weights[i] as number, g);
  const out: number[] = new Array<number>(weights.length);
  for (let i = 0; i < weights.length; i++) out[i] = (weights[i] as number) / g;
  return out;
}

/**
 * Fits weights into `cap` entries (cap >= weights.length): each index keeps 1 entry and the
 * remaining `cap - n` are shared in proportion to the weights, rounding down. The sum stays
 * within the cap and every share is within 1 entry of the exact proportion.
 */
function scale(weights: number[], cap: number): number[] {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i] as number;
  if (sum <= cap) return weights;
  const spare = cap - weights.length;
  const out: number[] = new Array<number>(weights.length);
  for (let i = 0; i < weights.length; i++) out[i] = 1 + Math.floor(((weights[i] as number) * spare) / sum);
  return out;
}

/**
 * Smooth weighted round robin over one full period (the running totals return to zero).
 * Costs n steps per entry. Equal weights never get here, and unequal ones imply n <= length <=
 * cap, so the build is at most cap^2 steps: 16.7M (about 20 ms, once per assemble) for an
 * upstream of 4096 endpoints of unequal weights at the default cap.
 */
function fillSmooth(table: Uint16Array | Uint32Array, weights: readonly number[], total: number): void {
  const n = weights.length;
  const current = new Float64Array(n);
  for (let slot = 0; slot < total; slot++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = (current[i] as number) + (weights[i] as number);
      current[i] = v;
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    current[best] = bestValue - total;
    table[slot] = best;
  }
}

