/**
 * How many streams one HTTP/2 client may reset in a window before the connection is closed
 * (rapid reset, CVE-2023-44487): an attacker opens a stream and cancels it at once, over and
 * over, so each request costs the server (and here an upstream request) while the client's
 * concurrent-stream limit never binds.
 *
 * A fixed window: the count restarts `windowMs` after the first reset of the window. A client
 * can thus land up to 2x `max` resets across a window boundary; the limit is a tripwire for
 * abuse (legitimate clients cancel a handful of streams, not hundreds), so the simpler
 * arithmetic wins. Pure: the caller passes the time (STYLE.md: injected clock).
 */
export class ResetBudget {
  private readonly max: number;
  private readonly windowMs: number;
  private windowStart = -Infinity;
  private count = 0;

  constructor(max: number, windowMs: number) {
    this.max = max;
    this.windowMs = windowMs;
  }

  /** Records one reset at `now` (ms); returns true when the client is over its budget. */
  record(now: number): boolean {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count++;
    return this.count > this.max;
  }
}
