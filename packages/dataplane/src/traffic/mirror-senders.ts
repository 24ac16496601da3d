import type { MirrorSpec } from '@weir/runtime';
import { MirrorSender, type MirrorMetrics } from './mirror-sender';

/** Counts nothing: a data plane without metrics. */
const NO_MIRROR_METRICS: MirrorMetrics = { mirrored: () => undefined };

/**
 * The worker's mirror senders, kept across config versions by route name and mirror settings,
 * so a route's `maxInFlight` holds while an old runtime's copies finish. Senders no runtime uses
 * and with nothing in flight are dropped when a runtime is assembled (`prune`).
 */
export class MirrorSenders {
  private readonly senders = new Map<string, MirrorSender>();
  private readonly metrics: MirrorMetrics;

  constructor(metrics: MirrorMetrics | null) {
    this.metrics = metrics ?? NO_MIRROR_METRICS;
  }

  /** The sender of `route`'s mirror; timeouts are the mirror upstream's. */
  sender(route: string, spec: MirrorSpec, headersTimeout: number, bodyTimeout: number): MirrorSender {
    const key = `${route}\u0000${spec.upstream}\u0000${spec.percent}\u0000${spec.maxInFlight}\u0000${headersTimeout}\u0000${bodyTimeout}`;
    let sender = this.senders.get(key);
    if (sender === undefined) {
      sender = new MirrorSender({ route, maxInFlight: spec.maxInFlight, percent: spec.percent, headersTimeout, bodyTimeout, metrics: this.metrics });
      this.senders.set(key, sender);
    }
    return sender;
  }

  /** Drops idle senders not in `keep`. */
  prune(keep: ReadonlySet<MirrorSender>): void {
    for (const [key, sender] of this.senders) if (sender.inFlight === 0 && !keep.has(sender)) this.senders.delete(key);
  }

  get size(): number {
    return this.senders.size;
  }
}
