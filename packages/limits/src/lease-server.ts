import { GlobalLeasePool } from './global-lease-pool';
import type { GlobalFailureMode, GlobalTokenSource, LeaseServerListener } from './global-token-source';
import { LeaseBank } from './lease-bank';
import type { Clock, LeaseGrant, LeaseRequest, LeaseReturn, LeaseTransport } from './lease-types';

/** Settings of a `LeaseServer`. */
export interface LeaseServerOptions {
  /** The shared store of global limits; `null` or absent: global limits act per `onGlobalFailure`. */
  readonly global?: GlobalTokenSource | null;
  /** The config's `globalLimits.onRedisFailure`. Default `open`. */
  readonly onGlobalFailure?: GlobalFailureMode;
  /** Most host buckets (`LeaseBankOptions.maxKeys`) and most pooled global keys. Default 100000 each. */
  readonly maxKeys?: number;
  /** Pooled global tokens older than this go back to the source. Default 1000 ms. */
  readonly leaseTtlMs?: number;
  /** How long the failure mode answers after a global source failure. Default 1000 ms. */
  readonly failureHoldMs?: number;
  readonly listener?: LeaseServerListener;
}

/**
 * The primary's side of rate limits, free of IPC: the cluster's lease handler (or, in a
 * single-process Weir, a `LeaseClient` directly, since this class satisfies `LeaseTransport`)
 * passes requests in. `scope: "host"` leases come from the `LeaseBank`; `scope: "global"` ones
 * from the `GlobalLeasePool`, which batches in front of the global source and falls back to the
 * same bank (`open`) or refuses (`closed`) while the source fails.
 */
export class LeaseServer implements LeaseTransport {
  readonly bank: LeaseBank;
  readonly pool: GlobalLeasePool;
  private readonly listener: LeaseServerListener;

  constructor(clock: Clock, options: LeaseServerOptions = {}) {
    this.listener = options.listener ?? {};
    this.bank = new LeaseBank(clock, { maxKeys: options.maxKeys });
    this.pool = new GlobalLeasePool(clock, {
      source: options.global ?? null,
      fallback: this.bank,
      onFailure: options.onGlobalFailure,
      leaseTtlMs: options.leaseTtlMs,
      failureHoldMs: options.failureHoldMs,
      maxKeys: options.maxKeys,
      listener: this.listener,
    });
  }

  /** Follows a committed config's `globalLimits`: its Redis source (null: none) and failure mode. */
  setGlobal(source: GlobalTokenSource | null, mode: GlobalFailureMode): void {
    this.pool.setSource(source, mode);
  }

  /** Answers one worker lease. Never rejects. */
  request(req: LeaseRequest): Promise<LeaseGrant> {
    if (req.scope === 'global') {
      return this.pool.grant(req).then((grant) => {
        this.listener.onGrant?.('global', grant);
        return grant;
      });
    }
    const grant = this.bank.grant(req);
    this.listener.onGrant?.('host', grant);
    return Promise.resolve(grant);
  }

  /** Takes back a worker's unspent tokens (fire and forget). */
  giveBack(ret: LeaseReturn): void {
    if (ret.scope === 'global') this.pool.giveBack(ret);
    else this.bank.giveBack(ret);
  }

  /** The periodic clean-up (e.g. every 10 s): full host buckets and idle global keys go. */
  sweep(): void {
    this.bank.sweep();
    this.pool.sweep();
  }
}
