import { ShapeError, Tensor, ValueError, checkOptions, defineOptions, describeValue, fmtShape, isFloating, noGrad, tensor } from '@tapegrad/core';
import { labelsOf, targetLabelsOf } from '../metrics.js';
import { requireTensor } from '../options.js';
import { axes, checkPositive, color, escapeXml, legend, linearScale, niceTicks, num, svgDocument, textWidth, tickLabel } from './svg.js';

/**
 * Options of {@link decisionRegions}.
 *
 * @example
 * const opts: DecisionRegionsOptions = { title: 'Iris', classNames: ['setosa', 'versicolor'], resolution: 150 };
 */
export interface DecisionRegionsOptions {
  /** Title above the plot. */
  title?: string;
  /** Grid cells per axis at which the classifier is evaluated (default 100, at most 400). */
  resolution?: number;
  /**
   * Class names for the legend: indexed by class id when every id is in `[0, length)` (labels
   * 0, 1, 2, ...), otherwise by the rank of the id among the classes (e.g. -1 then +1).
   */
  classNames?: ReadonlyArray<string>;
  /** Label under the x axis (default `x1`). */
  xLabel?: string;
  /** Label beside the y axis (default `x2`). */
  yLabel?: string;
  /** Width of the picture in pixels (default 600). */
  width?: number;
  /** Height of the picture in pixels (default 460). */
  height?: number;
}

const DECISION_REGIONS = defineOptions('decisionRegions', {
  title: 'string', resolution: 'integer', classNames: 'string[]', xLabel: 'string', yLabel: 'string', width: 'number', height: 'number',
});

/**
 * Draws the decision regions of a 2-D classifier with the data on top, as an SVG: the plane is
 * cut into `resolution x resolution` cells, `predict` classifies every cell centre in one call,
 * cells are filled with a light tint of their class colour (one `<rect>` per run of equal cells
 * in a row), and the points `x` are drawn in their true class's colour. Axes, ticks, axis labels,
 * title and a class legend are included. The plotted range is the data's, padded by 5% and
 * widened to nice tick values.
 *
 * @param predict - classifies points `[M, 2]` (float32, or x's dtype when x is float64): returns class ids `[M]` (int32), scores
 *   `[M, C]` (argmax taken), or probabilities `[M]` (threshold 0.5); called under `noGrad`
 * @param x - the data points, shape [N, 2]
 * @param y - their classes, shape [N] (int32, or float whole numbers)
 * @returns the SVG document (write it with {@link saveSvg})
 * @throws ShapeError when `x` is not [N, 2], `y` is not [N], or `predict` returns the wrong number of labels
 * @throws ValueError for bad options (options other than a plain object, unknown options, wrong-typed values), non-Tensor x or y, a bad resolution or size
 * @example
 * const x = randn([40, 2]);
 * const y = x.select(1, 0).add(x.select(1, 1)).gt(0).int();
 * const model = new Linear(2, 2); // trained elsewhere
 * const svg = decisionRegions((p) => model.call(p).argmax(1), x, y, {
 *   title: 'Linear classifier', xLabel: 'x1', yLabel: 'x2', classNames: ['below', 'above'], resolution: 50,
 * });
 * // saveSvg(svg, 'out/regions.svg');
 */
