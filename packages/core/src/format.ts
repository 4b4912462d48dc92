import type { Tensor } from './tensor.js';

const EDGE = 3; // items shown at each end of a summarised dim
const THRESHOLD = 1000; // summarise tensors with more elements than this

function formatter(t: Tensor, values: ArrayLike<number>): (v: number) => string {
  if (t.dtype === 'bool') return (v) => (v ? 'true' : 'false');
  if (t.dtype === 'int32') return (v) => String(v);
  let maxAbs = 0;
  let minAbs = Infinity;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (!Number.isFinite(a)) continue;
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
  }
  const sci = maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs !== Infinity) || maxAbs / minAbs > 1000 * 1e8;
  return (v) => {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    return sci ? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2') : v.toFixed(4);
  };
}

/**
 * Prints a tensor the way PyTorch does: `tensor([[1.0000, 2.0000], ...], requiresGrad=true)`,
 * columns aligned, large tensors summarised with `...`.
 */
export function formatTensor(t: Tensor): string {
  const data = t.data;
  const shape = t.shape;
  const summarise = t.numel > THRESHOLD;
  const fmt = formatter(t, data);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  // Collect the strings shown, to pad them to one width.
  const shown: string[] = [];
  const visit = (d: number, base: number): void => {
    if (d === shape.length) {
      shown.push(fmt(data[base]!));
      return;
    }
    for (const i of indices(shape[d]!, summarise)) visit(d + 1, base + i * strides[d]!);
  };
  visit(0, 0);
  const width = Math.max(0, ...shown.map((s) => s.length));
  let k = 0;
  const render = (d: number, indent: number): string => {
    if (d === shape.length) return shown[k++]!.padStart(width);
    const idx = indices(shape[d]!, summarise);
    const parts: string[] = [];
    idx.forEach((i, j) => {
      if (j > 0 && idx[j - 1] !== i - 1) parts.push('...');
      parts.push(render(d + 1, indent + 1));
    });
    const sep = d === shape.length - 1 ? ', ' : ',' + '\n'.repeat(shape.length - 1 - d) + ' '.repeat(indent + 1);
    return '[' + parts.join(sep) + ']';
  };
  const body = render(0, 'tensor('.length);
  const extras: string[] = [];
  if (t.dtype === 'float64') extras.push('dtype=float64');
  if (t.gradFn) extras.push(`gradFn=<${t.gradFn.toString()}>`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  return `tensor(${body}${extras.map((e) => ', ' + e).join('')})`;
}

function indices(n: number, summarise: boolean): number[] {
  if (!summarise || n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: EDGE }, (_, i) => i), ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)];
}
