import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema } from '@weir/config';
import type { FaultConfig, MirrorConfig, TrafficConfig, TrafficOverrideConfig } from '../src/types/index';
import { validateConfig } from '../src/validate/index';
import { problemsOf, validConfig } from './fixtures/configs';
import { trafficConfig, trafficOf } from './fixtures/traffic-configs';

/** The schema side of traffic plans (issue 19): what it accepts, refuses, and how it says so. */

const repoRoot = join(__dirname, '..', '..', '..');
const defs = configSchema['$defs'] as Readonly<Record<string, { readonly properties: Readonly<Record<string, unknown>> }>>;

/** Each traffic object with every field set, checked by the compiler against the config types. */
const EVERY_TRAFFIC_FIELD: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  traffic: { overrides: [], sticky: { kind: 'clientAddress' }, mirror: { upstream: 'a' }, fault: {} } satisfies Required<TrafficConfig>,
  trafficOverride: { header: { name: 'a' }, cookie: { name: 'a' }, upstream: 'a' } satisfies Required<TrafficOverrideConfig>,
  mirror: { upstream: 'a', percent: 1, header: 'a', maxBodyBytes: 1, maxInFlight: 1 } satisfies Required<MirrorConfig>,
  fault: { delay: { percent: 1, ms: 1 }, abort: { percent: 1, status: 500 }, headerControlled: true, maxActiveDelays: 1 } satisfies Required<FaultConfig>,
};

