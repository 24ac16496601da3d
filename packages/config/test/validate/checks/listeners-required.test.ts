import { problemsOf, validConfig } from '../../fixtures/configs';

describe('at least one listener', () => {
  it('rejects an empty listener list', () => {
    const config = validConfig();
    config.listeners = [];
    delete config.routes[2]!.listeners;
    expect(problemsOf(config)).toEqual([{ pointer: '/listeners', message: 'must have at least 1 item' }]);
  });

  it('rejects a config without listeners or routes', () => {
    expect(problemsOf({})).toEqual([
      { pointer: '/listeners', message: 'is required' },
      { pointer: '/routes', message: 'is required' },
    ]);
  });
});
