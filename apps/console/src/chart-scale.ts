/**
 * The time axis of the overview charts (pure: tested in apps/console/test/chart-scale.test.ts).
 * Times are epoch seconds, as uPlot's time scales take them.
 */

/** The x axis spans at least this much, so the first samples draw a line, not a dot at the edge. */
export const MIN_SPAN_SECONDS = 60;

/**
 * The x range, from the samples themselves: the last `windowSeconds` up to the newest sample,
 * at least MIN_SPAN_SECONDS, ending at `nowSeconds` while there is none. uPlot's own min and max
 * are not used: with no sample it passes null (the axis read 12/31/69), and with one it widens
 * a time scale by a day counted in milliseconds, 1000 days (a first tick dated 9/1/29 on
 * 12/6/26).
 */
export function xRange(times: ArrayLike<number>, windowSeconds: number, nowSeconds: number): [number, number] {
  const last = times.length === 0 ? nowSeconds : (times[times.length - 1] as number);
  const first = times.length === 0 ? last : (times[0] as number);
  const span = Math.min(windowSeconds, Math.max(MIN_SPAN_SECONDS, last - first));
  return [last - span, last];
}

/**
 * An x tick as local 24-hour time, with seconds when ticks are less than a minute apart. No
 * date: a chart covers at most 15 minutes, and uPlot's default two-line stamps overlapped on a
 * narrow chart.
 */
export function clockLabel(seconds: number, withSeconds: boolean): string {
  const d = new Date(seconds * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}${withSeconds ? `:${two(d.getSeconds())}` : ''}`;
}
