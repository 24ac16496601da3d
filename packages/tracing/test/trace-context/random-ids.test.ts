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
    let same = 0;
    for (let i = 0; i < 5000; i++) {
      const id = a.traceId();
      if (id === b.traceId()) same++;
      seen.add(id);
    }
    expect(same).toBe(5000);
    expect(seen.size).toBe(5000);
    // 5000 ids x 16 bytes = 80,000 bytes: two 64 KiB fills.
    expect(calls).toEqual([65_536, 65_536]);
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
