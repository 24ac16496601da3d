import { buildTracing, otlpTracesUrl } from '../../src/build/build-tracing';

describe('buildTracing', () => {
  it('fills propagation-only defaults without the section', () => {
    expect(buildTracing(undefined)).toEqual({
      export: null,
      keepErrors: false,
      parentBased: true,
      propagation: true,
      ratio: 1,
      resourceAttributes: {},
      serviceName: 'weir',
    });
  });

  it('fills export defaults, lower-cases and sorts header names, sorts resource attributes', () => {
    const spec = buildTracing({
      sampling: { ratio: 0.25 },
      export: { endpoint: 'http://127.0.0.1:4318/', headers: { 'X-Tenant': 'a', Authorization: 'Bearer t' } },
      resourceAttributes: { 'z.attr': '1', 'a.attr': '2' },
    });
    expect(spec.ratio).toBe(0.25);
    expect(spec.export).toEqual({
      flushIntervalMs: 1000,
      headers: { authorization: 'Bearer t', 'x-tenant': 'a' },
      maxBatchSpans: 512,
      maxQueueSpans: 2048,
      timeoutMs: 10_000,
      url: 'http://127.0.0.1:4318/v1/traces',
    });
    expect(Object.keys(spec.export?.headers ?? {})).toEqual(['authorization', 'x-tenant']);
    expect(Object.keys(spec.resourceAttributes)).toEqual(['a.attr', 'z.attr']);
  });
});

describe('otlpTracesUrl', () => {
  it('appends /v1/traces to a base endpoint and keeps a full traces URL', () => {
    expect(otlpTracesUrl('http://127.0.0.1:4318')).toBe('http://127.0.0.1:4318/v1/traces');
    expect(otlpTracesUrl('http://127.0.0.1:4318/')).toBe('http://127.0.0.1:4318/v1/traces');
    expect(otlpTracesUrl('https://otel.example.com/prefix')).toBe('https://otel.example.com/prefix/v1/traces');
    expect(otlpTracesUrl('https://otel.example.com/v1/traces')).toBe('https://otel.example.com/v1/traces');
  });
});
