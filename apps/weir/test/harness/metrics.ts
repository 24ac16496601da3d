import { adminCall } from './admin-client';
import type { Daemon } from './daemon';

/**
 * Reading the primary's aggregated `/metrics` (admin listener). Worker metrics are collected at
 * scrape time, so a counter a worker has just bumped is read by polling with a bounded deadline.
 */

/** The value of the exposition line `series value`, or undefined when the series is absent. */
export function sampleValue(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** One scrape of `/metrics`; throws unless it answers 200. */
export async function scrape(daemon: Daemon, token: string): Promise<string> {
  const answer = await adminCall(daemon, 'GET', '/metrics', { token });
  if (answer.status !== 200) throw new Error(`GET /metrics answered ${answer.status}: ${answer.text}`);
  return answer.text;
}

/**
 * Scrapes until `series` satisfies `accept` (absent reads as 0) and returns its value; after
 * `timeoutMs` (or 200 scrapes) returns the last value read, for the caller's assertion to report.
 */
export async function pollSample(
  daemon: Daemon,
  token: string,
  series: string,
  accept: (value: number) => boolean,
  timeoutMs = 5_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let value = 0;
  for (let attempt = 0; attempt < 200; attempt++) {
    value = sampleValue(await scrape(daemon, token), series) ?? 0;
    if (accept(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return value;
}
