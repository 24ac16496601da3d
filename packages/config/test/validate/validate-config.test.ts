import { validateConfig } from '@weir/config';
import { pointersOf, problemsOf, validConfig } from '../fixtures/configs';

describe('validateConfig', () => {
  it('accepts a realistic config and returns the same object, untouched', () => {
    const config = validConfig();
    const before = JSON.stringify(config);
    const check = validateConfig(config);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.config).toBe(config);
    expect(JSON.stringify(config)).toBe(before);
  });

  it('accepts the smallest config: one listener, no routes, no upstreams', () => {
    expect(validateConfig({ listeners: [{ name: 'l', port: 0 }], routes: [] }).ok).toBe(true);
  });

  it('accepts top-level x- keys, $schema and an admin section', () => {
    const config = {
      ...validConfig(),
      $schema: '../weir.schema.json',
      'x-owner': { team: 'edge' },
      'x-notes': ['anything'],
      admin: { listen: { address: '127.0.0.1', port: 9901 }, maxBodyBytes: 1024 },
    };
    expect(validateConfig(config).ok).toBe(true);
  });

  it('rejects unknown keys at every level, pointing at the key', () => {
    const config = validConfig() as unknown as Record<string, unknown> & ReturnType<typeof validConfig>;
    config['listners'] = [];
    (config.listeners[0] as unknown as Record<string, unknown>)['prot'] = 1;
    (config.routes[3] as unknown as Record<string, unknown>)['weights'] = 1;
    (config.upstreams?.[0]?.endpoints[0] as unknown as Record<string, unknown>)['wieght'] = 2;
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual(['/listeners/0/prot', '/listners', '/routes/3/weights', '/upstreams/0/endpoints/0/wieght']);
    expect(problems[0]?.message).toContain('"port"');
  });

  it('rejects non-object configs at the root pointer', () => {
    for (const value of [null, [], 'config', 42]) expect(pointersOf(value)).toEqual(['']);
  });

  it('reports every schema problem at once, sorted by pointer', () => {
    const config = validConfig();
    config.workers = 0;
    config.listeners[0]!.port = 70000;
    config.listeners[1]!.limits = { headersTimeoutMs: 0 };
    config.upstreams![0]!.endpoints[1]!.weight = 10001;
    config.routes[1]!.name = 'bad name';
    expect(pointersOf(config)).toEqual([
      '/listeners/0/port',
      '/listeners/1/limits/headersTimeoutMs',
      '/routes/1/name',
      '/upstreams/0/endpoints/1/weight',
      '/workers',
    ]);
  });

  it('reports every semantic problem at once', () => {
    const config = validConfig();
    config.listeners[1]!.name = 'public';
    config.routes[1]!.upstream = 'nope';
    config.routes[3]!.split![1]!.upstream = 'api';
    config.upstreams![2]!.endpoints[0]!.address = 'web.internal';
    expect(pointersOf(config)).toEqual([
      '/listeners/1/name',
      '/routes/1/upstream',
      '/routes/3/split/1/upstream',
      '/upstreams/2/endpoints/0/address',
    ]);
  });

  it('runs semantic checks only once the schema passes', () => {
    const config = validConfig();
    config.routes[1]!.upstream = 'nope'; // semantic
    config.listeners[0]!.port = -1; // schema
    expect(pointersOf(config)).toEqual(['/listeners/0/port']);
  });

  it('sets the first pointer on the error and lists at most ten problems in its message', () => {
    const config = validConfig();
    for (let i = 0; i < 12; i++) config.routes.push({ name: `extra-${i}`, upstream: 'missing' });
    const check = validateConfig(config);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.error.code).toBe('WEIR_ERR_CONFIG_INVALID');
    expect(check.error.details).toHaveLength(12);
    expect(check.error.pointer).toBe('/routes/5/upstream');
    expect(check.error.message).toContain('12 problems');
    expect(check.error.message).toContain('and 2 more');
    expect(check.error.toJSON().details).toHaveLength(12);
  });

  it('says "1 problem" and names the root as (root)', () => {
    const check = validateConfig('nope');
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.error.message).toBe('invalid config (1 problem): (root): must be an object');
  });
});
