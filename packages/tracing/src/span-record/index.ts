export { SpanRecord } from './span-record';
export type { SpanEvent } from './span-record';
/** Re-exported so the data plane names span kinds and status codes without importing the API. */
export { SpanKind, SpanStatusCode } from '@opentelemetry/api';
export { epochHrTime, hrTimeDiff } from './epoch-hr-time';
export { createResource, weirScope } from './create-resource';
