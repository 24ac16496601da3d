import { LeastRequestBalancer, MaglevBalancer, RandomBalancer, RingHashBalancer, RoundRobinBalancer, createBalancer } from '@weir/dataplane';
import { makeView, seededRandom } from '../helpers/balancing';

describe('createBalancer', () => {
  it('maps every policy to its class', () => {
    const addresses = ['a:1', 'b:1'];
    const options = { random: seededRandom(1) };
    expect(createBalancer('round_robin', makeView(2), addresses, [1, 1], options)).toBeInstanceOf(RoundRobinBalancer);
    expect(createBalancer('least_request', makeView(2), addresses, [1, 1], options)).toBeInstanceOf(LeastRequestBalancer);
    expect(createBalancer('random', makeView(2), addresses, [1, 1], options)).toBeInstanceOf(RandomBalancer);
    expect(createBalancer('ring_hash', makeView(2), addresses, [1, 1], options)).toBeInstanceOf(RingHashBalancer);
    expect(createBalancer('maglev', makeView(2), addresses, [1, 1])).toBeInstanceOf(MaglevBalancer);
  });

  it('refuses to hash over no endpoints with WEIR_ERR_INTERNAL', () => {
    expect(() => new RingHashBalancer(makeView(0), [], [], Math.random)).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
    expect(() => new MaglevBalancer(makeView(0), [], [], Math.random)).toThrow(expect.objectContaining({ code: 'WEIR_ERR_INTERNAL' }));
  });
});
