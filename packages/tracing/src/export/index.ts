export type { SpanSink } from './span-sink';
export { createOtlpSink } from './otlp-sink';
export type { OtlpSinkOptions } from './otlp-sink';
export { realScheduler } from './scheduler';
export type { Scheduler } from './scheduler';
export { SpanQueue } from './span-queue';
export type { SpanQueueOptions, SpanDrops } from './span-queue';
export { ExportQueues, otlpSinkFor } from './export-queues';
export type { ExportSettings, ExportReadings, SinkFactory } from './export-queues';
