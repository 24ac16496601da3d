import { problemsOf, validConfig } from '../../fixtures/configs';
import { validateConfig } from '../../../src/validate/index';

describe('route upgrades', () => {
  it('accepts upgrades and an HTTPS redirect on a forwarding route', () => {
    const config = validConfig();
    config.routes[1]!.upgrades = { websocket: true, idleTimeoutMs: 60000, maxLifetimeMs: 3_600_000 };
    config.routes[1]!.httpsRedirect = { status: 301 };
    config.routes[0]!.httpsRedirect = {};
    expect(validateConfig(config).ok).toBe(true);
  });

  it('reports upgrades on a direct-response route', () => {
    const config = validConfig();
    config.routes[0]!.upgrades = { websocket: false };
    expect(problemsOf(config)).toEqual([{ pointer: '/routes/0/upgrades', message: 'a direct-response route has no upstream to tunnel to: remove "upgrades"' }]);
  });
});
