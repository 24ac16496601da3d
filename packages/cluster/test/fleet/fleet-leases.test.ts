import type { LeaseGrant, LeaseRequest, LeaseReturn } from '@weir/limits';
import { createClusterSpawner, type ClusterSpawnerOptions } from '../../src/fleet/cluster-spawner';
import { Fleet, type FleetOptions, type LeaseBankPort, type SpawnWorker, type WorkerEvents } from '../../src/fleet/index';
import { WORKER_COUNT_ENV, type JwksMessage, type LeaseGrantMessage, type PrimaryMessage } from '../../src/protocol/index';
import { CapturedLog } from '../support/capture-logger';
import { FakeWorkers, bytesOf, type FakeWorker } from '../support/fake-workers';

/**
 * Issue 9 on the primary: the fleet answers workers' `weir:lease` from the lease bank (failing
 * open without one or when it fails), forwards `weir:lease-return`, and distributes JWKS key
 * sets (`publishJwks`), remembered for workers that sync later.
 */

// Only the default spawner is replaced (every other test passes `spawn`): it records the
// options the fleet gives it, so the worker count in the workers' environment can be checked.
jest.mock('../../src/fleet/cluster-spawner', () => ({
  createClusterSpawner: jest.fn(() => () => {
    throw new Error('the mocked cluster spawner forks nothing');
  }),
}));

type Jwks = JwksMessage['jwks'];

const REQUEST: LeaseRequest = { limitId: 'r1', key: '10.0.0.1', want: 20, ratePerSecond: 100, burst: 200, scope: 'host' };
const GRANT: LeaseGrant = { granted: 5, retryAfterMs: 0, remaining: 3 };
const FULL: LeaseGrant = { granted: 20, retryAfterMs: 0, remaining: 0 };
const RETURN: LeaseReturn = { limitId: 'r1', key: '10.0.0.1', scope: 'host', tokens: 4 };
const URL_A = 'https://id.example.com/a/jwks.json';
const URL_B = 'https://id.example.com/b/jwks.json';
const SET_1: Jwks = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'one', kid: 'k1' }] };
const SET_2: Jwks = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'two', kid: 'k2' }] };

/** FakeWorkers that also keep each process's event sink, so a test can speak as a worker. */
class TalkingWorkers extends FakeWorkers {
  private readonly sinks = new Map<FakeWorker, WorkerEvents>();
  readonly spawnTalking: SpawnWorker = (index, events) => {
    const worker = this.spawn(index, events) as FakeWorker;
    this.sinks.set(worker, events);
    return worker;
  };

  /** Deliver `message` to the fleet as if the live worker of slot `index` sent it. */
  say(index: number, message: unknown): void {
    (this.sinks.get(this.live(index)) as WorkerEvents).message(message);
  }
}

/** A bank whose answers are scripted per test. */
class ScriptedBank implements LeaseBankPort {
  readonly requests: LeaseRequest[] = [];
  readonly returns: LeaseReturn[] = [];
  answer: (req: LeaseRequest) => LeaseGrant | Promise<LeaseGrant> = () => GRANT;

  request(req: LeaseRequest): LeaseGrant | Promise<LeaseGrant> {
    this.requests.push(req);
    return this.answer(req);
  }

  giveBack(ret: LeaseReturn): void {
    this.returns.push(ret);
  }
}

/** Resolves once `predicate` holds, checking after each turn of the event loop. */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setImmediate(resolve));
}

function grantsOf(worker: FakeWorker): LeaseGrantMessage[] {
  return worker.received.filter((m): m is LeaseGrantMessage => m.type === 'weir:lease-grant');
}

/** What a worker received, jwks messages as `[url, set]`, everything else as its type. */
function script(worker: FakeWorker): unknown[] {
  return worker.received.map((m: PrimaryMessage) => (m.type === 'weir:jwks' ? [m.url, m.jwks] : m.type));
}

