import { validateMetricName } from 'prom-client';
import { metricCatalogue, metricDefinitions, requestDurationBuckets } from '@weir/obs';

describe('metric catalogue', () => {
  it('lists every entry once, with valid, unique, prefixed names', () => {
    expect(metricDefinitions).toEqual(Object.values(metricCatalogue));
    const names = metricDefinitions.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(validateMetricName(name)).toBe(true);
      expect(name.startsWith('weir_')).toBe(true);
    }
  });

  it('follows Prometheus naming: counters end in _total, others do not', () => {
    for (const d of metricDefinitions) expect({ name: d.name, total: d.name.endsWith('_total') }).toEqual({ name: d.name, total: d.type === 'counter' });
  });

  it('gives histograms ascending buckets from 0.5 ms to 30 s', () => {
    expect(metricCatalogue.requestDurationSeconds.buckets).toBe(requestDurationBuckets);
    expect([...requestDurationBuckets].sort((a, b) => a - b)).toEqual(requestDurationBuckets);
    expect(requestDurationBuckets[0]).toBe(0.0005);
    expect(requestDurationBuckets[requestDurationBuckets.length - 1]).toBe(30);
    for (const d of metricDefinitions) expect(d.buckets !== undefined).toBe(d.type === 'histogram');
  });

  it('never uses per-request data as a label', () => {
    const allowed = new Set(['route', 'upstream', 'status', 'code', 'version']);
    // Control-plane labels: closed sets (config sources, apply outcomes, worker states).
    for (const label of ['source', 'outcome', 'state']) allowed.add(label);
    // Resilience labels: closed sets (retryOn conditions, retry limits, outlier detectors).
    allowed.add('reason');
    // Health-check labels: endpoint addresses come from the config; result is success|failure.
    allowed.add('endpoint');
    allowed.add('result');
    // Rollout arm: stable | candidate.
    allowed.add('arm');
    // Rollout transitions: a closed set of events.
    allowed.add('event');
    // Upgrade tunnels: bytes by direction, upstream | downstream.
    allowed.add('direction');
    // TLS certificates: names from the config's `certificates`.
    allowed.add('certificate');
    // Rate-limit leases: host | global.
    allowed.add('scope');
    // Fault injections (traffic plans): delay | abort.
    allowed.add('kind');
    for (const d of metricDefinitions) for (const label of d.labels) expect(allowed.has(label)).toBe(true);
  });
});
