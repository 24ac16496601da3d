import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { clockLabel, xRange } from '../chart-scale';

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
}

/** With fewer points than this in view, each point is drawn as a dot too (a lone sample shows). */
const DOTS_BELOW = 8;

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/** uPlot's data: what it draws, and what `data-samples` / `data-points` report. */
function aligned(times: readonly number[], series: readonly ChartSeries[]): uPlot.AlignedData {
  return [[...times], ...series.map((s) => [...s.values])] as uPlot.AlignedData;
}

/**
 * Mirrors the data uPlot holds onto the element: `data-samples` (x values), `data-points`
 * (non-null y values of the fullest series, what the lines are drawn through) and `data-x-min`
 * / `data-x-max` (the time axis, epoch seconds). Tests and the screenshot script wait on these
 * instead of sleeping, and check the axis' dates.
 */
function describe(el: HTMLElement, u: uPlot): void {
  const xs = u.data[0] ?? [];
  let points = 0;
  for (let i = 1; i < u.data.length; i++) points = Math.max(points, (u.data[i] ?? []).filter((v) => v !== null && v !== undefined).length);
  el.dataset['samples'] = String(xs.length);
  el.dataset['points'] = String(points);
  el.dataset['xMin'] = String(u.scales['x']?.min ?? '');
  el.dataset['xMax'] = String(u.scales['x']?.max ?? '');
}

/**
 * One small uPlot time chart. uPlot sets its element styles through the CSSOM (allowed by the
 * console's CSP) and its stylesheet comes with console.css, so nothing is inline. The legend is
 * off: the figure's caption gives the latest value as text.
 */
export function Chart({ times, series, unit, windowSeconds = 300 }: { times: readonly number[]; series: readonly ChartSeries[]; unit: string; windowSeconds?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.map((s) => s.label).join('|');

  useEffect(() => {
    const el = box.current;
    if (el === null) return undefined;
    const axis = { stroke: cssVar('--fg-muted', '#555'), grid: { stroke: cssVar('--grid', '#ddd'), width: 1 }, ticks: { stroke: cssVar('--grid', '#ddd'), width: 1 } };
    const dots = (u: uPlot, _si: number, idx0: number, idx1: number): boolean => idx1 - idx0 + 1 < DOTS_BELOW || (u.data[0]?.length ?? 0) < DOTS_BELOW;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: 140,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: true, range: (u) => xRange(u.data[0], windowSeconds, Date.now() / 1000) },
        y: { range: (_u, min, max) => [Math.min(0, min ?? 0), max !== null && max > 0 ? max * 1.1 : 1] },
      },
      axes: [{ ...axis, space: 70, values: (_u, ticks, _ai, _space, incr) => ticks.map((t) => clockLabel(t, incr < 60)) }, { ...axis, size: 56, values: (_u, ticks) => ticks.map((t) => `${+t.toPrecision(3)}${unit}`) }],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: false, points: { show: dots, size: 5, fill: s.color } }))],
    };
    const u = new uPlot(opts, aligned(times, series), el);
    plot.current = u;
    describe(el, u);
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: 140 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuilt only when the set of series changes; data updates go through setData below.
  }, [shape, unit, windowSeconds]);

  useEffect(() => {
    const u = plot.current;
    if (u === null || box.current === null) return;
    u.setData(aligned(times, series));
    describe(box.current, u);
  }, [times, series]);

  return <div class="chart" ref={box} aria-hidden="true" />;
}
