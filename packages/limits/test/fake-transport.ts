import type { LeaseGrant, LeaseRequest, LeaseReturn, LeaseTransport } from '@weir/limits';

/** A lease transport whose answers the test gives by hand. */
export class FakeTransport implements LeaseTransport {
  readonly requests: LeaseRequest[] = [];
  readonly returns: LeaseReturn[] = [];
  private readonly waiting: { resolve: (grant: LeaseGrant) => void; reject: (error: unknown) => void }[] = [];
  throwOnGiveBack = false;

  request(req: LeaseRequest): Promise<LeaseGrant> {
    this.requests.push(req);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  giveBack(ret: LeaseReturn): void {
    if (this.throwOnGiveBack) throw new Error('channel closed');
    this.returns.push(ret);
  }

  /** Answers the oldest open request. */
  answer(granted: number, retryAfterMs = 0, remaining = 0): void {
    const next = this.waiting.shift();
    if (next === undefined) throw new Error('no open request');
    next.resolve({ granted, retryAfterMs, remaining });
  }

  fail(error: unknown = new Error('primary gone')): void {
    const next = this.waiting.shift();
    if (next === undefined) throw new Error('no open request');
    next.reject(error);
  }

  get open(): number {
    return this.waiting.length;
  }
}
