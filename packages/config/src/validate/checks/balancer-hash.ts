import { jsonPointer } from '../json-pointer';
import type { WeirConfig } from '../../types/index';
import type { Report } from './semantic-check';

const KEYS = ['header', 'cookie', 'clientAddress'] as const;

/**
 * `balancer.hashOn` is required by the consistent-hashing policies (`ring_hash`, `maglev`) and
 * holds exactly one of `header`, `cookie`, `clientAddress`; with any other policy it is rejected
 * rather than silently ignored, since an operator who wrote it expects requests to stick.
 * (The schema cannot say "exactly one" without an opaque `oneOf` error.)
 */
export function checkBalancerHash(config: WeirConfig, report: Report): void {
  const upstreams = config.upstreams ?? [];
  for (const [i, upstream] of upstreams.entries()) {
    const balancer = upstream.balancer;
    if (balancer === undefined) continue;
    const policy = balancer.policy ?? 'round_robin';
    const hashing = policy === 'ring_hash' || policy === 'maglev';
    const hashOn = balancer.hashOn;
    if (hashOn === undefined) {
      if (hashing) report(jsonPointer('upstreams', i, 'balancer'), `policy "${policy}" needs "hashOn": one of "header", "cookie" or "clientAddress"`);
      continue;
    }
    const at = jsonPointer('upstreams', i, 'balancer', 'hashOn');
    if (!hashing) {
      report(at, `"hashOn" only applies to the "ring_hash" and "maglev" policies, not "${policy}"`);
      continue;
    }
    const present = KEYS.filter((key) => hashOn[key] !== undefined);
    if (present.length !== 1) {
      const found = present.length === 0 ? 'none' : present.map((k) => `"${k}"`).join(' and ');
      report(at, `set exactly one of "header", "cookie" or "clientAddress" (found ${found})`);
    }
  }
}
