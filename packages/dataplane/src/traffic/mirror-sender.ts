import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import { equalsLowerCase } from './raw-headers';

/** How a mirrored copy ended: the `outcome` label of `weir_mirror_requests_total`. */
export type MirrorOutcome = 'ok' | 'error' | 'dropped' | 'skipped';

/** Where mirror outcomes are counted (`@weir/obs`'s `TrafficMetrics` fits). */
export interface MirrorMetrics {
  mirrored(route: string, outcome: MirrorOutcome): void;
}

/** Options of a `MirrorSender`. */
export interface MirrorSenderOptions {
  /** The route's name, for metrics. */
  readonly route: string;
  /** Copies in flight at once (this sender, so per worker); beyond it copies are dropped. */
  readonly maxInFlight: number;
  /** Share of requests mirrored, 0-100 (`sample()`). Default `100`. */
  readonly percent?: number;
  /**
   * Time to wait for the mirror's response headers, ms (undici `headersTimeout`); pass the mirror
   * upstream's own timeout. Bounded so a black-hole mirror frees its slot. Default `30000`.
   */
  readonly headersTimeout?: number;
  /** Idle time allowed between response body chunks, ms (undici `bodyTimeout`). Default `30000`. */
  readonly bodyTimeout?: number;
  readonly metrics: MirrorMetrics;
  /** Uniform source in [0, 1) for `sample()`. Default `Math.random`. */
  readonly random?: () => number;
}

/** Default headers/body timeout of a mirrored copy. */
const DEFAULT_MIRROR_TIMEOUT_MS = 30000;

/**
 * Sends copies of a route's requests to its `traffic.mirror` upstream (issue 19), fire and
 * forget: the copy never delays, changes or fails the client's request, and its response body is
 * read and dropped (reading to the end, rather than aborting, keeps the mirror's keep-alive
 * connection for the next copy).
 *
 * One per route per worker: `maxInFlight` counts this sender's copies, so keep the sender across
 * reloads (keyed by the route's name) for the cap to hold while the old runtime's copies finish.
 *
 * Each copy costs one small handler object and its dispatch options; a copy that cannot be sent
 * (over the cap) costs nothing but the count. `send` never throws.
 *
 * ```
 *   sample()? ── no ──> (not mirrored, not counted)
 *      │ yes      body too large? caller: skipped()
 *      v
 *   send(): inFlight >= max ──> dropped
 *      │ inFlight++
 *      v
 *   pool.dispatch ─> onResponseStart(status) ─> onResponseData (dropped) ─> onResponseEnd: ok (<500) / error
 *                └─> onResponseError (refused, reset, headers/body timeout) ──────────────────────> error
 *                                                                          each: inFlight--
 * ```
 */
export class MirrorSender {
  readonly route: string;
  readonly maxInFlight: number;
  /** Copies sent and not yet finished. */
  inFlight = 0;
  private readonly threshold: number;
  private readonly headersTimeout: number;
  private readonly bodyTimeout: number;
  private readonly metrics: MirrorMetrics;
  private readonly random: () => number;

  constructor(options: MirrorSenderOptions) {
    this.route = options.route;
    this.maxInFlight = options.maxInFlight;
    const percent = options.percent ?? 100;
    this.threshold = percent > 100 ? 100 : percent < 0 ? 0 : percent;
    this.headersTimeout = options.headersTimeout ?? DEFAULT_MIRROR_TIMEOUT_MS;
    this.bodyTimeout = options.bodyTimeout ?? DEFAULT_MIRROR_TIMEOUT_MS;
    this.metrics = options.metrics;
    this.random = options.random ?? Math.random;
  }

  /** Whether this request is in the mirrored share (`percent`); draws no number at 0 or 100. */
  sample(): boolean {
    const t = this.threshold;
    return t >= 100 ? true : t <= 0 ? false : this.random() * 100 < t;
  }

