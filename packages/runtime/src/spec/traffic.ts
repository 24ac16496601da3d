/**
 * A forwarding route's traffic plan in the spec (issue 19), defaults filled in. See
 * `@weir/config`'s types/traffic.ts for the meaning of each field.
 */

export interface TrafficSpec {
  /** In config order. */
  readonly overrides: readonly TrafficOverrideSpec[];
  readonly sticky: StickyKeySpec | null;
  readonly mirror: MirrorSpec | null;
  readonly fault: FaultSpec | null;
}

export interface TrafficOverrideSpec {
  readonly source: 'header' | 'cookie';
  /** Header names lower-cased; cookie names as written. */
  readonly name: string;
  /** null: presence is enough. */
  readonly value: string | null;
  /** Index into the route's `split`. */
  readonly target: number;
}

export type StickyKeySpec =
  /** `name` lower-cased. */
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'cookie'; readonly name: string }
  | { readonly kind: 'clientAddress' }
  | { readonly kind: 'claim'; readonly name: string };

export interface MirrorSpec {
  readonly upstream: string;
  /** 0-100. */
  readonly percent: number;
  /** Lower-cased. */
  readonly header: string;
  readonly maxBodyBytes: number;
  readonly maxInFlight: number;
}

export interface FaultSpec {
  /** 0-100; 0 = no delay. */
  readonly delayPercent: number;
  readonly delayMs: number;
  /** 0-100; 0 = no abort. */
  readonly abortPercent: number;
  readonly abortStatus: number;
  readonly headerControlled: boolean;
  readonly maxActiveDelays: number;
}
