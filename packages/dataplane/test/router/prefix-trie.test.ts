import { Router } from '@weir/dataplane';
import { segmentHash } from '../../src/router/segment-hash';

describe('prefix index hash collisions', () => {
  // Two segments with the same 30-bit FNV-1a hash (found by search): they share a trie node.
  const a = 's31597';
  const b = 's618190';
  const m = (value: string) => ({
    hosts: [],
    path: { kind: 'prefix' as const, value },
    methods: [],
    headers: [],
  });

  it('uses a colliding pair', () => {
    expect(segmentHash(`/${a}`, 1, a.length + 1)).toBe(segmentHash(`/${b}`, 1, b.length + 1));
  });

  it('still checks the full prefix of every candidate on a shared node', () => {
    const r = Router.compile([
      { match: m(`/${a}`), value: 'a' },
      { match: m(`/${b}/x`), value: 'bx' },
    ]);
    expect(r.match('h', `/${b}`, 'GET', {})).toBeNull();
    expect(r.match('h', `/${b}/x/1`, 'GET', {})).toBe('bx');
    expect(r.match('h', `/${a}/x`, 'GET', {})).toBe('a');
    expect(r.match('h', `/${a}`, 'GET', {})).toBe('a');
  });
});