  /** Counts a sampled request that is not mirrored because of its body (too large, unannounced). */
  skipped(): void {
    this.metrics.mirrored(this.route, 'skipped');
  }

  /**
   * Sends one copy; returns false when it was dropped (cap reached). Never throws.
   * @param pool the mirror upstream's pool for the picked endpoint.
   * @param headers flat header list of the copy (see `mirrorHeaders`).
   * @param body the whole request body, or null.
   */
  send(pool: Dispatcher, method: string, path: string, headers: string[], body: Buffer | null): boolean {
    if (this.inFlight >= this.maxInFlight) {
      this.metrics.mirrored(this.route, 'dropped');
      return false;
    }
    this.inFlight++;
    const handler = new MirrorHandler(this);
    try {
      pool.dispatch(
        {
          method: method as Dispatcher.HttpMethod,
          path,
          headers,
          body,
          headersTimeout: this.headersTimeout,
          bodyTimeout: this.bodyTimeout,
        },
        handler,
      );
    } catch {
      // A closed or destroyed pool (a reload retired it) may throw instead of calling back.
      handler.fail();
    }
    return true;
  }

  /** @internal a copy ended. */
  finished(outcome: 'ok' | 'error'): void {
    this.inFlight--;
    this.metrics.mirrored(this.route, outcome);
  }
}

/** The undici handler of one copy: drops the body, reports the outcome once. */
class MirrorHandler implements Dispatcher.DispatchHandler {
  private status = 0;
  private done = false;

  constructor(private readonly sender: MirrorSender) {}

  onRequestStart(): void {}

  onRequestUpgrade(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, socket: Duplex): void {
    // Upgrades are not mirrored; a mirror that upgrades anyway gets its socket closed.
    socket.destroy();
    this.fail();
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number): void {
    this.status = statusCode;
  }

  onResponseData(): void {}

  onResponseEnd(): void {
    this.end(this.status !== 0 && this.status < 500 ? 'ok' : 'error');
  }

  onResponseError(): void {
    this.fail();
  }

  fail(): void {
    this.end('error');
  }

  private end(outcome: 'ok' | 'error'): void {
    if (this.done) return;
    this.done = true;
    this.sender.finished(outcome);
  }
}

/**
 * The header list of a mirrored copy: a copy of `upstreamHeaders` (flat `[name, value, ...]`, as
 * sent to the chosen upstream) with `mirrorHeader` set to `1` (replacing any value a client sent)
 * and the Host value suffixed with `-shadow` before its port, as Envoy does
 * (`example.com:8080` -> `example.com-shadow:8080`, `[::1]:80` -> `[::1]-shadow:80`), so the
 * mirror can tell copies apart. A list without Host gets none (undici then sends the mirror
 * endpoint's own).
 */
export function mirrorHeaders(upstreamHeaders: readonly string[], mirrorHeader: string): string[] {
  const out: string[] = [];
  let marked = false;
  for (let i = 0; i < upstreamHeaders.length; i += 2) {
    const name = upstreamHeaders[i] as string;
    const value = upstreamHeaders[i + 1] as string;
    if (equalsLowerCase(name, mirrorHeader)) {
      if (!marked) out.push(name, '1');
      marked = true;
    } else if (equalsLowerCase(name, 'host')) {
      out.push(name, shadowHost(value));
    } else {
      out.push(name, value);
    }
  }
  if (!marked) out.push(mirrorHeader, '1');
  return out;
}

/** `host[:port]` with `-shadow` after the host. */
export function shadowHost(host: string): string {
  const close = host.charCodeAt(0) === 0x5b /* [ */ ? host.indexOf(']') : -1;
  const colon = host.indexOf(':', close === -1 ? 0 : close);
  if (close === -1 && colon !== host.lastIndexOf(':')) return host + '-shadow'; // bare IPv6, no port
  return colon === -1 ? host + '-shadow' : host.slice(0, colon) + '-shadow' + host.slice(colon);
}
