import { isFloating } from './dtype.js';
import type { Tensor } from './tensor.js';

// Printing as PyTorch's torch/_tensor_str.py does with its default print options (precision 4,
// threshold 1000, edgeitems 3, linewidth 80), in tapegrad's spelling: `dtype=float64`,
// `size=[0, 3]`, `requiresGrad=true`, `gradFn=<MulBackward>`.

const PRECISION = 4;
const EDGE = 3; // items shown at each end of a summarised dim
const THRESHOLD = 1000; // summarise tensors with more elements than this
const LINE_WIDTH = 80;
const PREFIX = 'tensor(';

/** Python's `'{:.4f}'.format(v)`: as toFixed, but an exact tie rounds to even, and -0 keeps its sign. */
function fixed(v: number, digits: number): string {
  const scale = 10 ** digits;
  const a = Math.abs(v) * scale;
  let s: string;
  if (a - Math.floor(a) === 0.5 && Number.isSafeInteger(Math.floor(a))) {
    const n = Math.floor(a) % 2 === 0 ? Math.floor(a) : Math.floor(a) + 1;
    s = (n / scale).toFixed(digits);
  } else {
    s = Math.abs(v).toFixed(digits);
  }
  return (v < 0 || Object.is(v, -0) ? '-' : '') + s;
}

/** Python's `'{:.4e}'.format(v)`: the exponent has at least two digits (`1.0000e-05`). */
function exponential(v: number): string {
  return v.toExponential(PRECISION).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Python's spelling of a non-finite float. */
function nonFinite(v: number): string {
  return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
}

/**
 * The element formatter for the values shown (PyTorch's `_Formatter`): for floats, integral
 * values print as `1.`, others with 4 decimals, and scientific notation when the non-zero finite
 * magnitudes span more than 1000x, exceed 1e8, or (non-integral) go below 1e-4. All elements
 * are padded to one width.
 */
function makeFormatter(dtype: string, values: ArrayLike<number>): { width: number; format: (v: number) => string } {
  let str: (v: number) => string;
  let width = 1;
  if (!isFloating(dtype as never)) {
    str = dtype === 'bool' ? (v) => (v ? 'True' : 'False') : (v) => String(v);
    for (let i = 0; i < values.length; i++) width = Math.max(width, str(values[i]!).length);
  } else {
    let min = Infinity;
    let max = 0;
    let intMode = true;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === 0 || !Number.isFinite(v)) continue;
      const a = Math.abs(v);
      if (a < min) min = a;
      if (a > max) max = a;
      if (v !== Math.ceil(v)) intMode = false;
    }
    const found = max > 0;
    const sci = found && (max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4));
    if (sci) str = (v) => (Number.isFinite(v) ? exponential(v) : nonFinite(v));
    else if (intMode) str = (v) => (Number.isFinite(v) ? fixed(v, 0) + '.' : nonFinite(v));
    else str = (v) => (Number.isFinite(v) ? fixed(v, PRECISION) : nonFinite(v));
    // The width counts the non-zero finite values only, as PyTorch does.
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v !== 0 && Number.isFinite(v)) width = Math.max(width, str(v).length);
    }
  }
  return { width, format: (v) => str(v).padStart(width) };
}

/** The indices shown along a dim of size n: all, or the first and last EDGE when summarising. */
function shownIndices(n: number, summarise: boolean): number[] {
  if (!summarise || n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: EDGE }, (_, i) => i), ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)];
}

/** The nested-bracket body of a non-empty tensor (PyTorch's `_tensor_str`), `indent` columns in. */
function body(t: Tensor, indent: number): string {
  const data = t.data; // contiguous, row-major
  const shape = t.shape;
  const summarise = t.numel() > THRESHOLD;
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  // The formatter sees only the values shown.
  const shown: number[] = [];
  const collect = (d: number, base: number): void => {
    if (d === shape.length) shown.push(data[base]!);
    else for (const i of shownIndices(shape[d]!, summarise)) collect(d + 1, base + i * strides[d]!);
  };
  collect(0, 0);
  const { width, format } = makeFormatter(t.dtype, shown);

  const render = (d: number, base: number, ind: number): string => {
    if (d === shape.length) return format(data[base]!);
    const n = shape[d]!;
    const idx = shownIndices(n, summarise);
    const gap = idx.length < n; // the `...` goes after the first EDGE
    if (d === shape.length - 1) {
      const items = idx.map((i) => format(data[base + i * strides[d]!]!));
      if (gap) items.splice(EDGE, 0, ' ...');
      // Wrap the row so that each line fits the line width.
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - ind) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return '[' + lines.join(',\n' + ' '.repeat(ind + 1)) + ']';
    }
    const slices = idx.map((i) => render(d + 1, base + i * strides[d]!, ind + 1));
    if (gap) slices.splice(EDGE, 0, '...');
    return '[' + slices.join(',' + '\n'.repeat(shape.length - 1 - d) + ' '.repeat(ind + 1)) + ']';
  };
  return render(0, 0, indent);
}

/** Appends `, suffix` items, each on a new line when it would pass the line width (PyTorch's `_add_suffixes`). */
function addSuffixes(text: string, suffixes: string[], indent: number): string {
  const parts = [text];
  // PyTorch's own measure of the last line (two more than its length when there is one line).
  let lastLine = text.length - text.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLine + s.length + 2 > LINE_WIDTH) {
      parts.push(',\n' + ' '.repeat(indent) + s);
      lastLine = indent + s.length;
    } else {
      parts.push(', ' + s);
      lastLine += s.length + 2;
    }
  }
  return parts.join('') + ')';
}

/**
 * Prints a tensor the way PyTorch does: `tensor([[1., 2.], [3., 4.]], requiresGrad=true)`, with
 * PyTorch's number formats (`1.` for integral floats, 4 decimals, scientific notation for wide
 * ranges), columns aligned, rows wrapped at 80 columns, tensors of more than 1000 elements
 * summarised with `...`. The dtype is shown unless it is float32 or bool (whose values show it);
 * an empty tensor shows its size unless it is `[0]`, and its dtype unless float32.
 */
export function formatTensor(t: Tensor): string {
  const suffixes: string[] = [];
  let text: string;
  if (t.numel() === 0) {
    if (t.ndim !== 1) suffixes.push(`size=[${t.shape.join(', ')}]`);
    if (t.dtype !== 'float32') suffixes.push(`dtype=${t.dtype}`);
    text = '[]';
  } else {
    if (t.dtype !== 'float32' && t.dtype !== 'bool') suffixes.push(`dtype=${t.dtype}`);
    text = body(t, PREFIX.length);
  }
  if (t.gradFn) suffixes.push(`gradFn=<${t.gradFn.toString()}>`);
  else if (t.requiresGrad) suffixes.push('requiresGrad=true');
  return addSuffixes(PREFIX + text, suffixes, PREFIX.length);
}
