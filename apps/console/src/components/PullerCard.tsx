import { ago, time } from '../format';
import type { PullStatus } from '../types';

/**
 * The bundle puller on the overview (issue 17, with the bundles issue): where it pulls from, the
 * revision running, the last success, and the last rejection with its reason. A failing puller
 * is marked without reading numbers; the running version keeps serving either way.
 */
export function PullerCard({ pull }: { pull: PullStatus }) {
  const error = pull.lastError;
  // Failing: the source cannot be read now. Refused: the bundle it serves was rejected after the
  // last success (polls of that same bundle do not count as failures, and do not succeed).
  const failing = pull.consecutiveFailures > 0;
  const refused = !failing && error !== null && (pull.lastSuccessAt === null || Date.parse(error.at) >= Date.parse(pull.lastSuccessAt));
  const state = failing ? `failing (${pull.consecutiveFailures})` : refused ? 'bundle refused' : 'ok';
  return (
    <div class="card" data-testid="puller">
      <h3>Bundle puller</h3>
      <p>
        revision <span class="big" data-testid="puller-revision">{pull.revision ?? 'none yet'}</span>{' '}
        <span class={`tag ${failing || refused ? 'bad' : 'good'}`}>{state}</span>
      </p>
      <p class="wrap">
        <span class="tag">{pull.mode}</span> from <code>{pull.source}</code>
      </p>
      <p>
        last success:{' '}
        {pull.lastSuccessAt === null ? (
          'none yet'
        ) : (
          <>
            <time dateTime={pull.lastSuccessAt}>{time(pull.lastSuccessAt)}</time> ({ago(pull.lastSuccessAt)})
          </>
        )}
      </p>
      {error !== null ? (
        <p class="error" data-testid="puller-error">
          last rejection, <time dateTime={error.at}>{time(error.at)}</time>: {`${error.code}: ${error.message}`}
        </p>
      ) : null}
    </div>
  );
}
