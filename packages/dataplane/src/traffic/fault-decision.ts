import type { FaultSpec } from '@weir/runtime';

/**
 * A fault decision is one integer, so deciding allocates nothing (STYLE.md rule 7):
 *
 * ```
 *   0            FAULT_NONE    forward as usual
 *   1 .. 60000   delay         wait that many ms, then go on      (faultDelayMs)
 *   -599 .. -400 abort         answer -d at once, never forwarded (faultAbortStatus)
 * ```
 */
export type FaultDecision = number;

/** No fault: forward the request. */
export const FAULT_NONE: FaultDecision = 0;

/** Request header that asks for a fault on routes with `fault.headerControlled`. */
export const FAULT_HEADER = 'x-weir-fault';

/** Bounds of `x-weir-fault: delay=<ms>`. */
export const MAX_HEADER_DELAY_MS = 60000;

/** Whether `d` delays the request. */
export function isFaultDelay(d: FaultDecision): boolean {
  return d > 0;
}

/** Whether `d` aborts the request. */
export function isFaultAbort(d: FaultDecision): boolean {
  return d < 0;
}

/** The delay in ms of a delay decision. */
export function faultDelayMs(d: FaultDecision): number {
  return d;
}

/** The response status of an abort decision. */
export function faultAbortStatus(d: FaultDecision): number {
  return -d;
}

/**
 * The fault of one request (issue 19), pure: the spec, a uniform random source in [0, 1) and the
 * request's `x-weir-fault` value (undefined when absent).
 *
 * - Without `headerControlled`, the header is ignored (a client cannot pick its own fault) and
 *   the shares apply to every request.
 * - With it, a request without the header gets no fault; `delay=<ms>` (integer 1-60000) or
 *   `abort=<status>` (integer 400-599) choose the fault themselves; any other value (malformed,
 *   out of range) falls back to the configured shares.
 * - Shares: abort is drawn first (`abortPercent`), and an aborted request is not also delayed
 *   (it is answered at once: the abort tests the caller's error handling, the delay its
 *   timeouts). Otherwise delay is drawn (`delayPercent`), independently. A share of 0 draws no
 *   random number, and 100 always applies (random() < 1).
 *
 * Whether a delay actually happens is the `DelayGate`'s call (`maxActiveDelays`).
 */
export function decideFault(spec: FaultSpec, random: () => number, header: string | undefined): FaultDecision {
  if (spec.headerControlled) {
    if (header === undefined) return FAULT_NONE;
    const chosen = parseFaultHeader(header);
    if (chosen !== FAULT_NONE) return chosen;
  }
  if (spec.abortPercent > 0 && random() * 100 < spec.abortPercent) return -spec.abortStatus;
  if (spec.delayPercent > 0 && spec.delayMs > 0 && random() * 100 < spec.delayPercent) return spec.delayMs;
  return FAULT_NONE;
}

/**
 * `delay=<ms>` (1-60000) or `abort=<status>` (400-599) as a decision; FAULT_NONE for anything
 * else. Digits only (no sign, no spaces inside, at most 5), parsed in place.
 */
export function parseFaultHeader(value: string): FaultDecision {
  if (value.startsWith('delay=')) {
    const ms = digits(value, 6);
    return ms >= 1 && ms <= MAX_HEADER_DELAY_MS ? ms : FAULT_NONE;
  }
  if (value.startsWith('abort=')) {
    const status = digits(value, 6);
    return status >= 400 && status <= 599 ? -status : FAULT_NONE;
  }
  return FAULT_NONE;
}

/** The decimal integer `s[from..]` (1 to 5 digits, nothing after), or -1. */
function digits(s: string, from: number): number {
  const len = s.length - from;
  if (len < 1 || len > 5) return -1;
  let n = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * The delayed requests of one route in one worker (`fault.maxActiveDelays`): a delay enters
 * before waiting and leaves when its wait ends (or the client goes away). When full, the request
 * goes on without its delay: a fault test must not pile up unbounded timers and sockets. The
 * same counter as a route's concurrency gate.
 */
export { ConcurrencyGate as DelayGate } from '../limits/index';
