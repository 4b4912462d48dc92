import { Tensor, ValueError, checkOptions, defineOptions, noGrad } from '@tapegrad/core';

const CLIP_GRAD_NORM = defineOptions('clipGradNorm_', { normType: 'number', errorIfNonfinite: 'boolean' });
import type { FloatArray } from './functional/float-array.js';
import { showValue } from './validate.js';

/**
 * Options of {@link clipGradNorm_}.
 *
 * @example
 * const w = tensor([3, -4], { requiresGrad: true });
 * w.mul(w).sum().div(2).backward(); // grad = w
 * clipGradNorm_([w], 2, { normType: Infinity, errorIfNonfinite: true }); // 4
 * w.grad!.toArray(); // [1.5, -2]
 */
export interface ClipGradNormOptions {
  /** Order p of the norm: any p > 0, or Infinity for the largest absolute value (default 2). */
  normType?: number;
  /** Throw if the total norm is NaN or infinite, instead of scaling by a NaN factor (default false). */
  errorIfNonfinite?: boolean;
}

function gradsOf(op: string, params: Tensor | Iterable<Tensor>): Tensor[] {
  if (!(params instanceof Tensor) && (params == null || typeof (params as Iterable<Tensor>)[Symbol.iterator] !== 'function'))
    throw new ValueError(`${op}: params must be a Tensor or an iterable of Tensors, got ${showValue(params)}`);
  const list = params instanceof Tensor ? [params] : [...params];
  const grads: Tensor[] = [];
  for (const p of list) {
    if (!(p instanceof Tensor)) throw new ValueError(`${op}: expected Tensors, got ${showValue(p)}`);
    if (p.grad !== null) grads.push(p.grad);
  }
  return grads;
}

// The loops below run over every gradient element of every step (a GPT's clipping is ~0.8M
// elements), so they index the arrays directly: a `for...of` over a typed array or a callback
// per element made this one call allocate ~13 MB of numbers a step, a third of the step's
// garbage collections.

/** The largest |x| in `d` and `start` (NaN wins, as PyTorch's inf-norm gives NaN). */
function maxAbs(d: FloatArray, start: number): number {
  let m = start;
  for (let i = 0; i < d.length; i++) {
    const a = Math.abs(d[i]!);
    if (a > m || a !== a) m = a;
  }
  return m;
}

/** Σ |x|^p over `d`, in float64. */
function sumOfPowers(d: FloatArray, p: number): number {
  let acc = 0;
  if (p === 2) for (let i = 0; i < d.length; i++) acc += d[i]! * d[i]!;
  else if (p === 1) for (let i = 0; i < d.length; i++) acc += Math.abs(d[i]!);
  else for (let i = 0; i < d.length; i++) acc += Math.abs(d[i]!) ** p;
  return acc;
}

/** Multiplies a gradient by `coef` in place (each product rounded once to its dtype). */
function scaleInPlace(g: Tensor, coef: number): void {
  if (g.isContiguous()) {
    const d = g.data as FloatArray;
    for (let i = 0; i < d.length; i++) d[i] = d[i]! * coef;
    g.storage.version++;
  } else mapInPlace(g, (x) => x * coef);
}

// Applies f to every element of a gradient, in place, bumping its version.
function mapInPlace(g: Tensor, f: (x: number) => number): void {
  if (g.isContiguous()) {
    const d = g.data as FloatArray;
    for (let i = 0; i < d.length; i++) d[i] = f(d[i]!);
    g.storage.version++;
  } else {
    const d = g.data.slice() as FloatArray;
    for (let i = 0; i < d.length; i++) d[i] = f(d[i]!);
    noGrad(() => g.copy_(Tensor.fromData(d, g.shape, g.dtype)));
  }
}

