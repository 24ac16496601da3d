/**
 * Traffic module: how a route's requests are split across upstream groups (DESIGN.md section 3,
 * step 2), and the weighted index table the balancer shares.
 */
export { WeightedTable, DEFAULT_MAX_TABLE_LENGTH } from './weighted-table';
export type { WeightedTableOptions } from './weighted-table';
export { TrafficPlan } from './traffic-plan';
export type { SplitEntry } from './traffic-plan';
