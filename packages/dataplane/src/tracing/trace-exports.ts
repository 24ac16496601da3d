import { hostname } from 'node:os';
import { createResource, ExportQueues, SpanGroup, weirScope, type ExportReadings, type SinkFactory, type SpanQueue } from '@weir/tracing';
import { TRACE_SCOPE_VERSION } from './trace-scope';
import type { TracingSpec } from '@weir/runtime';

/** Spans exported and dropped by every queue this worker has had (metrics, read at scrape). */
export type TraceExportReadings = ExportReadings;
export type { SinkFactory } from '@weir/tracing';

/**
 * The tracing state of one worker kept across config versions (issue 18): the export queues
 * (`ExportQueues` of `@weir/tracing`, one per `tracing.export` setting, shared by runtimes of
 * the same setting) and the process resource (`service.name`, instance id, the config's
 * `resourceAttributes`), built once per distinct setting.
 */
export class TraceExports {
  private readonly queues: ExportQueues;
  private readonly groups = new Map<string, SpanGroup>();
  private readonly instanceId: string;

  constructor(sinkFor?: SinkFactory, instanceId = `${hostname()}:${process.pid}`) {
    this.queues = new ExportQueues(sinkFor);
    this.instanceId = instanceId;
  }

  /** The queue for `spec.export` (shared with runtimes of the same settings); null without one. */
  queueFor(spec: TracingSpec): SpanQueue | null {
    return spec.export === null ? null : this.queues.queueFor(spec.export);
  }

  /**
   * The process resource for `spec`'s service name and attributes, with Weir's scope: one
   * object per setting, so runtimes of the same setting (a rollout's two arms) fill one batch.
   */
  groupFor(spec: TracingSpec): SpanGroup {
    const key = JSON.stringify([spec.serviceName, spec.resourceAttributes]);
    let group = this.groups.get(key);
    if (group === undefined) {
      const resource = createResource({
        ...spec.resourceAttributes,
        'service.name': spec.serviceName,
        'service.instance.id': this.instanceId,
        'process.pid': String(process.pid),
      });
      group = new SpanGroup(resource, weirScope(TRACE_SCOPE_VERSION));
      this.groups.clear();
      this.groups.set(key, group);
    }
    return group;
  }

  /** Shuts the queues not in `keep` down (after a stable build: those are the ones in use). */
  prune(keep: ReadonlySet<SpanQueue>): void {
    this.queues.prune(keep);
  }

  /** Totals over every queue, current and retired. */
  readings(): TraceExportReadings {
    return this.queues.readings();
  }

  /** Drain: sends what waits, within `timeoutMs`, and stops every queue. */
  close(timeoutMs: number): Promise<void> {
    return this.queues.close(timeoutMs);
  }
}
