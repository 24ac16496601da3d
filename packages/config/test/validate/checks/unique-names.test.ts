import { pointersOf, problemsOf, validConfig } from '../../fixtures/configs';

describe('unique names', () => {
  it('reports a duplicate listener, route or upstream name at every later use', () => {
    const config = validConfig();
    config.listeners[1]!.port = 8082;
    config.listeners.push({ name: 'public', port: 8083 });
    config.routes[2]!.name = 'health';
    config.routes[4]!.name = 'health';
    config.upstreams![2]!.name = 'api';
    config.routes[1]!.upstream = 'api';
    expect(pointersOf(config)).toEqual(['/listeners/2/name', '/routes/2/name', '/routes/4/name', '/upstreams/2/name']);
    expect(problemsOf(config)[1]?.message).toBe('duplicate route name "health" (first used at /routes/0)');
  });

  it('treats names as case-sensitive', () => {
    const config = validConfig();
    config.routes[1]!.name = 'HEALTH';
    config.routes[2]!.name = 'Health';
    expect(problemsOf({ ...config, workers: 0 }).map((p) => p.pointer)).toEqual(['/workers']);
  });
});
