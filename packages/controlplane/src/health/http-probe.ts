import { request } from 'node:http';
import type { HealthTimers } from './health-timers';

/** Where and how one check goes. */
export interface ProbeTarget {
  /** Host to connect to (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
  /** `Host` header: the endpoint's address as configured. */
  readonly hostHeader: string;
  /** Request path with optional query. */
  readonly path: string;
  /** Time allowed for the whole check: connect, response headers and body. */
  readonly timeoutMs: number;
}

/** What one check saw. */
export interface ProbeResult {
  /** Response status, 0 when no complete response arrived. */
  readonly status: number;
  /** Why there is no complete response (`timeout`, or a socket error code such as `ECONNREFUSED`); null with a status. */
  readonly error: string | null;
}

/** Runs one check. Never rejects. */
export type Probe = (target: ProbeTarget, timers: HealthTimers) => Promise<ProbeResult>;

/**
 * An HTTP/1.1 health check with node:http (the primary's import graph stays free of undici):
 * `GET path` with `Connection: close` on a fresh connection (`agent: false`), so a check always
 * exercises connect as well, and no idle socket outlives it. The body is read to its end and
 * discarded: a response counts only once complete, within `timeoutMs`, whose expiry destroys
 * the request.
 */
export const httpProbe: Probe = (target, timers) =>
  new Promise<ProbeResult>((resolve) => {
    let settled = false;
    let timer: unknown = null;
    const finish = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      if (timer !== null) timers.clearTimeout(timer);
      resolve(result);
    };
    const req = request(
      {
        host: target.host,
        port: target.port,
        path: target.path,
        method: 'GET',
        agent: false,
        headers: { host: target.hostHeader, 'user-agent': 'weir-health-check', accept: '*/*', connection: 'close' },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.on('error', (err: NodeJS.ErrnoException) => finish({ status: 0, error: err.code ?? 'ERR_RESPONSE' }));
        res.on('aborted', () => finish({ status: 0, error: 'ECONNRESET' }));
        res.on('end', () => finish({ status, error: null }));
        res.resume();
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => finish({ status: 0, error: err.code ?? 'ERR_REQUEST' }));
    timer = timers.setTimeout(() => {
      finish({ status: 0, error: 'timeout' });
      req.destroy();
    }, target.timeoutMs);
    req.end();
  });
