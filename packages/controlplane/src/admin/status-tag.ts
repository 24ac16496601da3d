import { createHash } from 'node:crypto';
import type { WorkerStatus } from '@weir/cluster/primary';
import type { AppliedConfig, LastApply } from '../apply/index';

/** The in-process state `GET /admin/status` is built from, read without any IPC round. */
export interface StatusState {
  readonly running: AppliedConfig | null;
  readonly lastApply: LastApply | null;
  readonly workers: readonly WorkerStatus[];
  /** The live rollout record (RolloutService.current), or null. */
  readonly rollout: object | null;
  /** The bundle puller's status, or null. */
  readonly pull: object | null;
}

function field(record: object | null, name: string): unknown {
  if (record === null) return null;
  return (record as Readonly<Record<string, unknown>>)[name] ?? null;
}

/**
 * The entity tag of `GET /admin/status` (issue 17: the console long-polls it), as the opaque
 * part of a weak tag: `s-` + 16 hex digits of a sha256 over what a viewer must not miss:
 *
 * - config: version, source, principal; the last apply (every field, its time included);
 * - each worker's index, pid, state, version and restarts;
 * - the live rollout's id, state, stage, pausedBy and outcome;
 * - the puller's source, mode, revision, last error and failures in a row.
 *
 * Left out on purpose, because they change all the time without anything happening: uptimes,
 * in-flight counts, the candidate's per-worker share, the rollout's analyses, and the puller's
 * poll times (`lastPollAt`, `lastSuccessAt`: every unchanged poll moves them). Pure.
 */
export function statusTag(state: StatusState): string {
  const running = state.running;
  const pull = state.pull;
  const parts = [
    running === null ? null : [running.spec.version, running.source, running.principal],
    state.lastApply,
    state.workers.map((w) => [w.index, w.pid, w.state, w.version, w.restarts]),
    state.rollout === null ? null : ['id', 'state', 'stage', 'pausedBy', 'outcome'].map((name) => field(state.rollout, name)),
    pull === null ? null : ['source', 'mode', 'revision', 'lastError', 'consecutiveFailures'].map((name) => field(pull, name)),
  ];
  return `s-${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16)}`;
}

/** The `ETag` header value of a status tag: weak, since uptimes and in-flight counts vary under it. */
export function statusEtag(tag: string): string {
  return `W/"${tag}"`;
}
