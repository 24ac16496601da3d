import type { ServerResponse } from 'node:http';
import type { AnyResponse } from './request-head';

/** The internal readiness path served on every listener, before any route. */
export const READY_PATH = '/__weir/ready';

/**
 * Answers the readiness probe: 200 `{"ready":true,"version":"<version>"}` when a runtime is
 * committed and the worker is not draining (`version` non-null), else 503
 * `{"ready":false,"version":null}`. Never cached, so a load balancer always sees the present.
 */
export function answerReady(res: AnyResponse, version: string | null): void {
  const ready = version !== null;
  const body = Buffer.from(JSON.stringify({ ready, version }) + '\n');
  (res as ServerResponse).writeHead(ready ? 200 : 503, [
    'content-type',
    'application/json',
    'content-length',
    String(body.length),
    'cache-control',
    'no-store',
  ]);
  res.end(body);
}