export function decisionRegions(
  predict: (points: Tensor) => Tensor,
  x: Tensor,
  y: Tensor,
  opts?: DecisionRegionsOptions,
): string {
  const op = 'decisionRegions';
  opts = checkOptions(DECISION_REGIONS, opts);
  if (typeof predict !== 'function')
    throw new ValueError(`${op}: predict must be a function from points [M, 2] to classes [M], got ${describeValue(predict)}`);
  requireTensor(op, 'x', x);
  requireTensor(op, 'y', y);
  if (x.ndim !== 2 || x.shape[1] !== 2) throw new ShapeError(`${op}: x must have shape [N, 2], got ${fmtShape(x.shape)}`);
  if ((y.ndim !== 1 && !(y.ndim === 2 && y.shape[1] === 1)) || y.shape[0] !== x.shape[0])
    throw new ShapeError(`${op}: y must have shape [N] matching x ${fmtShape(x.shape)}, got ${fmtShape(y.shape)}`);
  const res = opts.resolution ?? 100;
  if (!Number.isInteger(res) || res < 2 || res > 400) throw new ValueError(`${op}: resolution must be an integer in [2, 400], got ${res}`);
  const width = opts.width ?? 600;
  const height = opts.height ?? 460;
  checkPositive(op, 'width', width);
  checkPositive(op, 'height', height);

  const xy = x.data;
  const n = x.shape[0]!;
  const trueIds = targetLabelsOf(op, y);
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const a = xy[2 * i]!, b = xy[2 * i + 1]!;
    if (Number.isFinite(a)) {
      x0 = Math.min(x0, a);
      x1 = Math.max(x1, a);
    }
    if (Number.isFinite(b)) {
      y0 = Math.min(y0, b);
      y1 = Math.max(y1, b);
    }
  }
  if (!(x0 <= x1)) [x0, x1] = [0, 1];
  if (!(y0 <= y1)) [y0, y1] = [0, 1];
  const padX = (x1 - x0 || 1) * 0.05;
  const padY = (y1 - y0 || 1) * 0.05;
  const xt = niceTicks(x0 - padX, x1 + padX, 6);
  const yt = niceTicks(y0 - padY, y1 + padY, 6);

  // Classify every cell centre at once.
  const pts = new Float32Array(res * res * 2);
  for (let r = 0; r < res; r++)
    for (let c = 0; c < res; c++) {
      const k = (r * res + c) * 2;
      pts[k] = xt.min + ((c + 0.5) / res) * (xt.max - xt.min);
      pts[k + 1] = yt.max - ((r + 0.5) / res) * (yt.max - yt.min); // row 0 at the top
    }
  const out = noGrad(() => predict(tensor(pts, { shape: [res * res, 2], dtype: isFloating(x.dtype) ? x.dtype : 'float32' })));
  if (!(out instanceof Tensor)) throw new ValueError(`${op}: predict must return a Tensor, got ${describeValue(out)}`);
  const cellIds = labelsOf(op, 'predict(points)', out);
  if (cellIds.length !== res * res)
    throw new ShapeError(`${op}: predict returned ${fmtShape(out.shape)} for ${res * res} points; expected one class per point`);

  // Colour by id when ids are 0..K-1-like, by rank otherwise (e.g. -1/+1).
  const ids = [...new Set([...trueIds, ...cellIds])].sort((a, b) => a - b);
  const names = opts.classNames;
  const byId = ids.every((id) => id >= 0 && (names ? id < names.length : true));
  const slot = (id: number) => (byId ? id : ids.indexOf(id));
  const nameOf = (id: number) => names?.[slot(id)] ?? String(id);

  const legendEntries = ids.map((id) => ({ name: nameOf(id), color: color(slot(id)), kind: 'dot' as const }));
  const legendW = 34 + textWidth(Math.max(...legendEntries.map((e) => e.name.length)), 12);
  const area = { left: 70, top: opts.title ? 40 : 16, width: 0, height: 0 };
  area.width = Math.max(40, width - area.left - legendW - 28);
  area.height = Math.max(40, height - area.top - 52);
  const px = linearScale(xt.min, xt.max, area.left, area.left + area.width);
  const py = linearScale(yt.min, yt.max, area.top + area.height, area.top);

  const body: string[] = [`<g class="regions" shape-rendering="crispEdges">`];
  const cw = area.width / res;
  const ch = area.height / res;
  for (let r = 0; r < res; r++) {
    let c = 0;
    while (c < res) {
      const id = cellIds[r * res + c]!;
      let e = c + 1;
      while (e < res && cellIds[r * res + e] === id) e++;
      // Edges computed from the cell indices, so neighbouring runs share them exactly.
      const xa = area.left + c * cw, xb = area.left + e * cw;
      const ya = area.top + r * ch, yb = area.top + (r + 1) * ch;
      body.push(`<rect x="${num(xa)}" y="${num(ya)}" width="${num(xb - xa)}" height="${num(yb - ya)}" fill="${color(slot(id), true)}"/>`);
      c = e;
    }
  }
  body.push('</g>');
  body.push(
    axes(area, { ticks: xt.ticks, pos: px, label: (v) => tickLabel(v, xt.step), title: opts.xLabel ?? 'x1' }, { ticks: yt.ticks, pos: py, label: (v) => tickLabel(v, yt.step), title: opts.yLabel ?? 'x2' }, { grid: false }),
  );
  body.push('<g class="points" stroke="#222" stroke-width="0.8">');
  for (let i = 0; i < n; i++) {
    const a = xy[2 * i]!, b = xy[2 * i + 1]!;
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    body.push(`<circle cx="${num(px(a))}" cy="${num(py(b))}" r="4" fill="${color(slot(trueIds[i]!))}"><title>${escapeXml(`${nameOf(trueIds[i]!)} (${a}, ${b})`)}</title></circle>`);
  }
  body.push('</g>');
  body.push(legend(legendEntries, area.left + area.width + 14, area.top));
  return svgDocument(width, height, body.join('\n'), opts.title);
}
