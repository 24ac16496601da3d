import { Registry } from 'prom-client';
import { TracingMetrics, type TraceExportReading } from '@weir/obs';

/** TracingMetrics (issue 18): span export counts read from the queues at scrape time. */

type Value = { labels: Record<string, string | number>; value: number };

async function scrape(registry: Registry): Promise<Record<string, Value[]>> {
  const out: Record<string, Value[]> = {};
  for (const family of await registry.getMetricsAsJSON()) out[family.name] = family.values as Value[];
  return out;
}

function dropped(values: Value[] | undefined, reason: string): number | undefined {
  return values?.find((v) => v.labels['reason'] === reason)?.value;
}

describe('TracingMetrics', () => {
  it('reports nothing until it watches a source', async () => {
    expect.assertions(2);
    const registry = new Registry();
    new TracingMetrics(registry);
    const m = await scrape(registry);
    expect(m['weir_tracing_spans_exported_total']?.[0]?.value ?? 0).toBe(0);
    expect(m['weir_tracing_queue_spans']?.[0]?.value ?? 0).toBe(0);
  });

  it('advances the counters by the readings’ deltas and shows the queued spans', async () => {
    expect.assertions(9);
    const registry = new Registry();
    const metrics = new TracingMetrics(registry);
    let reading: TraceExportReading = { exported: 10, queueFull: 2, exportFailed: 0, shutdown: 0, queued: 7 };
    let reads = 0;
    metrics.watch(() => {
      reads++;
      return reading;
    });
    let m = await scrape(registry);
    expect(m['weir_tracing_spans_exported_total']?.[0]?.value).toBe(10);
    expect(dropped(m['weir_tracing_spans_dropped_total'], 'queue_full')).toBe(2);
    expect(m['weir_tracing_queue_spans']?.[0]?.value).toBe(7);
    // One read of the queues per scrape feeds all three.
    expect(reads).toBe(1);

    reading = { exported: 25, queueFull: 2, exportFailed: 4, shutdown: 1, queued: 0 };
    m = await scrape(registry);
    expect(m['weir_tracing_spans_exported_total']?.[0]?.value).toBe(25);
    expect([dropped(m['weir_tracing_spans_dropped_total'], 'queue_full'), dropped(m['weir_tracing_spans_dropped_total'], 'export_failed'), dropped(m['weir_tracing_spans_dropped_total'], 'shutdown')]).toEqual([2, 4, 1]);
    expect(m['weir_tracing_queue_spans']?.[0]?.value).toBe(0);

    // A scrape with nothing new adds nothing.
    m = await scrape(registry);
    expect(m['weir_tracing_spans_exported_total']?.[0]?.value).toBe(25);
    expect(reads).toBe(3);
  });
});
