import { copyRequestHeaders } from '../../src/index';

/**
 * copyRequestHeaders' `traceContext` (issue 18): the caller's traceparent/tracestate are dropped
 * when Weir appends its own, and pass unchanged otherwise.
 */
const RAW = ['Host', 'a', 'TraceParent', '00-x', 'tracestate', 'k=v', 'TRACESTATE', 'k2=v2', 'Accept', '*/*'];

function names(out: string[]): string[] {
  return out.filter((_, i) => i % 2 === 0);
}

describe('copyRequestHeaders traceContext', () => {
  it('drops every traceparent and tracestate line when true', () => {
    const out: string[] = [];
    copyRequestHeaders(RAW, out, '10.0.0.1', null, 'http', '1.1 weir', true);
    expect(names(out)).toEqual(['Host', 'Accept', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'via']);
  });

  it('passes them unchanged, in order, when false (the default)', () => {
    const out: string[] = [];
    copyRequestHeaders(RAW, out, '10.0.0.1', null);
    expect(out.slice(0, RAW.length)).toEqual(RAW);
    const explicit: string[] = [];
    copyRequestHeaders(RAW, explicit, '10.0.0.1', null, 'http', '1.1 weir', false);
    expect(explicit).toEqual(out);
  });
});
