import type { Dispatcher } from 'undici';
import type { RouteMirror } from '../assemble/index';
import { NO_ENDPOINT, NO_HASH } from '../balancer/index';
import { mirrorHeaders } from '../traffic/index';

/** What a traffic plan did to a request, as bits (the exchange's `trafficNotes`). */
export const TRAFFIC_OVERRIDE = 1;
export const TRAFFIC_MIRRORED = 2;
export const TRAFFIC_FAULT_DELAY = 4;
export const TRAFFIC_FAULT_ABORT = 8;

/** The access log's `traffic` text for every combination of the bits, built once. */
export const TRAFFIC_NOTES: readonly string[] = Array.from({ length: 16 }, (_, bits) =>
  [
    (bits & TRAFFIC_OVERRIDE) !== 0 ? 'override' : '',
    (bits & TRAFFIC_MIRRORED) !== 0 ? 'mirrored' : '',
    (bits & TRAFFIC_FAULT_DELAY) !== 0 ? 'fault-delay' : '',
    (bits & TRAFFIC_FAULT_ABORT) !== 0 ? 'fault-abort' : '',
  ]
    .filter((w) => w !== '')
    .join(','),
);

/**
 * Sends a copy of a request to its route's mirror, fire and forget: its own endpoint pick, no
 * breaker, outlier or retry bookkeeping, and nothing it does reaches the client. Returns whether
 * a copy went out (not dropped at the in-flight cap, not skipped for want of an endpoint).
 */
export function sendMirrorCopy(mirror: RouteMirror, method: string, path: string, headers: string[], body: Buffer | null): boolean {
  const upstream = mirror.upstream;
  const e = upstream.pools.length === 0 ? NO_ENDPOINT : upstream.balancer === null ? 0 : upstream.balancer.pick(NO_HASH, null);
  if (e === NO_ENDPOINT) {
    mirror.sender.skipped();
    return false;
  }
  return mirror.sender.send(upstream.pools[e] as Dispatcher, method, path, mirrorHeaders(headers, mirror.header), body);
}

/** The first value of header `lowerName` in a raw header list, or undefined. */
export function rawHeader(raw: readonly string[], lowerName: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return raw[i + 1] as string;
  }
  return undefined;
}
