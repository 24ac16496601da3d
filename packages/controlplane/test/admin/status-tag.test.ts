import type { WorkerStatus } from '@weir/cluster/primary';
import { ChangeWatch, statusEtag, statusTag, type IntervalTimers, type StatusState } from '../../src/admin/index';
import type { AppliedConfig } from '../../src/apply/index';

const running = (version: string, principal: string | null = null): AppliedConfig =>
  ({ config: {}, spec: { version, hash: 'h' }, source: 'admin', principal, listeners: [] }) as unknown as AppliedConfig;

const worker = (index: number, over: Partial<WorkerStatus> = {}): WorkerStatus => ({
  index,
  pid: 100 + index,
  state: 'ready',
  version: 'v-1',
  restarts: 0,
  uptimeMs: 1_000,
  ...over,
});

const base: StatusState = {
  running: running('v-1'),
  lastApply: null,
  workers: [worker(0), worker(1)],
  rollout: null,
  pull: { source: 'https://b/x', mode: 'apply', revision: 3, lastSuccessAt: 'a', lastPollAt: 'a', lastError: null, consecutiveFailures: 0 },
};

describe('statusTag (ETag over the status)', () => {
  const tag = statusTag(base);

  it('is a short opaque tag, sent weak', () => {
    expect(tag).toMatch(/^s-[0-9a-f]{16}$/);
    expect(statusEtag(tag)).toBe(`W/"${tag}"`);
  });

  it('ignores uptimes, poll times and rollout analyses', () => {
    expect(statusTag({ ...base, workers: [worker(0, { uptimeMs: 99_999 }), worker(1, { uptimeMs: 5 })] })).toBe(tag);
    expect(statusTag({ ...base, pull: { ...(base.pull as object), lastSuccessAt: 'b', lastPollAt: 'b' } })).toBe(tag);
    const rollout = { id: 'r1', state: 'running', stage: 0, pausedBy: null, outcome: null, lastAnalysis: null };
    expect(statusTag({ ...base, rollout: { ...rollout, lastAnalysis: { at: 'now' } } })).toBe(statusTag({ ...base, rollout }));
  });

  it.each<[string, Partial<StatusState>]>([
    ['config version', { running: running('v-2') }],
    ['config principal', { running: running('v-1', 'ci') }],
    ['last apply', { lastApply: { version: 'v-1', source: 'admin', principal: 'ci', outcome: 'unchanged', at: 'now', durationMs: 1 } }],
    ['worker state', { workers: [worker(0, { state: 'backoff' }), worker(1)] }],
    ['worker pid', { workers: [worker(0, { pid: 7 }), worker(1)] }],
    ['worker version', { workers: [worker(0, { version: 'v-2' }), worker(1)] }],
    ['worker restarts', { workers: [worker(0, { restarts: 1 }), worker(1)] }],
    ['rollout', { rollout: { id: 'r1', state: 'running', stage: 0, pausedBy: null, outcome: null } }],
    ['pull error', { pull: { ...(base.pull as object), lastError: { code: 'X', message: 'm', at: 't' }, consecutiveFailures: 1 } }],
    ['pull revision', { pull: { ...(base.pull as object), revision: 4 } }],
  ])('changes with the %s', (_what, change) => {
    expect(statusTag({ ...base, ...change })).not.toBe(tag);
  });

  it('changes with the rollout\'s stage, state, pause and outcome', () => {
    const r = { id: 'r1', state: 'running', stage: 0, pausedBy: null, outcome: null };
    const tags = new Set(
      [r, { ...r, stage: 1 }, { ...r, state: 'paused', pausedBy: 'operator' }, { ...r, state: 'promoted', outcome: { result: 'promoted' } }].map((rollout) =>
        statusTag({ ...base, rollout }),
      ),
    );
    expect(tags.size).toBe(4);
  });
});

class ManualTimers implements IntervalTimers {
  readonly callbacks = new Map<number, () => void>();
  private next = 0;
  setInterval(callback: () => void): unknown {
    this.callbacks.set(++this.next, callback);
    return this.next;
  }
  clearInterval(handle: unknown): void {
    this.callbacks.delete(handle as number);
  }
}

describe('ChangeWatch (long-poll holds)', () => {
  let now = 0;
  let current = 'a';
  let timers: ManualTimers;
  let watch: ChangeWatch;

  beforeEach(() => {
    now = 0;
    current = 'a';
    timers = new ManualTimers();
    watch = new ChangeWatch({ current: () => current, now: () => now, timers, maxHeld: 2 });
  });

  it('answers changed at the first check after the tag moves, timeout at the deadline', async () => {
    expect.assertions(4);
    const changed = watch.wait('a', 5_000);
    const timeout = watch.wait('a', 1_000);
    expect(timers.callbacks.size).toBe(1);
    now = 1_000;
    watch.tick();
    expect(await timeout).toBe('timeout');
    current = 'b';
    watch.tick();
    expect(await changed).toBe('changed');
    // Nobody waits: the shared timer stops.
    expect(timers.callbacks.size).toBe(0);
  });

  it('holds at most maxHeld, answers busy beyond, and releases everything on close', async () => {
    expect.assertions(4);
    const held = [watch.wait('a', 60_000), watch.wait('a', 60_000)];
    expect(await watch.wait('a', 60_000)).toBe('busy');
    watch.close();
    expect(await Promise.all(held)).toEqual(['closed', 'closed']);
    expect(watch.held).toBe(0);
    expect(await watch.wait('a', 1_000)).toBe('closed');
  });

  it('releases a wait whose client went away', async () => {
    expect.assertions(2);
    const controller = new AbortController();
    const wait = watch.wait('a', 60_000, controller.signal);
    controller.abort();
    expect(await wait).toBe('closed');
    expect(watch.held).toBe(0);
  });
});
