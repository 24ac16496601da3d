import type { LeaseGrant, LeaseRequest, LeaseReturn, LeaseTransport } from '@weir/limits';
import type { PrimaryPort } from './primary-port';

/** Most lease requests waiting for the primary at once; beyond it a request is granted in full. */
const MAX_OUTSTANDING = 10_000;

/** How long a lease request may wait for the primary before it is granted in full (fail open). */
const LEASE_TIMEOUT_MS = 2_000;

interface Waiting {
  resolve(grant: LeaseGrant): void;
  readonly want: number;
  readonly timer: NodeJS.Timeout;
}

/**
 * The worker's side of rate-limit leasing (DESIGN.md section 7): a `LeaseTransport` over the
 * IPC channel. Each request gets an id; the primary's `weir:lease-grant` with that id resolves
 * it. A primary that does not answer in time, or a channel that is gone, resolves a grant of
 * everything asked for: a rate limit fails open rather than stall every request behind it.
 */
export class LeaseChannel implements LeaseTransport {
  private readonly port: PrimaryPort;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;

  constructor(port: PrimaryPort) {
    this.port = port;
  }

  request(req: LeaseRequest): Promise<LeaseGrant> {
    return new Promise<LeaseGrant>((resolve) => {
      if (this.waiting.size >= MAX_OUTSTANDING) {
        resolve(openGrant(req.want));
        return;
      }
      const id = ++this.nextId;
      const timer = setTimeout(() => this.settle(id, openGrant(req.want)), LEASE_TIMEOUT_MS);
      timer.unref();
      this.waiting.set(id, { resolve, want: req.want, timer });
      try {
        this.port.send({ type: 'weir:lease', id, request: req });
      } catch {
        this.settle(id, openGrant(req.want));
      }
    });
  }

  giveBack(ret: LeaseReturn): void {
    try {
      this.port.send({ type: 'weir:lease-return', ret });
    } catch {
      // The primary is gone: the tokens are lost with it.
    }
  }

  /** The primary answered request `id`. */
  granted(id: number, grant: LeaseGrant): void {
    this.settle(id, grant);
  }

  /** Requests still waiting for the primary. */
  get outstanding(): number {
    return this.waiting.size;
  }

  private settle(id: number, grant: LeaseGrant): void {
    const w = this.waiting.get(id);
    if (w === undefined) return;
    this.waiting.delete(id);
    clearTimeout(w.timer);
    w.resolve(grant);
  }
}

function openGrant(want: number): LeaseGrant {
  return { granted: want, retryAfterMs: 0, remaining: 0 };
}
