import type { JwksSource } from '@weir/plugins';
import { ConcurrencyGates, type TokenTaker } from '../limits/index';
import type { MirrorSenders } from '../traffic/index';
import type { CacheRegistry } from '../cache/index';
import type { TraceExports } from '../tracing/index';

/** What assembling plugins and limits needs from the worker (shared by all its runtimes). */
export interface PolicyDeps {
  /** Rate-limit tokens: the worker's LeaseClient (leases from the primary). */
  readonly tokens: TokenTaker;
  /** Concurrency gates kept across config versions. */
  readonly gates: ConcurrencyGates;
  /** Key sets of JWKS URLs, as the primary last sent them. */
  readonly jwks: JwksSource;
  /** Wall clock, ms since the epoch (JWT `exp` / `nbf`). */
  readonly now: () => number;
  /** Mirror senders kept across config versions (traffic plans). */
  readonly mirrors: MirrorSenders;
  /** Response caches kept across config versions. */
  readonly caches: CacheRegistry;
  /** Span export queues kept across config versions (issue 18). */
  readonly traces: TraceExports;
}
