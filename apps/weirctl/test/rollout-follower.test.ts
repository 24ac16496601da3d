import { AdminCallError } from '../src/admin-call-error';
import type { Rollout } from '../src/admin-types';
import { CliError } from '../src/cli-error';
import { followRollout, type RolloutSource } from '../src/rollout-follower';
import { abortedFixture, promotedFixture, rolloutFixture } from './support/rollout-fixture';

/** A source answering from a list, recording the waits asked for. */
function source(...answers: (Rollout | Error)[]): RolloutSource & { waits: (number | undefined)[] } {
  const waits: (number | undefined)[] = [];
  return {
    waits,
    getRollout: async (_id, wait) => {
      waits.push(wait);
      const next = answers.length > 1 ? answers.shift() : answers[0];
      if (next instanceof Error) throw next;
      return next as Rollout;
    },
  };
}

describe('followRollout', () => {
  it('long-polls until promoted and reports every answer', async () => {
    expect.assertions(3);
    const seen: string[] = [];
    const src = source(rolloutFixture({ stage: 2 }), promotedFixture());
    const final = await followRollout(src, rolloutFixture(), { onUpdate: (r) => seen.push(`${r.state}/${r.stage}`) });
    expect(final.state).toBe('promoted');
    expect(seen).toEqual(['running/1', 'running/2', 'promoted/3']);
    expect(src.waits).toEqual([30, 30]);
  });

  it('returns an aborted rollout as it is', async () => {
    expect.assertions(1);
    const final = await followRollout(source(abortedFixture()), rolloutFixture(), { onUpdate: () => undefined });
    expect(final.outcome).toEqual(expect.objectContaining({ result: 'aborted', by: 'analysis' }));
  });

  it('asks for no longer than the time left before the deadline', async () => {
    expect.assertions(1);
    const t = 0;
    const src = source(promotedFixture());
    await followRollout(src, rolloutFixture(), { timeoutMs: 5500, now: () => t, onUpdate: () => undefined });
    expect(src.waits).toEqual([6]);
  });

  it('throws WEIRCTL_ERR_WAIT_TIMEOUT (exit 7) when the deadline aborts a held long-poll', async () => {
    expect.assertions(2);
    const held: RolloutSource = {
      getRollout: (_id, _wait, options) =>
        new Promise((_, reject) => options?.signal?.addEventListener('abort', () => reject(new AdminCallError({ kind: 'timeout', message: 'x' })))),
    };
    const err = await followRollout(held, rolloutFixture(), { timeoutMs: 50, onUpdate: () => undefined }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect([(err as CliError).code, (err as CliError).exitCode]).toEqual(['WEIRCTL_ERR_WAIT_TIMEOUT', 7]);
  });

  it('passes API failures through, and refuses unknown states (exit 8)', async () => {
    expect.assertions(2);
    const failure = new AdminCallError({ kind: 'http', status: 404, code: 'WEIR_ERR_ROLLOUT_NOT_FOUND', message: 'gone' });
    await expect(followRollout(source(failure), rolloutFixture(), { onUpdate: () => undefined })).rejects.toBe(failure);
    const odd = rolloutFixture({ state: 'exploded' as Rollout['state'] });
    const err = await followRollout(source(odd), rolloutFixture(), { onUpdate: () => undefined }).catch((e: unknown) => e);
    expect((err as CliError).exitCode).toBe(8);
  });

  it('does not spin when a daemon answers at once without a change', async () => {
    expect.assertions(1);
    const src = source(rolloutFixture(), promotedFixture());
    const started = Date.now();
    await followRollout(src, rolloutFixture(), { minIntervalMs: 40, onUpdate: () => undefined });
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });
});
