import { ValueError, checkOptions, defineOptions, describeValue } from '@tapegrad/core';
import { axes, checkPositive, color, escapeXml, legend, linearScale, logTicks, niceTicks, num, svgDocument, textWidth, tickLabel } from './svg.js';

/**
 * One curve of a {@link lineChart}.
 *
 * @example
 * const s: Series = { name: 'val_loss', values: [0.9, 0.7, 0.65], dashed: true };
 */
export interface Series {
  /** Name shown in the legend. */
  name: string;
  /** The y values; non-finite values (and non-positive ones on a log axis) leave a gap. */
  values: readonly number[];
  /** The x value of each point (default 1, 2, 3, ...: epochs). */
  x?: readonly number[];
  /** Line colour (default: the next palette colour). */
  color?: string;
  /** Draw the line dashed (e.g. for validation curves). */
  dashed?: boolean;
}

/**
 * Options of {@link lineChart}.
 *
 * @example
 * const opts: LineChartOptions = { title: 'XOR', xLabel: 'step', yLabel: 'SSE', logY: true, width: 800 };
 */
export interface LineChartOptions {
  /** Title above the chart. */
  title?: string;
  /** Label under the x axis (default `epoch`). */
  xLabel?: string;
  /** Label beside the y axis. */
  yLabel?: string;
  /** Width of the picture in pixels (default 640). */
  width?: number;
  /** Height of the picture in pixels (default 400). */
  height?: number;
  /** Use a log10 scale for y (for losses spanning decades). */
  logY?: boolean;
  /** Draw a dot at every point (default: when every series has at most 40 points). */
  markers?: boolean;
}

const LINE_CHART = defineOptions('lineChart', {
  title: 'string', xLabel: 'string', yLabel: 'string', width: 'number', height: 'number', logY: 'boolean', markers: 'boolean',
});
const SERIES = defineOptions('lineChart: series', { name: 'string', values: 'number[]', x: 'number[]', color: 'string', dashed: 'boolean' });

/**
 * Draws curves (loss, accuracy, ... per epoch) as an SVG line chart with axes, ticks, grid,
 * axis labels, a title and a legend: one `<path>` per series.
 *
 * @param series - the curves: `{ name, values, x? }`; x defaults to 1, 2, 3, ...
 * @returns the SVG document as a string (write it with {@link saveSvg})
 * @throws ValueError for bad options or series keys (options other than a plain object, unknown options, wrong-typed values), no series, a series whose `x` and `values` differ in length, or a bad size
 * @example
 * const svg = lineChart(
 *   [{ name: 'train', values: [2.3, 0.9, 0.5, 0.31] }, { name: 'validation', values: [2.2, 1.0, 0.6, 0.45], dashed: true }],
 *   { title: 'Cross-entropy', yLabel: 'loss', logY: true },
 * );
 * // saveSvg(svg, 'out/loss.svg');
 */
