export { parseTraceParent, formatTraceParent } from './trace-parent';
export type { TraceParent } from './trace-parent';
export { acceptTraceState, TRACE_STATE_LIMIT } from './trace-state';
export { RandomIds } from './random-ids';
export type { IdSource } from './random-ids';
