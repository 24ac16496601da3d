import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
}

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
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
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: 140,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true, range: (_u, _min, max) => [max - windowSeconds, max] }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
      axes: [axis, { ...axis, size: 56, values: (_u, ticks) => ticks.map((t) => `${+t.toPrecision(3)}${unit}`) }],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: false }))],
    };
    const u = new uPlot(opts, [[...times], ...series.map((s) => [...s.values])] as uPlot.AlignedData, el);
    plot.current = u;
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
    plot.current?.setData([[...times], ...series.map((s) => [...s.values])] as uPlot.AlignedData);
  }, [times, series]);

  return <div class="chart" ref={box} aria-hidden="true" />;
}
