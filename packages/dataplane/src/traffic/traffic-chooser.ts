import type { StickyKeySpec, TrafficSpec } from '@weir/runtime';
import { NO_OVERRIDE, OverrideMatcher } from './override-matcher';
import { cookieValueEnd, cookieValueStart, equalsLowerCase, headerIndex } from './raw-headers';
import { StickyChooser, claimKey } from './sticky-chooser';
import { TrafficPlan, type SplitEntry } from './traffic-plan';

/** What the chooser reports: override hits (`weir_traffic_overrides_total`). */
export interface TrafficChoiceMetrics {
  overridden(route: string): void;
}

/** Options of a `TrafficChooser`. */
export interface TrafficChooserOptions {
  /** Uniform source in [0, 1) for per-request picks. Default `Math.random`. */
  readonly random?: () => number;
  /** The route's name, for metrics. Default `""`. */
  readonly route?: string;
  /** Where override hits are counted. Default: not counted. */
  readonly metrics?: TrafficChoiceMetrics | null;
}

/**
 * The split entry of one request on a route with `traffic` (issue 19), built once per
 * forwarding route in `assemble`. Order (config docs, types/traffic.ts):
 *
 * ```
 *   overrides (config order, first match) -> sticky key's rendezvous hash -> weighted random pick
 *        hit: counted, that entry              key absent: fall through      (TrafficPlan)
 * ```
 *
 * Faults are decided before this and mirrors after it, by the exchange. A route without
 * `traffic` keeps its plain `TrafficPlan`.
 *
 * Allocation: none without overrides or a sticky key (one random draw), none for header,
 * cookie (hashed in place) or client-address keys; a numeric claim becomes a string.
 */
export class TrafficChooser {
  /** Upstream names in split order; `choose()` returns an index into this list. */
  readonly upstreams: readonly string[];
  private readonly overrides: OverrideMatcher | null;
  private readonly sticky: StickyChooser | null;
  private readonly key: StickyKeySpec | null;
  private readonly plan: TrafficPlan;
  private readonly route: string;
  private readonly metrics: TrafficChoiceMetrics | null;
  /** Whether the last `choose` was decided by an override (read right after it, for the access log). */
  lastOverridden = false;

  /**
   * @param traffic the route's traffic spec (override targets index `split`).
   * @param split the route's split, at least one entry, positive integer weights.
   */
  constructor(traffic: TrafficSpec, split: readonly SplitEntry[], options: TrafficChooserOptions = {}) {
    this.plan = new TrafficPlan(split, options.random ?? Math.random);
    this.upstreams = this.plan.upstreams;
    this.overrides = traffic.overrides.length === 0 ? null : new OverrideMatcher(traffic.overrides);
    this.key = traffic.sticky;
    const weights: number[] = [];
    for (let i = 0; i < split.length; i++) weights.push((split[i] as SplitEntry).weight);
    // One entry: every key lands on it; skip hashing.
    this.sticky = traffic.sticky === null || split.length === 1 ? null : new StickyChooser(this.plan.upstreams, weights);
    this.route = options.route ?? '';
    this.metrics = options.metrics ?? null;
  }

  /**
   * Index of the request's split entry in `upstreams`.
   * @param rawHeaders the request's `rawHeaders`.
   * @param clientAddress the resolved client address (`""` when unknown).
   * @param claims the verified JWT claims, or null.
   */
  choose(rawHeaders: readonly string[], clientAddress: string, claims: Readonly<Record<string, unknown>> | null): number {
    if (this.overrides !== null) {
      const target = this.overrides.match(rawHeaders);
      if (target !== NO_OVERRIDE) {
        if (this.metrics !== null) this.metrics.overridden(this.route);
        this.lastOverridden = true;
        return target;
      }
    }
    this.lastOverridden = false;
    if (this.sticky !== null) {
      const e = this.stickyPick(this.sticky, this.key as StickyKeySpec, rawHeaders, clientAddress, claims);
      if (e !== -1) return e;
    }
    return this.plan.pick();
  }

  /** The sticky entry, or -1 without a key. Same keys as `stickyKey`, hashed in place. */
  private stickyPick(
    sticky: StickyChooser,
    key: StickyKeySpec,
    rawHeaders: readonly string[],
    clientAddress: string,
    claims: Readonly<Record<string, unknown>> | null,
  ): number {
    switch (key.kind) {
      case 'header': {
        const at = headerIndex(rawHeaders, key.name);
        if (at === -1) return -1;
        const value = rawHeaders[at] as string;
        return value.length === 0 ? -1 : sticky.pick(value);
      }
      case 'cookie':
        for (let h = 0; h < rawHeaders.length; h += 2) {
          if (!equalsLowerCase(rawHeaders[h] as string, 'cookie')) continue;
          const line = rawHeaders[h + 1] as string;
          const start = cookieValueStart(line, key.name);
          if (start === -1) continue;
          const end = cookieValueEnd(line, start);
          return end === start ? -1 : sticky.pickRange(line, start, end);
        }
        return -1;
      case 'clientAddress':
        return clientAddress.length === 0 ? -1 : sticky.pick(clientAddress);
      case 'claim': {
        const value = claimKey(claims, key.name);
        return value === null ? -1 : sticky.pick(value);
      }
      default:
        return -1;
    }
  }
}
