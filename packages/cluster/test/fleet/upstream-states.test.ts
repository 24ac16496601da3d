import { Fleet } from '../../src/fleet/index';
import { isPrimaryMessage, isWorkerMessage } from '../../src/protocol/index';
import { CapturedLog } from '../support/capture-logger';
import { FakeWorkers, bytesOf } from '../support/fake-workers';

/** `Fleet.upstreamStates` (issue 17): one `weir:upstreams` round trip per ready worker. */
describe('Fleet.upstreamStates (fake workers)', () => {
  let fleet: Fleet;
  let fakes: FakeWorkers;

  beforeEach(async () => {
    fakes = new FakeWorkers();
    fleet = new Fleet({ workers: 2, logger: new CapturedLog().logger, spawn: fakes.spawn, backoff: { initialMs: 1, maxMs: 8 }, drainGraceMs: 10 });
    await fleet.start();
    await fleet.apply(bytesOf('v1'), 'v1');
  });

  afterEach(async () => {
    await fleet.drain(0);
  });

  it('gathers every ready worker\'s answer, by slot', async () => {
    expect.assertions(1);
    const answers = await fleet.upstreamStates(5_000);
    expect(answers).toEqual([0, 1].map((index) => ({
      index,
      pid: fakes.live(index).pid,
      version: 'v1',
      upstreams: [{ name: 'api', breaker: null, endpoints: [{ address: '127.0.0.1:9001', ejected: false, inFlight: index }] }],
    })));
  });

  it('leaves out a worker that does not answer in time', async () => {
    expect.assertions(1);
    fakes.live(0).behaviour.answerMetrics = false;
    const answers = await fleet.upstreamStates(20);
    expect(answers.map((a) => a.index)).toEqual([1]);
  });
});

describe('upstream-state messages', () => {
  it('checks the question and the answer\'s shape', () => {
    expect(isPrimaryMessage({ type: 'weir:upstreams', id: 1 })).toBe(true);
    expect(isPrimaryMessage({ type: 'weir:upstreams' })).toBe(false);
    const ok = { type: 'weir:upstreams-result', id: 1, version: null, upstreams: [{ name: 'a', breaker: 'half-open', endpoints: [{ address: 'h:1', ejected: true, inFlight: 0 }] }] };
    expect(isWorkerMessage(ok)).toBe(true);
    expect(isWorkerMessage({ ...ok, upstreams: [{ name: 'a', breaker: 'broken', endpoints: [] }] })).toBe(false);
    expect(isWorkerMessage({ ...ok, upstreams: [{ name: 'a', breaker: null, endpoints: [{ address: 'h:1', ejected: 'no', inFlight: 0 }] }] })).toBe(false);
    expect(isWorkerMessage({ ...ok, upstreams: [{ name: 'a', breaker: null, endpoints: [{ address: 'h:1', ejected: false, inFlight: -1 }] }] })).toBe(false);
  });
});
