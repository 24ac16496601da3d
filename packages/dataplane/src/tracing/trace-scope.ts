import type { createResource, weirScope } from '@weir/tracing';

/** What every span of one runtime shares: the process resource, Weir's scope, version and arm. */
export interface TraceScope {
  readonly resource: ReturnType<typeof createResource>;
  readonly scope: ReturnType<typeof weirScope>;
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