/**
 * Rescales the gradients of `params` in place so that their total norm is at most `maxNorm`
 * (PyTorch's `torch.nn.utils.clip_grad_norm_`): the norm is taken over all gradients together,
 * as if they were concatenated into one vector,
 * `total = (Σ_params Σ_i |g_i|^p)^(1/p)` (`max |g_i|` for p = Infinity), and when
 * `total > maxNorm` every gradient is multiplied by `maxNorm / (total + 1e-6)`.
 *
 * Returns the total norm before clipping as a plain number (not a 0-d tensor), so it can be
 * logged without a `.item()`. Parameters without a gradient are ignored; with none it returns 0.
 * The sums run in float64 whatever the gradients' dtype.
 *
 * @param params - a tensor or an iterable of tensors whose `grad` is clipped
 * @param maxNorm - the largest allowed total norm (>= 0)
 * @returns the total norm of the gradients before clipping
 * @throws ValueError for maxNorm < 0 or normType <= 0; with errorIfNonfinite, for a NaN or infinite total norm
 * @example
 * const w = tensor([3, 4], { requiresGrad: true });
 * w.mul(w).sum().div(2).backward(); // grad = w, of norm 5
 * clipGradNorm_([w], 1.0); // 5 (the norm before clipping)
 * w.grad!.toArray(); // [0.6, 0.8]
 */
export function clipGradNorm_(
  params: Tensor | Iterable<Tensor>,
  maxNorm: number,
  opts?: ClipGradNormOptions,
): number {
  const { normType = 2, errorIfNonfinite = false } = checkOptions(CLIP_GRAD_NORM, opts);
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0))
    throw new ValueError(`clipGradNorm_: invalid maxNorm: ${showValue(maxNorm)} (maxNorm must be >= 0)`);
  if (typeof normType !== 'number' || !(normType > 0))
    throw new ValueError(`clipGradNorm_: invalid normType: ${showValue(normType)} (normType must be > 0 or Infinity)`);
  const grads = gradsOf('clipGradNorm_', params);
  if (grads.length === 0) return 0;
  let total: number;
  if (normType === Infinity) {
    total = 0;
    for (const g of grads) total = maxAbs(g.data as FloatArray, total);
  } else {
    let acc = 0;
    for (const g of grads) acc += sumOfPowers(g.data as FloatArray, normType);
    total = normType === 2 ? Math.sqrt(acc) : normType === 1 ? acc : acc ** (1 / normType);
  }
  if (errorIfNonfinite && !Number.isFinite(total))
    throw new ValueError(
      `clipGradNorm_: the total norm of order ${normType} of the gradients is ${total}, so they cannot be clipped; ` +
        'set errorIfNonfinite: false to scale them anyway',
    );
  const coef = maxNorm / (total + 1e-6);
  // Multiplying by a clamped coefficient of 1 would change nothing; NaN propagates as in PyTorch.
  if (coef < 1 || Number.isNaN(coef)) for (const g of grads) scaleInPlace(g, coef);
  return total;
}

/**
 * Clamps every gradient element of `params` into `[-clipValue, clipValue]`, in place
 * (PyTorch's `torch.nn.utils.clip_grad_value_`). Parameters without a gradient are ignored.
 *
 * @param params - a tensor or an iterable of tensors whose `grad` is clipped
 * @param clipValue - the largest allowed absolute value (>= 0)
 * @throws ValueError for clipValue < 0
 * @example
 * const w = tensor([1, -3], { requiresGrad: true });
 * w.mul(w).sum().backward(); // grad = 2w = [2, -6]
 * clipGradValue_([w], 0.5);
 * w.grad!.toArray(); // [0.5, -0.5]
 */
export function clipGradValue_(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  if (typeof clipValue !== 'number' || !(clipValue >= 0))
    throw new ValueError(`clipGradValue_: invalid clipValue: ${showValue(clipValue)} (clipValue must be >= 0)`);
  for (const g of gradsOf('clipGradValue_', params))
    mapInPlace(g, (x) => (x > clipValue ? clipValue : x < -clipValue ? -clipValue : x));
}
