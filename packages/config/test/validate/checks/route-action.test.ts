import { validateConfig } from '@weir/config';
import { problemsOf, validConfig } from '../../fixtures/configs';

describe('route action', () => {
  it('reports a route with no action', () => {
    const config = validConfig();
    delete config.routes[1]!.upstream;
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual(['/routes/1']);
    expect(problems[0]?.message).toContain('no action');
  });

  it('reports a route with two or three actions, naming them', () => {
    const config = validConfig();
    config.routes[1]!.split = [{ upstream: 'web' }];
    config.routes[0]!.upstream = 'web';
    config.routes[0]!.split = [{ upstream: 'web' }];
    const problems = problemsOf(config);
    expect(problems.map((p) => p.pointer)).toEqual(['/routes/0', '/routes/1']);
    expect(problems[0]?.message).toBe('route has "upstream" and "split" and "directResponse": set exactly one action');
  });

  it('accepts a route with only a split', () => {
    const config = validConfig();
    config.routes[1] = { name: 'docs', split: [{ upstream: 'web' }] };
    expect(validateConfig(config).ok).toBe(true);
  });
});
