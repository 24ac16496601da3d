import { validateConfig } from '@weir/config';
import { problemsOf, validConfig } from '../../fixtures/configs';

function withLimits(limits: { headersTimeoutMs?: number; requestTimeoutMs?: number }): ReturnType<typeof validConfig> {
  const config = validConfig();
  config.listeners[1]!.limits = limits;
  return config;
}

describe('listener limits', () => {
  it('accepts a headers timeout within the request timeout, or no request timeout', () => {
    expect(validateConfig(withLimits({ headersTimeoutMs: 5000, requestTimeoutMs: 5000 })).ok).toBe(true);
    expect(validateConfig(withLimits({ requestTimeoutMs: 60000 })).ok).toBe(true);
    expect(validateConfig(withLimits({ headersTimeoutMs: 60000, requestTimeoutMs: 0 })).ok).toBe(true);
  });

  it('rejects a headers timeout above the request timeout, at headersTimeoutMs', () => {
    expect(problemsOf(withLimits({ headersTimeoutMs: 20000, requestTimeoutMs: 15000 }))).toEqual([
      {
        pointer: '/listeners/1/limits/headersTimeoutMs',
        message: 'headersTimeoutMs (20000) must not exceed requestTimeoutMs (15000): the header section is part of the request',
      },
    ]);
  });

  it('rejects a request timeout below the default headers timeout, at requestTimeoutMs', () => {
    expect(problemsOf(withLimits({ requestTimeoutMs: 5000 }))).toEqual([
      {
        pointer: '/listeners/1/limits/requestTimeoutMs',
        message: 'headersTimeoutMs (10000, the default) must not exceed requestTimeoutMs (5000): the header section is part of the request',
      },
    ]);
  });
});
