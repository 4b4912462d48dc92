import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ValueError, describeValue } from '@tapegrad/core';
import { requireNumber, requireString } from '../options.js';

// Small helpers shared by the pictures: text escaping, number formatting, scales, nice ticks,
// axes and the document wrapper. Every coordinate goes through `num()`, so the same input gives
// byte-identical SVG (tests compare strings, and files diff cleanly).

/**
 * Escapes text for use in SVG/XML content and attribute values (`&`, `<`, `>`, `"`, `'`).
 * Characters XML 1.0 forbids (control characters other than tab and newlines) are dropped.
 *
 * @example
 * escapeXml('loss < 0.1 & "acc"'); // 'loss &lt; 0.1 &amp; &quot;acc&quot;'
 */
export function escapeXml(text: string): string {
  return String(text)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A coordinate with at most 2 decimals and no trailing zeros (`12`, `3.5`, `-0.25`). */
export function num(x: number): string {
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/**
 * A tick label: the shortest of `value` printed with enough decimals for the tick `step`,
 * switching to exponent notation for very large or small magnitudes.
 */
export function tickLabel(value: number, step: number): string {
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a >= 1e6 || a < 1e-4) return value.toExponential(Math.max(0, Math.min(6, -Math.floor(Math.log10(step)) + Math.floor(Math.log10(a)))));
  const decimals = Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
  return value.toFixed(decimals);
}

/** A linear map from `[d0, d1]` to `[r0, r1]` (a degenerate domain maps to the middle of the range). */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (x) => r0 + (x - d0) * k;
}

/** A "nice" step (1, 2 or 5 times a power of ten) close to `span / count`. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
}

/**
 * Ticks for an axis: a domain widened to multiples of a nice step, and the ticks in it.
 * A degenerate domain (`min === max`) is widened by one unit on each side.
 *
 * @example
 * niceTicks(0.13, 0.97, 5); // { min: 0, max: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] }
 */
export function niceTicks(min: number, max: number, count = 5): { min: number; max: number; step: number; ticks: number[] } {
  requireNumber('niceTicks', 'min', min);
  requireNumber('niceTicks', 'max', max);
  if (!(Number.isInteger(count) && count >= 1)) throw new ValueError(`niceTicks: count must be a positive integer, got ${describeValue(count)}`);
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    min = 0;
    max = 1;
  }
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const d = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= d;
    max += d;
  }
  const step = niceStep(max - min, count);
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  const n = Math.round((hi - lo) / step);
  // Compute every tick from its index, so rounding errors do not accumulate.
  for (let i = 0; i <= n; i++) ticks.push(Number((lo + i * step).toPrecision(12)));
  return { min: ticks[0]!, max: ticks[ticks.length - 1]!, step, ticks };
}

/** Ticks of a log10 axis: the powers of ten in `[min, max]` (widened to whole decades), with 2 and 5 between when few. */
export function logTicks(min: number, max: number): { min: number; max: number; ticks: number[] } {
  const lo = Math.floor(Math.log10(min) + 1e-9);
  let hi = Math.ceil(Math.log10(max) - 1e-9);
  if (hi === lo) hi = lo + 1;
  const ticks: number[] = [];
  const mults = hi - lo <= 2 ? [1, 2, 5] : [1];
  for (let e = lo; e <= hi; e++)
    for (const m of mults) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v <= 10 ** hi * (1 + 1e-9)) ticks.push(v);
    }
  return { min: 10 ** lo, max: 10 ** hi, ticks };
}

/** The plotting area of a chart, in pixels. */
export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** One axis to draw: where each tick goes, its label, and the axis title. */
export interface AxisSpec {
  ticks: number[];
  label: (v: number) => string;
  pos: (v: number) => number;
  title?: string | undefined;
}

/** Categorical colours (colour-blind friendly, distinct in grey print). */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
/** Light tints of {@link PALETTE}, for filled regions under points drawn in the full colour. */
export const PALETTE_LIGHT = ['#aec7e8', '#ffbb78', '#98df8a', '#ff9896', '#c5b0d5', '#c49c94', '#f7b6d2', '#c7c7c7', '#dbdb8d', '#9edae5'];

/** The i-th categorical colour (cycling). */
export function color(i: number, light = false): string {
  const p = light ? PALETTE_LIGHT : PALETTE;
  return p[((i % p.length) + p.length) % p.length]!;
}

