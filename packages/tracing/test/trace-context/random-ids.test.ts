import { RandomIds } from '@weir/tracing';
import { seededFill } from '../support/fakes';

describe('RandomIds', () => {
  it('returns lowercase hex ids of 32 and 16 chars', () => {
    const ids = new RandomIds();
    for (let i = 0; i < 500; i++) {
      expect(ids.traceId()).toMatch(/^[0-9a-f]{32}$/);
      expect(ids.spanId()).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it('is deterministic with an injected fill and refills the pool only when used up', () => {
    const calls: number[] = [];
    const fill = seededFill(7);
    const a = new RandomIds((buf) => {
      calls.push(buf.length);
      fill(buf);
    });
    const b = new RandomIds(seededFill(7));
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const id = a.traceId();
      expect(id).toBe(b.traceId());
      seen.add(id);
    }
    expect(seen.size).toBe(400);
    // 400 ids x 16 bytes = 6400 bytes: two 4 KiB fills.
    expect(calls).toEqual([4096, 4096]);
  });

  it('never returns an all-zero id, even from a fill that yields zeros', () => {
    let zeroFills = 0;
    const ids = new RandomIds((buf) => {
      zeroFills++;
      buf.fill(0);
      if (zeroFills % 2 === 0) buf[buf.length - 1] = 9;
    });
    for (let i = 0; i < 600; i++) {
      expect(ids.spanId()).not.toBe('0'.repeat(16));
      expect(ids.traceId()).not.toBe('0'.repeat(32));
    }
    const allZero = new RandomIds((buf) => buf.fill(0));
    expect(allZero.traceId()).toBe('0'.repeat(31) + '1');
  });
});
