/**
 * A route's traffic plan beyond the weighted `split` (issue 19): overrides, sticky splits,
 * mirroring and fault injection. Documented with examples in apps/weir/docs/config.md
 * ("Traffic plans").
 */

/**
 * Order of evaluation per request: `fault` (an abort answers at once; a delay waits, then the
 * request goes on), `overrides` in config order (the first that matches picks its split entry),
 * else the `sticky` key's consistent hash, else a per-request weighted pick; then `mirror` sends
 * a copy beside the chosen upstream.
 */
export interface TrafficConfig {
  /**
   * Requests matching one of these go to a named split entry whatever the weights; the first
   * that matches, in order, wins. At most 32. Default none.
   */
  readonly overrides?: readonly TrafficOverrideConfig[];
  /**
   * Choose the split entry by a hash of a client key instead of per request (weighted rendezvous
   * hashing: raising an entry's weight only moves users onto it). A request without the key gets
   * a per-request pick. Default: per request.
   */
  readonly sticky?: StickyKeyConfig;
  /** Send a copy of a share of the requests to another upstream, fire and forget. Default none. */
  readonly mirror?: MirrorConfig;
  /** Delay or abort a share of requests, for resilience tests. Default none. */
  readonly fault?: FaultConfig;
}

/**
 * Exactly one of `header` and `cookie`. With `value`, the header's (first) value or the cookie's
 * value must equal it (case-sensitive); without, its presence is enough.
 */
export interface TrafficOverrideConfig {
  readonly header?: { readonly name: string; readonly value?: string };
  readonly cookie?: { readonly name: string; readonly value?: string };
  /** An upstream named in the route's split (or its `upstream`). */
  readonly upstream: string;
}

/** The sticky key: a header's value, a cookie's value, the resolved client address, or a JWT claim. */
export type StickyKeyConfig =
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'cookie'; readonly name: string }
  | { readonly kind: 'clientAddress' }
  | { readonly kind: 'claim'; readonly name: string };

export interface MirrorConfig {
  /** The upstream copies go to (any upstream of the config, also one of the split). */
  readonly upstream: string;
  /** Share of requests mirrored, 0-100 (decimals allowed). Default `100`. */
  readonly percent?: number;
  /**
   * Header set to `1` on every copy (the copy's Host also gets `-shadow` appended, as in Envoy);
   * not a hop-by-hop header, `content-length` or `host`. Default `"x-weir-mirror"`.
   */
  readonly header?: string;
  /**
   * Largest request body copied, in bytes; a request with a larger (or unannounced, chunked)
   * body is not mirrored (counted as `skipped`). 0 mirrors only requests without a body.
   * Default `65536`.
   */
  readonly maxBodyBytes?: number;
  /** Copies in flight per worker; beyond it copies are dropped and counted. Default `100`. */
  readonly maxInFlight?: number;
}

export interface FaultConfig {
  /**
   * Delay a share of requests (`percent`, 0-100, decimals allowed) by `ms` (1-60000) before
   * anything else happens to them. With `abort.percent`, at most 100 in all: a request gets at
   * most one fault. Default: no delay.
   */
  readonly delay?: { readonly percent: number; readonly ms: number };
  /**
   * Answer a share of requests (`percent`, 0-100) at once with `status` (400-599), never
   * forwarding them. Default: no abort. At least one of `delay` and `abort` is required unless
   * `headerControlled` is `true`.
   */
  readonly abort?: { readonly percent: number; readonly status: number };
  /**
   * Only requests carrying `x-weir-fault` get faults; its value may choose one itself:
   * `delay=<ms>` (1-60000) or `abort=<status>` (400-599), else the configured shares apply to
   * them. Default `false` (the shares apply to every request).
   */
  readonly headerControlled?: boolean;
  /** Requests of this route delayed at once per worker; beyond it, no delay. Default `100`. */
  readonly maxActiveDelays?: number;
}