describe('Fleet leases and JWKS', () => {
  let fleets: Fleet[] = [];
  let log: CapturedLog;
  let fakes: TalkingWorkers;

  function makeFleet(options: Partial<FleetOptions> = {}): Fleet {
    const fleet = new Fleet({ workers: 2, logger: log.logger, spawn: fakes.spawnTalking, backoff: { initialMs: 1, maxMs: 8 }, drainGraceMs: 10, ...options });
    fleets.push(fleet);
    return fleet;
  }

  beforeEach(() => {
    log = new CapturedLog();
    fakes = new TalkingWorkers();
  });

  afterEach(async () => {
    await Promise.all(fleets.map((f) => f.drain(0)));
    fleets = [];
  });

  describe('leases', () => {
    it('answers from a synchronous bank at once, to the worker that asked, with its id', async () => {
      expect.assertions(4);
      const bank = new ScriptedBank();
      await makeFleet({ leases: bank }).start();
      fakes.say(1, { type: 'weir:lease', id: 41, request: REQUEST });
      expect(bank.requests).toEqual([REQUEST]);
      expect(grantsOf(fakes.live(1))).toEqual([{ type: 'weir:lease-grant', id: 41, grant: GRANT }]);
      expect(grantsOf(fakes.live(0))).toEqual([]);
      expect(log.withMsg('lease bank failed')).toEqual([]);
    });

    it('answers from an asynchronous bank once it resolves, each grant under its own id', async () => {
      expect.assertions(3);
      const bank = new ScriptedBank();
      const resolvers: ((grant: LeaseGrant) => void)[] = [];
      bank.answer = () => new Promise((resolve) => resolvers.push(resolve));
      await makeFleet({ leases: bank }).start();
      fakes.say(0, { type: 'weir:lease', id: 1, request: REQUEST });
      fakes.say(0, { type: 'weir:lease', id: 2, request: { ...REQUEST, key: 'other' } });
      expect(grantsOf(fakes.live(0))).toEqual([]);
      // Answered out of order: the ids keep them apart.
      resolvers[1]?.({ granted: 0, retryAfterMs: 90, remaining: 0 });
      resolvers[0]?.(GRANT);
      await until(() => grantsOf(fakes.live(0)).length === 2);
      expect(grantsOf(fakes.live(0))).toEqual([
        { type: 'weir:lease-grant', id: 2, grant: { granted: 0, retryAfterMs: 90, remaining: 0 } },
        { type: 'weir:lease-grant', id: 1, grant: GRANT },
      ]);
      expect(bank.requests.map((r) => r.key)).toEqual(['10.0.0.1', 'other']);
    });

    it('grants in full and logs an error when the bank throws', async () => {
      expect.assertions(3);
      const bank = new ScriptedBank();
      bank.answer = () => {
        throw new Error('bank broke');
      };
      await makeFleet({ leases: bank }).start();
      fakes.say(0, { type: 'weir:lease', id: 3, request: REQUEST });
      expect(grantsOf(fakes.live(0))).toEqual([{ type: 'weir:lease-grant', id: 3, grant: FULL }]);
      const line = await log.until((l) => l.msg === 'lease bank failed');
      expect(line.level).toBe('error');
      expect((line['err'] as { message: string }).message).toBe('bank broke');
    });

    it('grants in full and logs an error when the bank rejects', async () => {
      expect.assertions(3);
      const bank = new ScriptedBank();
      bank.answer = () => Promise.reject(new Error('redis down'));
      await makeFleet({ leases: bank }).start();
      fakes.say(1, { type: 'weir:lease', id: 4, request: { ...REQUEST, want: 9 } });
      await until(() => grantsOf(fakes.live(1)).length === 1);
      expect(grantsOf(fakes.live(1))).toEqual([{ type: 'weir:lease-grant', id: 4, grant: { granted: 9, retryAfterMs: 0, remaining: 0 } }]);
      const line = await log.until((l) => l.msg === 'lease bank failed');
      expect(line.level).toBe('error');
      expect((line['err'] as { message: string }).message).toBe('redis down');
    });

    it('grants in full without a bank, and logs nothing', async () => {
      expect.assertions(2);
      await makeFleet().start();
      fakes.say(0, { type: 'weir:lease', id: 5, request: { ...REQUEST, want: 3, scope: 'global' } });
      expect(grantsOf(fakes.live(0))).toEqual([{ type: 'weir:lease-grant', id: 5, grant: { granted: 3, retryAfterMs: 0, remaining: 0 } }]);
      expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
    });

    it('answers a worker that is still syncing (leases do not wait for the apply queue)', async () => {
      expect.assertions(2);
      const bank = new ScriptedBank();
      // Slot 1's first process never answers its prepare: it stays in its sync.
      fakes.behaviourFor = (index, generation) => (index === 1 && generation === 1 ? { prepare: 'hang' } : {});
      const fleet = makeFleet({ leases: bank });
      await fleet.start();
      await fleet.apply(bytesOf('v1'), 'v1');
      fakes.live(1).exit(1);
      await until(() => fleet.status()[1]?.state === 'syncing' && fakes.live(1).types.includes('weir:prepare'));
      fakes.say(1, { type: 'weir:lease', id: 6, request: REQUEST });
      expect(grantsOf(fakes.live(1))).toEqual([{ type: 'weir:lease-grant', id: 6, grant: GRANT }]);
      expect(bank.requests).toHaveLength(1);
    });

    it('ignores malformed lease requests: no bank call, no answer', async () => {
      expect.assertions(2);
      const bank = new ScriptedBank();
      await makeFleet({ leases: bank }).start();
      fakes.say(0, { type: 'weir:lease', id: 7, request: { ...REQUEST, want: -1 } });
      fakes.say(0, { type: 'weir:lease', id: 8, request: { ...REQUEST, scope: 'route' } });
      fakes.say(0, { type: 'weir:lease', request: REQUEST });
      expect(bank.requests).toEqual([]);
      expect(grantsOf(fakes.live(0))).toEqual([]);
    });

    it('forwards lease returns to the bank, and drops them without one', async () => {
      expect.assertions(3);
      const bank = new ScriptedBank();
      await makeFleet({ leases: bank }).start();
      fakes.say(0, { type: 'weir:lease-return', ret: RETURN });
      fakes.say(1, { type: 'weir:lease-return', ret: { ...RETURN, scope: 'global', tokens: 0 } });
      fakes.say(1, { type: 'weir:lease-return', ret: { ...RETURN, tokens: -2 } });
      expect(bank.returns).toEqual([RETURN, { ...RETURN, scope: 'global', tokens: 0 }]);
      // A return is never answered.
      expect(fakes.all.every((w) => grantsOf(w).length === 0)).toBe(true);
      const bare = makeFleet();
      await bare.start();
      expect(() => fakes.say(0, { type: 'weir:lease-return', ret: RETURN })).not.toThrow();
    });
  });

  describe('JWKS', () => {
    it('publishes a key set to every ready worker, as given', async () => {
      expect.assertions(3);
      const fleet = makeFleet();
      await fleet.start();
      await fleet.apply(bytesOf('v1'), 'v1');
      fleet.publishJwks(URL_A, SET_1);
      for (const index of [0, 1]) expect(fakes.live(index).received.at(-1)).toEqual({ type: 'weir:jwks', url: URL_A, jwks: SET_1 });
      expect((fakes.live(0).received.at(-1) as JwksMessage).jwks).toBe(SET_1);
    });

    it('publishes to workers that are ready without a snapshot yet', async () => {
      expect.assertions(1);
      const fleet = makeFleet();
      await fleet.start();
      fleet.publishJwks(URL_A, SET_1);
      expect(fakes.all.map((w) => script(w))).toEqual([[[URL_A, SET_1]], [[URL_A, SET_1]]]);
    });

    it('hands a worker that syncs later every remembered set, the newest per URL, between its prepare and its commit', async () => {
      expect.assertions(3);
      const fleet = makeFleet();
      await fleet.start();
      await fleet.apply(bytesOf('v1'), 'v1');
      fleet.publishJwks(URL_A, SET_1);
      fleet.publishJwks(URL_B, SET_1);
      fleet.publishJwks(URL_A, SET_2);
      const old = fakes.live(1);
      old.exit(1);
      await log.untilCount('worker ready', 3);
      const fresh = fakes.live(1);
      expect(fresh).not.toBe(old);
      expect(script(fresh)).toEqual(['weir:prepare', [URL_A, SET_2], [URL_B, SET_1], 'weir:commit']);
      expect(fresh.serving).toBe('v1');
    });

    it('also sends a set published while a worker syncs (it may have missed the remembered ones)', async () => {
      expect.assertions(2);
      fakes.behaviourFor = (index, generation) => (index === 1 && generation === 1 ? { prepare: 'hang' } : {});
      const fleet = makeFleet();
      await fleet.start();
      await fleet.apply(bytesOf('v1'), 'v1');
      fakes.live(1).exit(1);
      await until(() => fleet.status()[1]?.state === 'syncing' && fakes.live(1).types.includes('weir:prepare'));
      fleet.publishJwks(URL_A, SET_1);
      expect(script(fakes.live(1))).toEqual(['weir:prepare', [URL_A, SET_1]]);
      expect(script(fakes.live(0)).at(-1)).toEqual([URL_A, SET_1]);
    });

    it('sends nothing to a worker that has not said hello', async () => {
      expect.assertions(1);
      fakes.behaviourFor = (index) => (index === 1 ? { hello: false } : {});
      const fleet = makeFleet({ startTimeoutMs: 20 });
      await fleet.start();
      fleet.publishJwks(URL_A, SET_1);
      expect(fakes.live(1).received).toEqual([]);
    });

    it('forgets a URL on null: nothing is sent, and a worker that syncs later does not get it', async () => {
      expect.assertions(3);
      const fleet = makeFleet();
      await fleet.start();
      await fleet.apply(bytesOf('v1'), 'v1');
      fleet.publishJwks(URL_A, SET_1);
      fleet.publishJwks(URL_B, SET_2);
      const before = fakes.live(0).received.length;
      fleet.publishJwks(URL_A, null);
      expect(fakes.live(0).received).toHaveLength(before);
      fakes.live(1).exit(1);
      await log.untilCount('worker ready', 3);
      expect(script(fakes.live(1))).toEqual(['weir:prepare', [URL_B, SET_2], 'weir:commit']);
      // Publishing it again brings it back.
      fleet.publishJwks(URL_A, SET_2);
      expect(script(fakes.live(1)).at(-1)).toEqual([URL_A, SET_2]);
    });

    it('sends nothing while draining', async () => {
      expect.assertions(1);
      const fleet = makeFleet();
      await fleet.start();
      await fleet.apply(bytesOf('v1'), 'v1');
      const drained = fleet.drain(0);
      fleet.publishJwks(URL_A, SET_1);
      await drained;
      expect(fakes.all.some((w) => w.types.includes('weir:jwks'))).toBe(false);
    });
  });

  it('tells the default (cluster) spawner the worker count, for the workers environment', () => {
    const spawner = jest.mocked(createClusterSpawner);
    spawner.mockClear();
    // Constructing is enough: the spawner is made in the constructor, nothing is forked yet.
    new Fleet({ workers: 3, logger: log.logger, exec: '/opt/weir/main.js' });
    expect(spawner).toHaveBeenCalledTimes(1);
    const options = spawner.mock.calls[0]?.[0] as ClusterSpawnerOptions;
    expect(options.env).toEqual({ [WORKER_COUNT_ENV]: '3' });
    expect(options.exec).toBe('/opt/weir/main.js');
  });
});
