import { ShapeError, Tensor, ValueError, checkOptions, defineOptions, fmtShape } from '@tapegrad/core';
import { labelsOf } from '../metrics.js';
import { requireTensor } from '../options.js';

const IMAGE_GRID = defineOptions('imageGrid', {
  labels: 'tensor|integer[]', predictions: 'tensor|integer[]', classNames: 'string[]', cols: 'integer', scale: 'number',
  title: 'string', height: 'integer', width: 'integer', invert: 'boolean',
});
import { escapeXml, num, svgDocument } from './svg.js';

/**
 * Options of {@link imageGrid}.
 *
 * @example
 * const opts: ImageGridOptions = { labels: [7, 2, 1], predictions: [7, 2, 7], cols: 3, scale: 4, invert: true };
 */
export interface ImageGridOptions {
  /** True classes, `[N]` tensor or array; shown under each image. */
  labels?: Tensor | ReadonlyArray<number>;
  /** Predicted classes: `[N]` ids, or `[N, C]` scores (argmax taken); wrong ones are framed and captioned in red. */
  predictions?: Tensor | ReadonlyArray<number>;
  /** Names of the classes, indexed by id (default: the ids). */
  classNames?: ReadonlyArray<string>;
  /** Images per row (default: up to 10, about square). */
  cols?: number;
  /** Screen pixels per image pixel (default: about 84 / image size, at least 1). */
  scale?: number;
  /** Title above the grid. */
  title?: string;
  /** Image height for flat images `[N, H*W]` (default: square). */
  height?: number;
  /** Image width for flat images `[N, H*W]` (default: square). */
  width?: number;
  /** Draw 0 as white and 1 as black (ink on paper) instead of 0 black, 1 white. */
  invert?: boolean;
}

interface Geometry {
  n: number;
  channels: number;
  h: number;
  w: number;
}

function geometryOf(op: string, images: Tensor, opts: ImageGridOptions): Geometry {
  const s = images.shape;
  if (s.length === 4 && (s[1] === 1 || s[1] === 3)) return { n: s[0]!, channels: s[1]!, h: s[2]!, w: s[3]! };
  if (s.length === 3) return { n: s[0]!, channels: 1, h: s[1]!, w: s[2]! };
  if (s.length === 2) {
    const size = s[1]!;
    let h = opts.height;
    let w = opts.width;
    if (h === undefined && w === undefined) {
      const side = Math.round(Math.sqrt(size));
      if (side * side !== size) throw new ShapeError(`${op}: flat images ${fmtShape(s)} are not square; pass height and width`);
      h = w = side;
    } else if (h === undefined) h = size / w!;
    else if (w === undefined) w = size / h;
    if (!Number.isInteger(h) || !Number.isInteger(w) || h! * w! !== size)
      throw new ShapeError(`${op}: flat images ${fmtShape(s)} do not have height ${h} x width ${w} = ${h! * w!} pixels`);
    return { n: s[0]!, channels: 1, h: h!, w: w! };
  }
  throw new ShapeError(`${op}: images must have shape [N, 1, H, W], [N, 3, H, W], [N, H, W] or [N, H*W], got ${fmtShape(s)}`);
}

function classesOf(op: string, what: string, v: Tensor | ReadonlyArray<number> | undefined, n: number): Int32Array | null {
  if (v === undefined) return null;
  const ids = v instanceof Tensor ? labelsOf(op, what, v) : Int32Array.from(v);
  if (ids.length !== n) throw new ShapeError(`${op}: ${what} has ${ids.length} entries for ${n} images`);
  return ids;
}

const hex = (l: number) => l.toString(16).padStart(2, '0');

/**
 * Draws images in a grid as an SVG, each with its label and prediction underneath; wrong
 * predictions are framed and captioned in red (`3 (true 5)`). Pixels are drawn as `<rect>`s,
 * one per run of equal pixels in a row over a background of the image's most common colour,
 * so MNIST digits stay small files. Values in [0, 1] are used as they are, values in [0, 255]
 * are divided by 255, anything else is scaled from its min to its max (over all images).
 *
 * @param images - shape [N, 1, H, W], [N, 3, H, W] (RGB), [N, H, W], or [N, H*W] with `height`/`width` (default square)
 * @returns the SVG document (write it with {@link saveSvg})
 * @throws ShapeError for another shape, or labels/predictions of the wrong length
 * @throws ValueError for non-Tensor images, bad options (options other than a plain object, unknown options, wrong-typed values), bad cols or scale
 * @example
 * const images = rand([20, 1, 28, 28]);
 * const labels = randint(0, 10, [20]);
 * const logits = randn([20, 10]); // e.g. model.call(images.flatten(1))
 * const svg = imageGrid(images, { labels, predictions: logits, cols: 10, title: 'predictions' });
 * // saveSvg(svg, 'out/predictions.svg');
 */
