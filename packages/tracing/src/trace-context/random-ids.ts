import { randomFillSync } from 'node:crypto';

/** Where new trace and span ids come from; tests inject a deterministic one. */
export interface IdSource {
  /** 32 lowercase hex chars, never all zero. */
  traceId(): string;
  /** 16 lowercase hex chars, never all zero. */
  spanId(): string;
}

/** Pool size: one `randomFillSync` call serves ~2,700 requests (a trace id and a span id each). */
const POOL_BYTES = 65_536;
/** Retries before forcing a non-zero byte, so a broken fill cannot loop forever. */
const ZERO_RETRIES = 4;

/**
 * Random ids sliced from a pooled 64 KiB buffer that is refilled when used up: one fill per
 * ~2,700 requests instead of one per id (the same trick as Node's `randomUUID` cache). An id that
 * comes out all zero (invalid per W3C section 3.2.2.3 and 3.2.2.4) is drawn again.
 *
 * `fill` defaults to `crypto.randomFillSync`; tests pass a seeded one.
 */
export class RandomIds implements IdSource {
  private readonly pool = Buffer.allocUnsafe(POOL_BYTES);
  /** Next unread byte; starts at the end so the first id fills the pool (lazy, cheap to build). */
  private offset = POOL_BYTES;

  constructor(private readonly fill: (buf: Buffer) => void = randomFillSync) {}

  traceId(): string {
    return this.take(16);
  }

  spanId(): string {
    return this.take(8);
  }

  private take(bytes: number): string {
    for (let attempt = 0; ; attempt++) {
      if (this.offset + bytes > POOL_BYTES) {
        this.fill(this.pool);
        this.offset = 0;
      }
      const start = this.offset;
      const end = start + bytes;
      this.offset = end;
      let any = 0;
      for (let i = start; i < end; i++) any |= this.pool[i] as number;
      if (any !== 0) return this.pool.toString('hex', start, end);
      if (attempt >= ZERO_RETRIES) {
        this.pool[end - 1] = 1;
        return this.pool.toString('hex', start, end);
      }
    }
  }
}
