export { WorkerTracer } from './worker-tracer';
export { RequestTrace, AttemptSpan } from './request-trace';
export type { RequestFacts } from './request-spans';
export { endedInError } from './request-spans';
export { TraceExports } from './trace-exports';
export type { TraceExportReadings, SinkFactory } from './trace-exports';
export type { TraceScope } from './trace-scope';
export { TRACE_SCOPE_VERSION } from './trace-scope';
export { readTraceHeaders } from './trace-headers';
