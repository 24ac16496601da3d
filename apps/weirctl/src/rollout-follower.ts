import { setTimeout as delay } from 'node:timers/promises';
import type { Rollout } from './admin-types';
import { isFinalState } from './admin-types';
import { CliError } from './cli-error';
import { formatDuration } from './duration';
import { ExitCode } from './exit-codes';

/** What the follower needs of the client (AdminClient satisfies it; tests may pass a fake). */
export interface RolloutSource {
  getRollout(id: string, waitSeconds?: number, options?: { signal?: AbortSignal }): Promise<Rollout>;
}

/** Options of {@link followRollout}. */
export interface FollowOptions {
  /** Give up after this long (exit 7). Default: wait for as long as it takes. */
  readonly timeoutMs?: number | undefined;
  /** Called with the first rollout and with every answer. */
  readonly onUpdate: (rollout: Rollout) => void;
  /** Monotonic-enough clock in ms. Default `Date.now`. */
  readonly now?: () => number;
  /** The long-poll `?wait=` in seconds, 1-300. Default 30. */
  readonly pollSeconds?: number;
  /**
   * The pause before asking again when an answer came back early and unchanged (a daemon that
   * ignores `?wait`), so weirctl never spins. Default 1000 ms.
   */
  readonly minIntervalMs?: number;
}

const KNOWN_STATES = new Set(['running', 'paused', 'promoted', 'aborted']);

/** What changes between two answers when the rollout moved. */
function fingerprint(rollout: Rollout): string {
  return `${rollout.state}|${rollout.stage}|${rollout.lastAnalysis?.at ?? ''}|${rollout.events.length}`;
}

/**
 * Follow a rollout to its end with one long-poll at a time (`GET /admin/rollouts/{id}?wait=30`)
 * and return it once `promoted` or `aborted`. A `timeoutMs` deadline aborts the request in
 * flight and throws a CliError `WEIRCTL_ERR_WAIT_TIMEOUT` (exit 7); API failures propagate as
 * AdminCallErrors. A paused rollout is waited on like a running one (someone must promote it).
 */
export async function followRollout(source: RolloutSource, initial: Rollout, options: FollowOptions): Promise<Rollout> {
  const now = options.now ?? Date.now;
  const pollSeconds = options.pollSeconds ?? 30;
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const deadline = options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : now() + options.timeoutMs;
  const controller = new AbortController();
  const timer = options.timeoutMs === undefined ? null : setTimeout(() => controller.abort(), options.timeoutMs);
  const timedOut = (rollout: Rollout): CliError =>
    new CliError(
      'WEIRCTL_ERR_WAIT_TIMEOUT',
      ExitCode.TIMED_OUT,
      `rollout ${rollout.id} is still ${rollout.state} after ${formatDuration(options.timeoutMs ?? 0)}; it goes on without weirctl`,
    );
  let current = initial;
  try {
    options.onUpdate(current);
    for (;;) {
      if (!KNOWN_STATES.has(current.state)) {
        throw new CliError('WEIRCTL_ERR_UNEXPECTED_ANSWER', ExitCode.FAILURE, `rollout ${current.id} is in an unknown state "${current.state}"`);
      }
      if (isFinalState(current.state)) return current;
      if (controller.signal.aborted) throw timedOut(current);
      const remainingS = Math.ceil((deadline - now()) / 1000);
      const wait = Math.max(1, Math.min(pollSeconds, Number.isFinite(remainingS) ? remainingS : pollSeconds));
      const asked = now();
      let next: Rollout;
      try {
        next = await source.getRollout(current.id, wait, { signal: controller.signal });
      } catch (err) {
        if (controller.signal.aborted) throw timedOut(current);
        throw err;
      }
      const moved = fingerprint(next) !== fingerprint(current);
      current = next;
      options.onUpdate(current);
      if (!moved && now() - asked < minIntervalMs) await delay(minIntervalMs, undefined, { signal: controller.signal }).catch(() => undefined);
    }
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}
