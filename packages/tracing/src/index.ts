/**
 * @weir/tracing: W3C trace context, sampling, span records and OTLP export for the data plane.
 * This file is the package's public API (STYLE.md rule 2).
 */
export { parseTraceParent, formatTraceParent, acceptTraceState, TRACE_STATE_LIMIT, RandomIds } from './trace-context/index';
export type { TraceParent, IdSource } from './trace-context/index';
export { shouldSample } from './sampler/index';
export type { SamplingPolicy } from './sampler/index';
export { SpanRecord, SpanKind, SpanStatusCode, epochHrTime, hrTimeDiff, createResource, weirScope } from './span-record/index';
export type { SpanEvent } from './span-record/index';
export {
  createOtlpSink,
  realScheduler,
  SpanQueue,
  ExportQueues,
  otlpSinkFor,
  SpanGroup,
  SpanWriter,
  attrKey,
  SPAN_ATTRIBUTES,
  EVENT_ATTRIBUTES,
} from './export/index';
export type { AttrKey, SpanBatch, SpanSink, OtlpSinkOptions, Scheduler, SpanQueueOptions, SpanDrops, ExportSettings, ExportReadings, SinkFactory } from './export/index';
