import { MIN_SPAN_SECONDS, clockLabel, xRange } from '../src/chart-scale';

/**
 * The overview charts' time axis (issue 17). A screenshot showed a first tick dated 9/1/29 on
 * 12/6/26 and no line: with one sample uPlot widened the time scale by 86,400,000 s, and with
 * none it started at the epoch. The range now comes from the samples alone.
 */
describe('chart time axis', () => {
  const now = Date.parse('2026-12-06T21:35:08Z') / 1000;

  it('ends at the newest sample and spans the samples, at least a minute and at most the window', () => {
    expect(xRange([now - 4, now - 2, now], 300, now + 100)).toEqual([now - MIN_SPAN_SECONDS, now]);
    expect(xRange([now - 120, now], 300, now)).toEqual([now - 120, now]);
    expect(xRange([now - 900, now - 400, now], 300, now)).toEqual([now - 300, now]);
  });

  it('keeps the date of the sample with one sample, and of the clock with none', () => {
    const [min, max] = xRange([now], 300, now + 5);
    expect([new Date(min * 1000).toISOString(), new Date(max * 1000).toISOString()]).toEqual(['2026-12-06T21:34:08.000Z', '2026-12-06T21:35:08.000Z']);
    expect(xRange([], 300, now)).toEqual([now - MIN_SPAN_SECONDS, now]);
  });

  it('labels ticks as 24-hour local time, with seconds only when asked', () => {
    const t = new Date(2026, 11, 6, 21, 5, 7).getTime() / 1000;
    expect([clockLabel(t, false), clockLabel(t, true)]).toEqual(['21:05', '21:05:07']);
  });
});