describe('traffic plans in the schema', () => {
  it('accepts every field, at its bounds', () => {
    const config = trafficConfig();
    expect(validateConfig(config)).toEqual({ ok: true, config });
  });

  it('accepts an empty plan, and each part alone', () => {
    const parts: TrafficConfig[] = [
      {},
      { overrides: [] },
      { overrides: [{ header: { name: 'x-canary' }, upstream: 'api-canary' }] },
      { sticky: { kind: 'clientAddress' } },
      { sticky: { kind: 'cookie', name: 'session' } },
      { mirror: { upstream: 'web' } },
      { fault: { abort: { percent: 0, status: 400 } } },
    ];
    for (const traffic of parts) {
      const config = validConfig();
      config.routes[3]!.traffic = traffic as never;
      expect({ traffic, check: validateConfig(config) }).toEqual({ traffic, check: { ok: true, config } });
    }
  });

  it('declares exactly the fields of the traffic types', () => {
    const mismatches: string[] = [];
    for (const [def, value] of Object.entries(EVERY_TRAFFIC_FIELD)) {
      const declared = Object.keys(defs[def]?.properties ?? {}).sort();
      const typed = Object.keys(value).sort();
      if (declared.join() !== typed.join()) mismatches.push(`${def}: schema [${declared.join()}] vs types [${typed.join()}]`);
    }
    expect(mismatches).toEqual([]);
  });

  it('refuses unknown keys with a suggestion, and missing required ones', () => {
    const config = trafficConfig();
    const traffic = trafficOf(config, 3) as Record<string, unknown>;
    traffic['stikcy'] = traffic['sticky'];
    delete traffic['sticky'];
    const overrides = trafficOf(config, 3).overrides!;
    overrides[0] = { header: { name: 'x-a', valeu: 'b' } } as never;
    trafficOf(config, 3).mirror = { percent: 10 } as never;
    trafficOf(config, 3).fault = { delay: { percent: 10 }, abort: { status: 503 } } as never;
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/3/traffic/fault/abort/percent', message: 'is required' },
      { pointer: '/routes/3/traffic/fault/delay/ms', message: 'is required' },
      { pointer: '/routes/3/traffic/mirror/upstream', message: 'is required' },
      { pointer: '/routes/3/traffic/overrides/0/header/valeu', message: 'unknown property "valeu" (did you mean "value"?)' },
      { pointer: '/routes/3/traffic/overrides/0/upstream', message: 'is required' },
      { pointer: '/routes/3/traffic/stikcy', message: 'unknown property "stikcy" (did you mean "sticky"?)' },
    ]);
  });

  it('refuses out-of-range numbers', () => {
    const config = trafficConfig();
    trafficOf(config, 3).mirror = { upstream: 'web', percent: 100.5, maxBodyBytes: 10485761, maxInFlight: 0 };
    trafficOf(config, 3).fault = { delay: { percent: -1, ms: 60001 }, abort: { percent: 1, status: 399 }, maxActiveDelays: 100001 };
    trafficOf(config, 1).mirror = { upstream: 'web', percent: -0.1, maxBodyBytes: 1.5, maxInFlight: 100001 };
    trafficOf(config, 1).fault = { delay: { percent: 1, ms: 0 }, abort: { percent: 101, status: 600 }, maxActiveDelays: 0 };
    config.routes[4]!.traffic = { fault: { delay: { percent: 1, ms: 1.5 }, abort: { percent: 1, status: 503.5 } } };
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/1/traffic/fault/abort/percent', message: 'must be <= 100' },
      { pointer: '/routes/1/traffic/fault/abort/status', message: 'must be <= 599' },
      { pointer: '/routes/1/traffic/fault/delay/ms', message: 'must be >= 1' },
      { pointer: '/routes/1/traffic/fault/maxActiveDelays', message: 'must be >= 1' },
      { pointer: '/routes/1/traffic/mirror/maxBodyBytes', message: 'must be an integer' },
      { pointer: '/routes/1/traffic/mirror/maxInFlight', message: 'must be <= 100000' },
      { pointer: '/routes/1/traffic/mirror/percent', message: 'must be >= 0' },
      { pointer: '/routes/3/traffic/fault/abort/status', message: 'must be >= 400' },
      { pointer: '/routes/3/traffic/fault/delay/ms', message: 'must be <= 60000' },
      { pointer: '/routes/3/traffic/fault/delay/percent', message: 'must be >= 0' },
      { pointer: '/routes/3/traffic/fault/maxActiveDelays', message: 'must be <= 100000' },
      { pointer: '/routes/3/traffic/mirror/maxBodyBytes', message: 'must be <= 10485760' },
      { pointer: '/routes/3/traffic/mirror/maxInFlight', message: 'must be >= 1' },
      { pointer: '/routes/3/traffic/mirror/percent', message: 'must be <= 100' },
      { pointer: '/routes/4/traffic/fault/abort/status', message: 'must be an integer' },
      { pointer: '/routes/4/traffic/fault/delay/ms', message: 'must be an integer' },
    ]);
  });

  it('refuses header and cookie names that are not tokens, and bad values, in operator words', () => {
    const config = trafficConfig();
    const overrides = trafficOf(config, 3).overrides!;
    overrides[0] = { header: { name: 'X Canary', value: 'a\r\nb' }, upstream: 'api' };
    overrides[1] = { cookie: { name: 'a=b', value: 'two words' }, upstream: 'api' };
    overrides[2] = { cookie: { name: 'c', value: 'a;b' }, upstream: 'api' };
    trafficOf(config, 3).mirror = { upstream: 'web', header: 'x-mirror:' };
    trafficOf(config, 3).sticky = { kind: 'header', name: 'X User' };
    trafficOf(config, 1).sticky = { kind: 'cookie', name: 'a,b' };
    const token = expect.stringMatching(/^must be an HTTP token/) as unknown as string;
    const octets = expect.stringMatching(/^must contain only RFC 6265 cookie-octets/) as unknown as string;
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/1/traffic/sticky/name', message: token },
      { pointer: '/routes/3/traffic/mirror/header', message: token },
      { pointer: '/routes/3/traffic/overrides/0/header/name', message: token },
      { pointer: '/routes/3/traffic/overrides/0/header/value', message: 'must not contain CR, LF or NUL characters' },
      { pointer: '/routes/3/traffic/overrides/1/cookie/name', message: token },
      { pointer: '/routes/3/traffic/overrides/1/cookie/value', message: octets },
      { pointer: '/routes/3/traffic/overrides/2/cookie/value', message: octets },
      { pointer: '/routes/3/traffic/sticky/name', message: token },
    ]);
  });

  it('requires a name for header, cookie and claim sticky keys, and a known kind', () => {
    const config = trafficConfig();
    trafficOf(config, 3).sticky = { kind: 'claim' } as never;
    trafficOf(config, 1).sticky = { kind: 'cookie' } as never;
    config.routes[2]!.traffic = { sticky: { kind: 'session' } as never };
    config.routes[4]!.traffic = { sticky: { kind: 'header', name: '' } };
    expect(problemsOf(config)).toEqual([
      { pointer: '/routes/1/traffic/sticky/name', message: 'is required' },
      { pointer: '/routes/2/traffic/sticky/kind', message: 'must be one of "header", "cookie", "clientAddress", "claim"' },
      { pointer: '/routes/3/traffic/sticky/name', message: 'is required' },
      { pointer: '/routes/4/traffic/sticky/name', message: expect.stringMatching(/^must be an HTTP token/) as unknown as string },
      { pointer: '/routes/4/traffic/sticky/name', message: 'must not be empty' },
    ]);
  });

  it('bounds the number of overrides', () => {
    const config = validConfig();
    config.routes[3]!.traffic = { overrides: Array.from({ length: 33 }, () => ({ header: { name: 'x-a' }, upstream: 'api' })) };
    expect(problemsOf(config)).toEqual([{ pointer: '/routes/3/traffic/overrides', message: 'must NOT have more than 32 items' }]);
  });

  it('holds the example of config.md, identical to deploy/examples/traffic.json, valid', () => {
    const doc = readFileSync(join(repoRoot, 'apps', 'weir', 'docs', 'config.md'), 'utf8');
    const example = readFileSync(join(repoRoot, 'deploy', 'examples', 'traffic.json'), 'utf8');
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks).toContain(example);
    const check = validateConfig(JSON.parse(example));
    expect(check.ok ? [] : check.error.details).toEqual([]);
  });
});
