import { assemble } from '../../src/assemble/index';
import { EndpointRegistry } from '../../src/registry/index';
import { makeSpec } from '../helpers/spec';

describe('WorkerRuntime.clientAddressOf', () => {
  const raw = ['Host', 'a', 'X-Forwarded-For', '198.51.100.7, 10.0.0.2'];

  it('is the peer without trusted proxies, whatever the headers say', () => {
    const runtime = assemble(makeSpec({}), null, { registry: new EndpointRegistry(), metrics: null });
    expect(runtime.clientAddressOf('10.0.0.1', raw)).toBe('10.0.0.1');
    expect(runtime.clientAddressOf(undefined, raw)).toBe('');
  });

  it('walks X-Forwarded-For past trusted hops when the spec trusts the peer', () => {
    const spec = { ...makeSpec({}), clientAddress: { trustedProxies: ['10.0.0.0/8'], header: 'x-forwarded-for' as const } };
    const runtime = assemble(spec, null, { registry: new EndpointRegistry(), metrics: null });
    expect(runtime.clientAddressOf('10.0.0.1', raw)).toBe('198.51.100.7');
    // An untrusted peer's header is ignored.
    expect(runtime.clientAddressOf('203.0.113.9', raw)).toBe('203.0.113.9');
  });
});
