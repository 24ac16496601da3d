import { pointersOf, problemsOf, validConfig } from '../../fixtures/configs';

describe('route references', () => {
  it('reports an unknown upstream, with a suggestion when one is close', () => {
    const config = validConfig();
    config.routes[1]!.upstream = 'wbe';
    config.routes[2]!.upstream = 'b';
    const problems = problemsOf(config);
    expect(problems).toEqual([
      { pointer: '/routes/1/upstream', message: 'unknown upstream "wbe" (did you mean "web"?)' },
      { pointer: '/routes/2/upstream', message: 'unknown upstream "b"' },
    ]);
  });

  it('reports an unknown upstream in a split entry', () => {
    const config = validConfig();
    config.routes[3]!.split![1]!.upstream = 'b';
    expect(pointersOf(config)).toEqual(['/routes/3/split/1/upstream']);
  });

  it('reports an unknown upstream when the config has no upstreams', () => {
    expect(pointersOf({ listeners: [{ name: 'l', port: 0 }], routes: [{ name: 'r', upstream: 'api' }] })).toEqual(['/routes/0/upstream']);
  });

  it('reports an upstream named twice in one split', () => {
    const config = validConfig();
    config.routes[3]!.split!.push({ upstream: 'api', weight: 1 });
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual(['/routes/3/split/2/upstream']);
    expect(problems[0]?.message).toContain('/routes/3/split/0');
  });

  it('reports an unknown listener', () => {
    const config = validConfig();
    config.routes[2]!.listeners = ['public', 'internl', 'edge'];
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/2/listeners/1', message: 'unknown listener "internl" (did you mean "internal"?)' },
      { pointer: '/routes/2/listeners/2', message: 'unknown listener "edge"' },
    ]);
  });

  it('gives hints for the first 20 unknown names only', () => {
    const config = validConfig();
    for (let i = 0; i < 25; i++) config.routes.push({ name: `r${i}`, upstream: 'wbe' });
    const problems = problemsOf(config);
    expect(problems).toHaveLength(25);
    expect(problems.filter((p) => p.message.includes('did you mean')).length).toBe(20);
  });
});
