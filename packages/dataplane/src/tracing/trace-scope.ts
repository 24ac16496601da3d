import type { SpanGroup } from '@weir/tracing';

/** What every span of one runtime shares: the process resource and Weir's scope, version and arm. */
export interface TraceScope {
  /** Resource and scope, shared by every runtime of the same resource settings. */
  readonly group: SpanGroup;
  /** The runtime's config version (`weir.config.version`). */
  readonly version: string;
  /** `stable`, or `candidate` during a rollout (`weir.rollout.arm`). */
  readonly arm: string;
}

/**
 * The version of Weir's instrumentation scope (`weir`): the names and meanings of its span
 * attributes (apps/weir/docs/tracing.md). Bumped when they change.
 */
export const TRACE_SCOPE_VERSION = '1';
