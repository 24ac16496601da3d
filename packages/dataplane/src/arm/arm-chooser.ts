import type { HashOnSpec } from '@weir/runtime';
import { NO_HASH, RequestHasher, mix32 } from '../balancer/index';

/**
 * How a worker splits requests between the stable and the candidate runtime during a rollout:
 * the candidate's share in percent (0-100, fractions allowed) and, optionally, the request key
 * that keeps one client on one arm (a header, a cookie or the client address, as a
 * consistent-hashing balancer's `hashOn`).
 */
export interface ArmSettings {
  readonly percent: number;
  readonly sticky: HashOnSpec | null;
}

/** 2^32: hashes and scaled random draws live in [0, 2^32). */
const SPACE = 4294967296;
/** Re-mixes the request key so arm choice and a ring-hash balancer on the same key are independent. */
const ARM_SALT = 0x5bd1e995;

/**
 * Picks the arm of one request (DESIGN.md section 7: "a small pure module picks the arm per
 * request"). With a sticky key, the key's hash is compared with the share: a client whose key
 * hashes below 1% of the space gets the candidate at 1% and keeps it at 10%, 50% and 100%, so a
 * client never flips back while the share grows, and every worker decides alike. Requests
 * without the key, and every request without a sticky setting, are drawn at random.
 *
 * Cost per request: one comparison without a rollout (the data plane holds no chooser then), a
 * random draw or one header scan and hash during one. Allocates nothing.
 */
export class ArmChooser {
  /** The candidate's share scaled to [0, 2^32]. */
  private readonly threshold: number;
  private readonly hasher: RequestHasher | null;
  private readonly random: () => number;

  constructor(settings: ArmSettings, random: () => number = Math.random) {
    const percent = settings.percent > 100 ? 100 : settings.percent < 0 ? 0 : settings.percent;
    this.threshold = (percent / 100) * SPACE;
    this.hasher = settings.sticky === null ? null : new RequestHasher(settings.sticky);
    this.random = random;
  }

  /** True when the request goes to the candidate runtime. */
  candidate(rawHeaders: readonly string[], remoteAddress: string | undefined): boolean {
    if (this.hasher !== null) {
      const h = this.hasher.hash(rawHeaders, remoteAddress);
      if (h !== NO_HASH) return mix32(h ^ ARM_SALT) < this.threshold;
    }
    return this.random() * SPACE < this.threshold;
  }
}