export function imageGrid(images: Tensor, opts?: ImageGridOptions): string {
  const op = 'imageGrid';
  opts = checkOptions(IMAGE_GRID, opts);
  requireTensor(op, 'images', images);
  const { n, channels, h, w } = geometryOf(op, images, opts);
  const labels = classesOf(op, 'labels', opts.labels, n);
  const preds = classesOf(op, 'predictions', opts.predictions, n);
  const cols = opts.cols ?? Math.max(1, Math.min(10, n, Math.ceil(Math.sqrt(n))));
  if (!Number.isInteger(cols) || cols < 1) throw new ValueError(`${op}: cols must be a positive integer, got ${cols}`);
  const scale = opts.scale ?? Math.max(1, Math.round(84 / Math.max(h, w)));
  if (!(scale > 0) || !Number.isFinite(scale)) throw new ValueError(`${op}: scale must be a positive number, got ${scale}`);

  // Map values to 0..255 over all images at once, so brightness is comparable between images.
  const data = images.data;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  let a = 0;
  let b = 1;
  if (lo >= 0 && hi <= 1) [a, b] = [0, 1];
  else if (lo >= 0 && hi <= 255) [a, b] = [0, 255];
  else if (lo < hi) [a, b] = [lo, hi];
  const level = (v: number) => {
    const l = Math.round(((Number.isFinite(v) ? v : a) - a) / (b - a) * 255);
    const c = Math.min(255, Math.max(0, l));
    return opts.invert ? 255 - c : c;
  };

  const hasCaption = labels !== null || preds !== null;
  const tileW = w * scale;
  const tileH = h * scale;
  const gap = 10;
  const captionH = hasCaption ? 18 : 0;
  const rowsN = Math.ceil(n / cols);
  const top = opts.title ? 38 : 10;
  const width = Math.max(gap + cols * (tileW + gap), opts.title ? opts.title.length * 9 + 20 : 0);
  const height = top + rowsN * (tileH + captionH + gap);
  const nameOf = (id: number) => opts.classNames?.[id] ?? String(id);

  const body: string[] = [];
  const plane = h * w;
  for (let k = 0; k < n; k++) {
    const x0 = gap + (k % cols) * (tileW + gap);
    const y0 = top + Math.floor(k / cols) * (tileH + captionH + gap);
    const colours: string[] = new Array(plane);
    const counts = new Map<string, number>();
    for (let p = 0; p < plane; p++) {
      let c: string;
      if (channels === 3) c = `#${hex(level(data[k * 3 * plane + p]!))}${hex(level(data[k * 3 * plane + plane + p]!))}${hex(level(data[k * 3 * plane + 2 * plane + p]!))}`;
      else {
        const g = hex(level(data[k * plane + p]!));
        c = `#${g}${g}${g}`;
      }
      colours[p] = c;
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    let bg = colours[0]!;
    for (const [c, m] of counts) if (m > counts.get(bg)! || (m === counts.get(bg)! && c < bg)) bg = c;
    const wrong = labels !== null && preds !== null && labels[k] !== preds[k];
    const caption = preds !== null
      ? labels !== null && wrong ? `${nameOf(preds[k]!)} (true ${nameOf(labels[k]!)})` : nameOf(preds[k]!)
      : labels !== null ? nameOf(labels[k]!) : '';
    body.push(`<g class="image"><title>${escapeXml(`#${k}${caption ? `: ${caption}` : ''}`)}</title>`);
    body.push(`<rect x="${num(x0)}" y="${num(y0)}" width="${num(tileW)}" height="${num(tileH)}" fill="${bg}"/>`);
    body.push('<g shape-rendering="crispEdges">');
    for (let r = 0; r < h; r++) {
      let c = 0;
      while (c < w) {
        const col = colours[r * w + c]!;
        let e = c + 1;
        while (e < w && colours[r * w + e] === col) e++;
        if (col !== bg)
          body.push(`<rect x="${num(x0 + c * scale)}" y="${num(y0 + r * scale)}" width="${num((e - c) * scale)}" height="${num(scale)}" fill="${col}"/>`);
        c = e;
      }
    }
    body.push('</g>');
    if (wrong) body.push(`<rect class="mismatch" x="${num(x0 - 2)}" y="${num(y0 - 2)}" width="${num(tileW + 4)}" height="${num(tileH + 4)}" fill="none" stroke="#d62728" stroke-width="3"/>`);
    if (caption)
      body.push(`<text x="${num(x0 + tileW / 2)}" y="${num(y0 + tileH + 14)}" text-anchor="middle" font-size="12" fill="${wrong ? '#d62728' : '#222'}"${wrong ? ' font-weight="bold"' : ''}>${escapeXml(caption)}</text>`);
    body.push('</g>');
  }
  return svgDocument(width, height, body.join('\n'), opts.title);
}
