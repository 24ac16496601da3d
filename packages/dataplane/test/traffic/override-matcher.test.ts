import type { TrafficOverrideSpec } from '@weir/runtime';
import { NO_OVERRIDE, OverrideMatcher } from '../../src/traffic/index';

function header(name: string, value: string | null, target: number): TrafficOverrideSpec {
  return { source: 'header', name, value, target };
}
function cookie(name: string, value: string | null, target: number): TrafficOverrideSpec {
  return { source: 'cookie', name, value, target };
}

describe('OverrideMatcher', () => {
  it('matches nothing without overrides', () => {
    expect(new OverrideMatcher([]).match(['x-canary', '1'])).toBe(NO_OVERRIDE);
    expect(NO_OVERRIDE).toBe(-1);
  });

  it('matches a header by presence, ignoring the name case, even with an empty value', () => {
    const m = new OverrideMatcher([header('x-canary', null, 1)]);
    expect(m.match(['Host', 'a', 'X-Canary', 'yes'])).toBe(1);
    expect(m.match(['x-canary', ''])).toBe(1);
    expect(m.match(['Host', 'a', 'x-canaryy', '1'])).toBe(NO_OVERRIDE);
    expect(m.match([])).toBe(NO_OVERRIDE);
  });

  it('matches a header by exact value of its first occurrence (case-sensitive value)', () => {
    const m = new OverrideMatcher([header('X-Group', 'beta', 2)]);
    expect(m.match(['x-group', 'beta'])).toBe(2);
    expect(m.match(['X-GROUP', 'beta'])).toBe(2);
    expect(m.match(['x-group', 'Beta'])).toBe(NO_OVERRIDE);
    expect(m.match(['x-group', 'beta2'])).toBe(NO_OVERRIDE);
    // Only the first value counts.
    expect(m.match(['x-group', 'alpha', 'x-group', 'beta'])).toBe(NO_OVERRIDE);
  });

  it('matches a cookie by presence and by value, names case-sensitive', () => {
    const m = new OverrideMatcher([cookie('beta', null, 1), cookie('group', 'canary', 2)]);
    expect(m.match(['cookie', 'beta=1'])).toBe(1);
    expect(m.match(['Cookie', 'a=1; beta='])).toBe(1);
    expect(m.match(['cookie', 'Beta=1'])).toBe(NO_OVERRIDE);
    expect(m.match(['cookie', 'group=canary'])).toBe(2);
    expect(m.match(['cookie', 'a=b;group=canary ;c=d'])).toBe(2);
    expect(m.match(['cookie', 'a=b;  group=canary'])).toBe(2);
    expect(m.match(['cookie', 'group=canary2'])).toBe(NO_OVERRIDE);
    expect(m.match(['cookie', 'group=canar'])).toBe(NO_OVERRIDE);
    expect(m.match(['cookie', 'xgroup=canary'])).toBe(NO_OVERRIDE);
    expect(m.match(['cookie', 'a=group=canary'])).toBe(NO_OVERRIDE);
    expect(m.match(['cookie', 'a=xbeta=1'])).toBe(NO_OVERRIDE);
    expect(m.match(['x-cookie', 'beta=1'])).toBe(NO_OVERRIDE);
    expect(m.match(['cookie', ''])).toBe(NO_OVERRIDE);
  });

  it('compares a quoted cookie value without its quotes', () => {
    const m = new OverrideMatcher([cookie('group', 'canary', 1)]);
    expect(m.match(['cookie', 'group="canary"'])).toBe(1);
    expect(m.match(['cookie', 'a=1; group="canary"; b=2'])).toBe(1);
    expect(m.match(['cookie', 'group="canary'])).toBe(NO_OVERRIDE);
    expect(m.match(['cookie', 'group=""'])).toBe(NO_OVERRIDE);
    const quoted = new OverrideMatcher([cookie('q', '"x"', 0)]);
    expect(quoted.match(['cookie', 'q="x"'])).toBe(0);
  });

  it('reads every Cookie line (HTTP/2 sends one per cookie) and repeated names', () => {
    const m = new OverrideMatcher([cookie('group', 'canary', 1)]);
    expect(m.match(['cookie', 'a=1', 'host', 'h', 'Cookie', 'group=canary'])).toBe(1);
    expect(m.match(['cookie', 'group=stable', 'cookie', 'group=canary'])).toBe(1);
    expect(m.match(['cookie', 'group=stable; group=canary'])).toBe(1);
    expect(m.match(['cookie', 'a=1', 'cookie', 'b=2'])).toBe(NO_OVERRIDE);
  });

  it('takes the first matching override in config order', () => {
    const m = new OverrideMatcher([header('x-a', null, 3), cookie('c', null, 1), header('x-b', 'v', 2)]);
    expect(m.match(['x-b', 'v', 'cookie', 'c=1', 'x-a', '1'])).toBe(3);
    expect(m.match(['x-b', 'v', 'cookie', 'c=1'])).toBe(1);
    expect(m.match(['x-b', 'v'])).toBe(2);
    expect(m.length).toBe(3);
  });
});
