import { validateConfig } from '../src/validate/index';
import { problemsOf, validConfig } from './fixtures/configs';
import { EC_PUBLIC_JWK } from './fixtures/policy-configs';
import { trafficConfig, trafficOf } from './fixtures/traffic-configs';

/** The semantic checks of traffic plans (issue 19): each invalid case, with its pointer. */

describe('traffic plans on routes', () => {
  it('accepts a plan on a split route and on an upstream shorthand route', () => {
    const config = trafficConfig();
    expect(validateConfig(config)).toEqual({ ok: true, config });
  });

  it('accepts an empty plan', () => {
    const config = validConfig();
    config.routes[3]!.traffic = {};
    config.routes[1]!.traffic = { overrides: [] };
    expect(validateConfig(config)).toEqual({ ok: true, config });
  });

  it('refuses a plan on a direct-response route, and nothing more there', () => {
    const config = validConfig();
    config.routes[0]!.traffic = { overrides: [{ upstream: 'nowhere' }], fault: {} };
    config.routes[4]!.traffic = {};
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/0/traffic', message: 'a direct-response route has no upstream to steer: remove "traffic"' },
      { pointer: '/routes/4/traffic', message: 'a direct-response route has no upstream to steer: remove "traffic"' },
    ]);
  });
});

describe('traffic overrides', () => {
  it('needs exactly one of header and cookie', () => {
    const config = trafficConfig();
    const overrides = trafficOf(config, 3).overrides!;
    overrides[0] = { upstream: 'api' };
    overrides[1] = { header: { name: 'x-a' }, cookie: { name: 'a' }, upstream: 'api' };
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/3/traffic/overrides/0', message: 'set exactly one of "header" or "cookie" (found none)' },
      { pointer: '/routes/3/traffic/overrides/1', message: 'set exactly one of "header" or "cookie" (found "header" and "cookie")' },
    ]);
  });

  it('must name an entry of the route split, or its upstream, and says which they are', () => {
    const config = trafficConfig();
    trafficOf(config, 3).overrides![2]!.upstream = 'web';
    trafficOf(config, 1).overrides![0]!.upstream = 'api';
    trafficOf(config, 1).overrides!.push({ header: { name: 'x-a' }, upstream: 'missing' });
    expect(problemsOf(config)).toEqual([
      {
        pointer: '/routes/1/traffic/overrides/0/upstream',
        message: 'upstream "api" is not route "docs"\'s upstream ("web"): an override chooses among the split\'s entries',
      },
      {
        pointer: '/routes/1/traffic/overrides/1/upstream',
        message: 'upstream "missing" is not route "docs"\'s upstream ("web"): an override chooses among the split\'s entries',
      },
      {
        pointer: '/routes/3/traffic/overrides/2/upstream',
        message: 'upstream "web" is not an entry of route "api"\'s split ("api", "api-canary"): an override chooses among the split\'s entries',
      },
    ]);
  });
});

describe('traffic sticky keys', () => {
  it('refuses a claim key without a jwt plugin, and accepts it with one', () => {
    const config = trafficConfig();
    trafficOf(config, 3).sticky = { kind: 'claim', name: 'sub' };
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/3/traffic/sticky', message: 'a "claim" key needs a "jwt" plugin on route "api" to validate the token it reads' },
    ]);
    config.routes[3]!.plugins = [{ type: 'jwt', jwks: { keys: [EC_PUBLIC_JWK] } }];
    expect(validateConfig(config)).toEqual({ ok: true, config });
  });

  it('refuses a name on a clientAddress key', () => {
    const config = trafficConfig();
    trafficOf(config, 3).sticky = { kind: 'clientAddress', name: 'x-user' } as never;
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/3/traffic/sticky/name', message: 'a "clientAddress" key has no name: remove "name" or use kind "header", "cookie" or "claim"' },
    ]);
  });
});

describe('traffic mirror', () => {
  it('must name an upstream of the config, with a suggestion; any upstream will do', () => {
    const config = trafficConfig();
    trafficOf(config, 3).mirror = { upstream: 'api-canry' };
    trafficOf(config, 1).mirror = { upstream: 'api' };
    expect(problemsOf(config)).toEqual([{ pointer: '/routes/3/traffic/mirror/upstream', message: 'unknown upstream "api-canry" (did you mean "api-canary"?)' }]);
  });

  it('refuses a marker header that would break the copy', () => {
    const config = trafficConfig();
    trafficOf(config, 3).mirror!.header = 'Host';
    trafficOf(config, 1).mirror!.header = 'transfer-encoding';
    expect(problemsOf(config).map((p) => p.pointer)).toEqual(['/routes/1/traffic/mirror/header', '/routes/3/traffic/mirror/header']);
  });
});

describe('traffic faults', () => {
  it('needs a delay or an abort, unless the header chooses', () => {
    const config = trafficConfig();
    trafficOf(config, 3).fault = { maxActiveDelays: 5 };
    trafficOf(config, 1).fault = { headerControlled: true };
    expect(problemsOf(config)).toEqual([
      {
        pointer: '/routes/3/traffic/fault',
        message: 'a fault injects nothing: set "delay", "abort" or both (or "headerControlled": true to let the x-weir-fault header choose)',
      },
    ]);
  });

  it('keeps delay and abort percents to 100 together, decimals included', () => {
    const config = trafficConfig();
    trafficOf(config, 3).fault = { delay: { percent: 60, ms: 10 }, abort: { percent: 50.5, status: 503 } };
    trafficOf(config, 1).fault = { delay: { percent: 33.3, ms: 10 }, abort: { percent: 66.7, status: 503 } };
    expect(problemsOf(config)).toEqual([
      {
        pointer: '/routes/3/traffic/fault',
        message: 'delay.percent (60) and abort.percent (50.5) add up to 110.5: at most 100, a request gets at most one fault',
      },
    ]);
  });
});