/** Draws both axes of `area`: frame, grid lines, ticks, tick labels and axis titles. */
export function axes(area: PlotArea, x: AxisSpec, y: AxisSpec, opts: { grid?: boolean } = {}): string {
  const grid = opts.grid ?? true;
  const { left, top, width, height } = area;
  const bottom = top + height;
  const right = left + width;
  const out: string[] = ['<g class="axes" font-size="11" fill="#333">'];
  for (const t of x.ticks) {
    const px = num(x.pos(t));
    if (grid) out.push(`<line x1="${px}" y1="${num(top)}" x2="${px}" y2="${num(bottom)}" stroke="#e5e5e5"/>`);
    out.push(`<line x1="${px}" y1="${num(bottom)}" x2="${px}" y2="${num(bottom + 5)}" stroke="#333"/>`);
    out.push(`<text x="${px}" y="${num(bottom + 17)}" text-anchor="middle">${escapeXml(x.label(t))}</text>`);
  }
  for (const t of y.ticks) {
    const py = num(y.pos(t));
    if (grid) out.push(`<line x1="${num(left)}" y1="${py}" x2="${num(right)}" y2="${py}" stroke="#e5e5e5"/>`);
    out.push(`<line x1="${num(left - 5)}" y1="${py}" x2="${num(left)}" y2="${py}" stroke="#333"/>`);
    out.push(`<text x="${num(left - 8)}" y="${py}" dy="0.32em" text-anchor="end">${escapeXml(y.label(t))}</text>`);
  }
  out.push(`<rect x="${num(left)}" y="${num(top)}" width="${num(width)}" height="${num(height)}" fill="none" stroke="#333"/>`);
  if (x.title)
    out.push(`<text x="${num(left + width / 2)}" y="${num(bottom + 36)}" text-anchor="middle" font-size="13">${escapeXml(x.title)}</text>`);
  if (y.title) {
    const cx = num(left - 52);
    const cy = num(top + height / 2);
    out.push(`<text x="${cx}" y="${cy}" text-anchor="middle" font-size="13" transform="rotate(-90 ${cx} ${cy})">${escapeXml(y.title)}</text>`);
  }
  out.push('</g>');
  return out.join('\n');
}

/** A legend: one swatch (line or square) and name per entry, stacked in a box at (x, y). */
export function legend(entries: Array<{ name: string; color: string; kind?: 'line' | 'square' | 'dot' }>, x: number, y: number): string {
  if (entries.length === 0) return '';
  const widest = Math.max(...entries.map((e) => e.name.length));
  const w = 34 + textWidth(widest, 12);
  const h = 8 + entries.length * 18;
  const out = [`<g class="legend" font-size="12">`, `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="#fff" fill-opacity="0.85" stroke="#bbb"/>`];
  entries.forEach((e, i) => {
    const cy = y + 13 + i * 18;
    if (e.kind === 'square')
      out.push(`<rect x="${num(x + 8)}" y="${num(cy - 6)}" width="14" height="12" fill="${e.color}" stroke="#555" stroke-width="0.5"/>`);
    else if (e.kind === 'dot')
      out.push(`<circle cx="${num(x + 15)}" cy="${num(cy)}" r="4.5" fill="${e.color}" stroke="#222" stroke-width="0.8"/>`);
    else out.push(`<line x1="${num(x + 6)}" y1="${num(cy)}" x2="${num(x + 24)}" y2="${num(cy)}" stroke="${e.color}" stroke-width="2.5"/>`);
    out.push(`<text x="${num(x + 30)}" y="${num(cy)}" dy="0.32em">${escapeXml(e.name)}</text>`);
  });
  out.push('</g>');
  return out.join('\n');
}

/** Approximate width in pixels of `chars` characters of a sans-serif font of `size` px. */
export function textWidth(chars: number, size: number): number {
  return Math.ceil(chars * size * 0.6);
}

/** Wraps `body` in an `<svg>` document of the given size, with a white background and an optional centred title. */
export function svgDocument(width: number, height: number, body: string, title?: string): string {
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="Helvetica, Arial, sans-serif">`,
  ];
  if (title) parts.push(`<title>${escapeXml(title)}</title>`);
  parts.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  if (title) parts.push(`<text class="title" x="${num(width / 2)}" y="22" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`);
  parts.push(body, '</svg>', '');
  return parts.join('\n');
}

/** Checks that a size option is a positive finite number. */
export function checkPositive(op: string, name: string, v: number): void {
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new ValueError(`${op}: ${name} must be a positive number, got ${String(v)}`);
}

/**
 * Writes an SVG string to a file, creating missing folders; returns the path.
 * Synchronous, so it also works at the very end of a script (awaiting it is harmless).
 *
 * @param svg - the document, e.g. from {@link lineChart}
 * @param path - the file to write, e.g. `out/loss.svg`
 * @example
 * import { tmpdir } from 'node:os';
 * saveSvg(lineChart([{ name: 'loss', values: [0.9, 0.5, 0.3] }]), `${tmpdir()}/tapegrad-loss.svg`);
 */
export function saveSvg(svg: string, path: string): string {
  requireString('saveSvg', 'svg', svg);
  requireString('saveSvg', 'path', path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, svg, 'utf8');
  return path;
}
