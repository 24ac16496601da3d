import { validateConfig } from '@weir/config';
import { pointersOf, problemsOf, validConfig } from '../../fixtures/configs';

function withListeners(...listeners: { address?: string; port: number }[]): ReturnType<typeof validConfig> {
  const config = validConfig();
  config.listeners = listeners.map((listener, i) => ({ name: `l${i}`, ...listener }));
  config.routes[2]!.listeners = ['l0'];
  return config;
}

describe('listener addresses', () => {
  it('accepts IP literals, the default address and distinct binds', () => {
    const config = withListeners({ port: 8080 }, { address: '127.0.0.2', port: 8080 }, { address: '::1', port: 8080 }, { address: '0.0.0.0', port: 8081 });
    expect(validateConfig(config).ok).toBe(true);
  });

  it.each([['localhost'], ['[::1]'], ['127.0.0.1:8080'], ['1.2.3.256']])('rejects %s as a listener address', (address) => {
    const problems = problemsOf(withListeners({ address, port: 8080 }));
    expect(problems.map((p) => p.pointer)).toEqual(['/listeners/0/address']);
  });

  it('hints at removing IPv6 brackets', () => {
    expect(problemsOf(withListeners({ address: '[::1]', port: 1 }))[0]?.message).toContain('without brackets');
  });

  it('rejects two listeners on the same address and port', () => {
    const problems = problemsOf(withListeners({ port: 8080 }, { address: '127.0.0.1', port: 8080 }));
    expect(problems).toEqual([
      { pointer: '/listeners/1/port', message: 'listener "l1" (127.0.0.1:8080) conflicts with listener "l0" (127.0.0.1:8080) at /listeners/0' },
    ]);
  });

  it('compares IPv6 canonically', () => {
    const problems = problemsOf(withListeners({ address: '::1', port: 80 }, { address: '0:0:0:0:0:0:0:1', port: 80 }));
    expect(problems.map((p) => p.pointer)).toEqual(['/listeners/1/port']);
    expect(problems[0]?.message).toContain('([::1]:80)');
  });

  it('rejects overlaps with the IPv4 wildcard and the dual-stack IPv6 wildcard', () => {
    expect(pointersOf(withListeners({ address: '0.0.0.0', port: 80 }, { address: '10.0.0.1', port: 80 }))).toEqual(['/listeners/1/port']);
    expect(pointersOf(withListeners({ address: '127.0.0.1', port: 80 }, { address: '0.0.0.0', port: 80 }))).toEqual(['/listeners/1/port']);
    expect(pointersOf(withListeners({ address: '127.0.0.1', port: 80 }, { address: '::', port: 80 }))).toEqual(['/listeners/1/port']);
    expect(pointersOf(withListeners({ address: '::', port: 80 }, { address: '::1', port: 80 }))).toEqual(['/listeners/1/port']);
  });

  it('lets the IPv4 wildcard and an IPv6 address share a port', () => {
    expect(validateConfig(withListeners({ address: '0.0.0.0', port: 80 }, { address: '::1', port: 80 })).ok).toBe(true);
  });

  it('exempts port 0 (every bind picks its own port)', () => {
    expect(validateConfig(withListeners({ port: 0 }, { port: 0 }, { address: '0.0.0.0', port: 0 })).ok).toBe(true);
  });
});