export function lineChart(series: ReadonlyArray<Series>, opts?: LineChartOptions): string {
  const op = 'lineChart';
  opts = checkOptions(LINE_CHART, opts);
  if (!Array.isArray(series as unknown) || series.length === 0)
    throw new ValueError(`${op}: expected at least one series { name, values } in an array, got ${describeValue(series)}`);
  for (const s of series) {
    if (s === null || typeof s !== 'object' || Array.isArray(s))
      throw new ValueError(`${op}: a series must be an object { name, values }, got ${describeValue(s)}`);
    checkOptions(SERIES, s);
    if (s.name === undefined || s.values === undefined) throw new ValueError(`${op}: a series needs a name and values, got keys ${Object.keys(s).join(', ')}`);
  }
  const width = opts.width ?? 640;
  const height = opts.height ?? 400;
  checkPositive(op, 'width', width);
  checkPositive(op, 'height', height);
  const logY = opts.logY ?? false;

  const pts = series.map((s, i) => {
    if (!s || !Array.isArray(s.values as unknown)) throw new ValueError(`${op}: series ${i} has no values array`);
    if (s.x && s.x.length !== s.values.length)
      throw new ValueError(`${op}: series "${s.name}" has ${s.x.length} x values and ${s.values.length} y values`);
    return s.values.map((v, j) => {
      const x = s.x ? s.x[j]! : j + 1;
      const ok = Number.isFinite(x) && Number.isFinite(v) && (!logY || v > 0);
      return ok ? { x, y: v } : null;
    });
  });
  const valid = pts.flat().filter((p): p is { x: number; y: number } => p !== null);
  const xs = valid.map((p) => p.x);
  const ys = valid.map((p) => p.y);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  const yMin = ys.length ? Math.min(...ys) : logY ? 1 : 0;
  const yMax = ys.length ? Math.max(...ys) : logY ? 10 : 1;

  const area = { left: 72, top: opts.title ? 40 : 16, width: 0, height: 0 };
  area.width = Math.max(40, width - area.left - 20);
  area.height = Math.max(40, height - area.top - 52);

  // Integer x values (epochs) get integer ticks.
  const xt = niceTicks(xMin, xMax, Math.max(2, Math.floor(area.width / 80)));
  if (xs.every(Number.isInteger) && xt.step < 1) {
    xt.step = 1;
    xt.min = Math.floor(xt.min);
    xt.max = Math.ceil(xt.max);
    xt.ticks = [];
    for (let t = xt.min; t <= xt.max; t++) xt.ticks.push(t);
  }
  const xPos = linearScale(xt.min, xt.max, area.left, area.left + area.width);
  let yPos: (v: number) => number;
  let yTicks: number[];
  let yLabel: (v: number) => string;
  if (logY) {
    const lt = logTicks(yMin, yMax);
    const s = linearScale(Math.log10(lt.min), Math.log10(lt.max), area.top + area.height, area.top);
    yPos = (v) => s(Math.log10(v));
    yTicks = lt.ticks;
    yLabel = (v) => (v >= 1e-3 && v < 1e5 ? String(Number(v.toPrecision(6))) : v.toExponential(0));
  } else {
    const yt = niceTicks(yMin, yMax, Math.max(2, Math.floor(area.height / 50)));
    yPos = linearScale(yt.min, yt.max, area.top + area.height, area.top);
    yTicks = yt.ticks;
    yLabel = (v) => tickLabel(v, yt.step);
  }

  const markers = opts.markers ?? series.every((s) => s.values.length <= 40);
  const body: string[] = [
    axes(area, { ticks: xt.ticks, pos: xPos, label: (v) => tickLabel(v, xt.step), title: opts.xLabel ?? 'epoch' }, { ticks: yTicks, pos: yPos, label: yLabel, title: opts.yLabel }),
  ];
  const screen: Array<[number, number]> = [];
  series.forEach((s, i) => {
    const c = s.color ?? color(i);
    const d: string[] = [];
    let pen = false;
    const dots: string[] = [];
    for (const p of pts[i]!) {
      if (p === null) {
        pen = false;
        continue;
      }
      const sx = xPos(p.x);
      const sy = yPos(p.y);
      // Sample the segment from the previous point too, so the legend avoids lines, not only dots.
      const prev = screen[screen.length - 1];
      if (pen && prev) for (let k = 1; k < 8; k++) screen.push([prev[0] + ((sx - prev[0]) * k) / 8, prev[1] + ((sy - prev[1]) * k) / 8]);
      screen.push([sx, sy]);
      const px = num(xPos(p.x));
      const py = num(yPos(p.y));
      d.push(`${pen ? 'L' : 'M'}${px} ${py}`);
      pen = true;
      if (markers) dots.push(`<circle cx="${px}" cy="${py}" r="2.5" fill="${c}"/>`);
    }
    body.push(`<g class="series"><title>${escapeXml(s.name)}</title>`);
    body.push(`<path d="${d.join(' ')}" fill="none" stroke="${c}" stroke-width="2" stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    body.push(...dots, '</g>');
  });
  const lw = 34 + textWidth(Math.max(...series.map((s) => s.name.length)), 12);
  const lh = 8 + series.length * 18;
  const [lx, ly] = legendCorner(area, lw, lh, screen);
  body.push(legend(series.map((s, i) => ({ name: s.name, color: s.color ?? color(i) })), lx, ly));
  return svgDocument(width, height, body.join('\n'), opts.title);
}

/** The corner of the plot (top right, bottom right, top left, bottom left) whose legend box covers the fewest points. */
function legendCorner(area: { left: number; top: number; width: number; height: number }, w: number, h: number, pts: ReadonlyArray<[number, number]>): [number, number] {
  const m = 10;
  const right = area.left + area.width - m - w;
  const bottom = area.top + area.height - m - h;
  const corners: Array<[number, number]> = [[right, area.top + m], [right, bottom], [area.left + m, area.top + m], [area.left + m, bottom]];
  let best = corners[0]!;
  let bestCount = Infinity;
  for (const [x, y] of corners) {
    let count = 0;
    for (const [px, py] of pts) if (px >= x - m && px <= x + w + m && py >= y - m && py <= y + h + m) count++;
    if (count < bestCount) [best, bestCount] = [[x, y], count];
  }
  return best;
}
