import { readTraceHeaders } from '../../src/tracing/index';

/** `readTraceHeaders`: one pass over Node's rawHeaders (W3C Trace Context section 3.2, RFC 9110 5.3). */
function read(raw: string[]): { traceparent: string | undefined; tracestate: string | undefined } {
  const out = { traceparent: undefined as string | undefined, tracestate: undefined as string | undefined };
  readTraceHeaders(raw, out);
  return out;
}

describe('readTraceHeaders', () => {
  it('finds traceparent and tracestate in any case, among other fields', () => {
    expect(read(['Host', 'a', 'TraceParent', '00-x', 'TRACESTATE', 'k=v', 'Accept', '*/*'])).toEqual({ traceparent: '00-x', tracestate: 'k=v' });
  });

  it('reports both absent when not sent', () => {
    expect(read(['Host', 'a', 'x-traceparent', '1', 'tracestates', '2'])).toEqual({ traceparent: undefined, tracestate: undefined });
  });

  it('treats a repeated traceparent as absent, even when the values are equal', () => {
    expect(read(['traceparent', '00-a', 'Traceparent', '00-b']).traceparent).toBeUndefined();
    expect(read(['traceparent', '00-a', 'traceparent', '00-a']).traceparent).toBeUndefined();
  });

  it('combines tracestate lines with a comma, in order', () => {
    expect(read(['tracestate', 'a=1', 'Host', 'h', 'TraceState', 'b=2,c=3']).tracestate).toBe('a=1,b=2,c=3');
  });

  it('overwrites what a previous request left in the reused object', () => {
    const out = { traceparent: 'old' as string | undefined, tracestate: 'old' as string | undefined };
    readTraceHeaders(['Host', 'h'], out);
    expect(out).toEqual({ traceparent: undefined, tracestate: undefined });
  });
});
