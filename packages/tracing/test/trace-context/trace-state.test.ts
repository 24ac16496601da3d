import { acceptTraceState, TRACE_STATE_LIMIT } from '@weir/tracing';

const member = (i: number, width: number): string => {
  const key = `k${i}=`;
  return key + 'v'.repeat(width - key.length);
};

describe('acceptTraceState', () => {
  it('returns null for absent, empty or blank values', () => {
    expect(acceptTraceState(undefined)).toBeNull();
    expect(acceptTraceState('')).toBeNull();
    expect(acceptTraceState('   ')).toBeNull();
  });

  it('forwards a value of up to 512 chars unchanged, trimmed', () => {
    expect(acceptTraceState(' congo=t61rcWkgMzE,rojo=00f067aa0ba902b7 ')).toBe('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    const exact = Array.from({ length: 7 }, (_, i) => member(i, 63)).join(',') + ',' + member(7, 64);
    expect(exact).toHaveLength(TRACE_STATE_LIMIT);
    expect(acceptTraceState(exact)).toBe(exact);
  });

  it('drops whole members from the right until the value fits', () => {
    const members = Array.from({ length: 10 }, (_, i) => member(i, 60));
    const result = acceptTraceState(members.join(','));
    expect(result).toBe(members.slice(0, 8).join(','));
    expect(result!.length).toBeLessThanOrEqual(TRACE_STATE_LIMIT);
  });

  it('drops members over 128 chars first (section 3.3.1.5)', () => {
    const members = [member(0, 100), member(1, 200), member(2, 100), member(3, 100), member(4, 100), member(5, 100)];
    expect(acceptTraceState(members.join(','))).toBe([members[0], members[2], members[3], members[4], members[5]].join(','));
  });

  it('returns null when no member survives', () => {
    expect(acceptTraceState(member(0, 600))).toBeNull();
    expect(acceptTraceState(`${member(0, 300)},${member(1, 300)}`)).toBeNull();
  });
});
