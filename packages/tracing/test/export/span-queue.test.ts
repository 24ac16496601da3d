import { createResource, SpanGroup, SpanKind, SpanQueue, SpanRecord, weirScope, type SpanSink } from '@weir/tracing';
import { encodeSpanRecord } from '../../src/export/otlp-encoder';
import { FakeScheduler, FakeSink } from '../support/fakes';

const resource = createResource({ 'service.name': 'q' });
const scope = weirScope('0');
let seq = 0;
const span = (): SpanRecord => {
  seq++;
  return new SpanRecord(`s${seq}`, SpanKind.SERVER, 'a'.repeat(32), seq.toString(16).padStart(16, '0'), null, false, 0, 1, {}, resource, scope);
};
const names = (batch: SpanRecord[] | undefined): string[] => (batch ?? []).map((s) => s.name);

function setup(maxQueueSpans = 10, maxBatchSpans = 3, flushIntervalMs = 100): { queue: SpanQueue; sink: FakeSink; clock: FakeScheduler } {
  seq = 0;
  const sink = new FakeSink();
  const clock = new FakeScheduler();
  return { queue: new SpanQueue(sink, { maxQueueSpans, maxBatchSpans, flushIntervalMs }, clock), sink, clock };
}

describe('SpanQueue', () => {
  it('sends a batch as soon as maxBatchSpans wait', () => {
    const { queue, sink } = setup();
    queue.push(span());
    queue.push(span());
    expect(sink.batches).toHaveLength(0);
    queue.push(span());
    expect(sink.batches.map(names)).toEqual([['s1', 's2', 's3']]);
    sink.complete(true);
    expect(queue.exported).toBe(3);
    expect(queue.queued).toBe(0);
  });

  it('sends a partial batch flushIntervalMs after the first span waited', () => {
    const { queue, sink, clock } = setup();
    queue.push(span());
    clock.advance(60);
    queue.push(span());
    clock.advance(39);
    expect(sink.batches).toHaveLength(0);
    clock.advance(1);
    expect(sink.batches.map(names)).toEqual([['s1', 's2']]);
    expect(clock.pending).toBe(0);
  });

  it('keeps at most one export in flight and sends the next batch when it completes', () => {
    const { queue, sink, clock } = setup();
    for (let i = 0; i < 7; i++) queue.push(span());
    expect(sink.open).toBe(1);
    expect(queue.queued).toBe(4);
    sink.complete(true);
    expect(sink.batches.map(names)).toEqual([['s1', 's2', 's3'], ['s4', 's5', 's6']]);
    sink.complete(true);
    expect(sink.batches).toHaveLength(2);
    clock.advance(100);
    expect(sink.batches.map(names)[2]).toEqual(['s7']);
    sink.complete(true);
    expect(queue.exported).toBe(7);
  });

  it('sends a partial batch at once when its interval ended while another export was in flight', () => {
    const { queue, sink, clock } = setup();
    for (let i = 0; i < 4; i++) queue.push(span());
    clock.advance(1000);
    expect(sink.open).toBe(1);
    sink.complete(true);
    expect(sink.batches.map(names)).toEqual([['s1', 's2', 's3'], ['s4']]);
  });

  it('drops and counts spans pushed into a full queue', () => {
    const { queue, sink } = setup(5, 3);
    for (let i = 0; i < 3; i++) queue.push(span()); // in flight
    for (let i = 0; i < 7; i++) queue.push(span()); // 5 fit in the ring, 2 dropped
    expect(queue.queued).toBe(5);
    expect(queue.dropped).toEqual({ queueFull: 2, exportFailed: 0, shutdown: 0 });
    sink.complete(true);
    expect(names(sink.batches[1])).toEqual(['s4', 's5', 's6']);
  });

  it('counts a failed export and carries on', () => {
    const { queue, sink } = setup();
    for (let i = 0; i < 6; i++) queue.push(span());
    sink.complete(false);
    expect(queue.dropped.exportFailed).toBe(3);
    sink.complete(true);
    expect(queue.exported).toBe(3);
  });

  it('treats a sink that throws as a failed export', () => {
    seq = 0;
    const throwing: SpanSink = {
      export: () => {
        throw new Error('boom');
      },
      shutdown: () => Promise.resolve(),
    };
    const queue = new SpanQueue(throwing, { maxQueueSpans: 4, maxBatchSpans: 2, flushIntervalMs: 10 }, new FakeScheduler());
    expect(() => {
      for (let i = 0; i < 4; i++) queue.push(span());
    }).not.toThrow();
    expect(queue.dropped.exportFailed).toBe(4);
  });

  it('flush sends partial batches and resolves once they settle', async () => {
    expect.assertions(3);
    const { queue, sink } = setup();
    for (let i = 0; i < 5; i++) queue.push(span());
    let flushed = false;
    const flushing = queue.flush().then(() => {
      flushed = true;
    });
    sink.complete(true);
    expect(sink.batches.map(names)).toEqual([['s1', 's2', 's3'], ['s4', 's5']]);
    sink.complete(true);
    await flushing;
    expect(flushed).toBe(true);
    expect(queue.exported).toBe(5);
  });

  it('flush of an empty queue resolves at once', async () => {
    expect.assertions(1);
    const { queue } = setup();
    await expect(queue.flush()).resolves.toBeUndefined();
  });

  it('shutdown flushes, shuts the sink, and drops later pushes', async () => {
    expect.assertions(4);
    const { queue, sink } = setup();
    queue.push(span());
    const done = queue.shutdown(1000);
    expect(sink.open).toBe(1);
    sink.complete(true);
    await done;
    queue.push(span());
    expect(queue.exported).toBe(1);
    expect(queue.dropped.shutdown).toBe(1);
    expect(sink.shutdowns).toBe(1);
  });

  it('shutdown counts what it could not send before the deadline', async () => {
    expect.assertions(3);
    const { queue, sink, clock } = setup();
    for (let i = 0; i < 5; i++) queue.push(span());
    const done = queue.shutdown(500);
    await Promise.resolve();
    clock.advance(500);
    await done;
    expect(queue.dropped.shutdown).toBe(2);
    expect(queue.queued).toBe(0);
    // The batch still in flight settles normally later.
    sink.complete(true);
    expect(queue.exported).toBe(3);
  });

  it('rejects invalid options with WEIR_ERR_CONFIG_INVALID', () => {
    const sink = new FakeSink();
    const codes = [
      { maxQueueSpans: 0, maxBatchSpans: 1, flushIntervalMs: 1 },
      { maxQueueSpans: 4, maxBatchSpans: 5, flushIntervalMs: 1 },
      { maxQueueSpans: 4, maxBatchSpans: 2, flushIntervalMs: -1 },
    ].map((o) => {
      try {
        new SpanQueue(sink, o);
        return 'none';
      } catch (err) {
        return (err as { code: string }).code;
      }
    });
    expect(codes).toEqual(['WEIR_ERR_CONFIG_INVALID', 'WEIR_ERR_CONFIG_INVALID', 'WEIR_ERR_CONFIG_INVALID']);
  });

  it('keeps the spans of one open together: a batch closes early rather than split them, a full queue drops them all', () => {
    const { queue, sink } = setup(5, 3);
    const group = new SpanGroup(resource, scope);
    const write = (n: number): boolean => {
      const w = queue.open(group, n);
      if (w === null) return false;
      for (let i = 0; i < n; i++) encodeSpanRecord(w, span());
      queue.commit();
      return true;
    };
    expect(write(2)).toBe(true);
    // 2 + 2 > maxBatchSpans: the first two go out alone, the next two start a batch.
    expect(write(2)).toBe(true);
    expect(sink.batches.map(names)).toEqual([['s1', 's2']]);
    expect(queue.queued).toBe(2);
    // The bound counts waiting spans, not the batch in flight: 2 + 3 fit, then nothing more.
    expect(write(3)).toBe(true);
    expect(write(1)).toBe(false);
    expect(queue.dropped.queueFull).toBe(1);
    expect(write(2)).toBe(false);
    expect(queue.dropped.queueFull).toBe(3);
    sink.complete(true);
    expect(sink.batches.map(names)).toEqual([['s1', 's2'], ['s3', 's4']]);
  });

  it('closes a batch when the resource changes, so each request names one resource', () => {
    const { queue, sink } = setup(10, 5);
    const other = createResource({ 'service.name': 'other' });
    queue.push(span());
    queue.push(new SpanRecord('x', SpanKind.SERVER, 'b'.repeat(32), '00000000000000ff', null, false, 0, 1, {}, other, scope));
    void queue.flush();
    expect(sink.batches.map(names)).toEqual([['s1']]);
    expect(sink.batches[0]?.[0]?.resource.attributes['service.name']).toBe('q');
    sink.complete(true);
    expect(sink.batches.map(names)).toEqual([['s1'], ['x']]);
    expect(sink.batches[1]?.[0]?.resource.attributes['service.name']).toBe('other');
  });

  it('reuses the buffer of an exported batch, never one still in flight or waiting', () => {
    const { queue, sink } = setup(10, 2);
    for (let i = 0; i < 4; i++) queue.push(span());
    // Batch 1 in flight, batch 2 waiting: two buffers.
    expect(sink.bytes).toHaveLength(1);
    sink.complete(true);
    expect(sink.bytes).toHaveLength(2);
    // (Small buffers share Node's allocation pool: compare where the bytes sit, not the pool.)
    const at = (b: Uint8Array | undefined): [ArrayBufferLike | undefined, number | undefined] => [b?.buffer, b?.byteOffset];
    expect(at(sink.bytes[1])).not.toEqual(at(sink.bytes[0]));
    // Batch 3 is written while batch 2 is in flight: into batch 1's buffer, now free.
    queue.push(span());
    queue.push(span());
    sink.complete(true);
    expect(sink.bytes).toHaveLength(3);
    expect(sink.bytes[2]?.buffer).toBe(sink.bytes[0]?.buffer);
    expect(sink.bytes[2]?.byteOffset).toBe(sink.bytes[0]?.byteOffset);
    expect(sink.batches.map(names)).toEqual([['s1', 's2'], ['s3', 's4'], ['s5', 's6']]);
  });
});
