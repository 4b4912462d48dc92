import { AutogradError, DTypeError, ValueError, fmtShape } from '../errors.js';
import { checkOptions, defineOptions } from '../options.js';
import { Tensor } from '../tensor.js';
import { enableGrad, noGrad } from './grad-mode.js';
import { grad } from './backward.js';
import { requireTensors } from '../ops/operands.js';

/**
 * Options of {@link gradcheck}.
 *
 * @example
 * const x = randn([3], { dtype: 'float64', requiresGrad: true });
 * gradcheck((a) => a.exp(), [x], { eps: 1e-6, atol: 1e-5, rtol: 1e-3, raiseException: false }).ok; // true
 */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Throw on failure (default true); otherwise return the result. */
  raiseException?: boolean;
}

/**
 * The outcome of {@link gradcheck}: the worst element over all inputs and outputs.
 *
 * @example
 * const wrong = defineFunction({ name: 'wrong', forward: (_c, a) => a.mul(2), backward: (_c, g) => [g.mul(3)] });
 * const x = randn([3], { dtype: 'float64', requiresGrad: true });
 * const r: GradcheckResult = gradcheck((a) => wrong(a), [x], { raiseException: false });
 * r.ok; // false
 * r.worst!.analytic; // 3
 * r.worst!.numeric; // 2
 */
export interface GradcheckResult {
  /** True when every element is within tolerance. */
  ok: boolean;
  /** Largest |analytic - numeric| - rtol * |numeric| excess found (<= atol when ok). */
  maxError: number;
  /** Where that excess is: input and output number, the input's flat index, and both derivatives. */
  worst: { input: number; index: number; output: number; analytic: number; numeric: number } | null;
}

/**
 * A function checked by {@link gradcheck}: tensors in, one tensor or several out.
 *
 * @example
 * const f: GradcheckFn = (a, b) => a.mul(b).sum();
 * const a = randn([2], { dtype: 'float64', requiresGrad: true });
 * const b = randn([2], { dtype: 'float64', requiresGrad: true });
 * gradcheck(f, [a, b]).ok; // true
 */
export type GradcheckFn = (...inputs: Tensor[]) => Tensor | Tensor[];

const CHECK_TYPES = { eps: 'number', atol: 'number', rtol: 'number', raiseException: 'boolean' } as const;
const GRADCHECK = defineOptions('gradcheck', CHECK_TYPES);
const GRADGRADCHECK = defineOptions('gradgradcheck', { ...CHECK_TYPES, seed: 'integer' });

/** Throws unless `inputs` is an array of tensors at least one of which requires grad (PyTorch's gradcheck refuses too). */
function checkInputs(op: string, inputs: unknown): asserts inputs is Tensor[] {
  requireTensors(op, 'inputs', inputs);
  if (!inputs.some((t) => t.requiresGrad))
    throw new ValueError(
      `${op}: no input requires grad (inputs of shapes ${inputs.map((t) => fmtShape(t.shape)).join(', ') || 'none'}), so nothing would be checked; ` +
        "create the inputs to check with { dtype: 'float64', requiresGrad: true }",
    );
}

/** Throws unless the tolerances and step are non-negative (eps positive) finite numbers. */
function checkTolerances(op: string, o: GradcheckOptions): void {
  for (const [k, v] of [['eps', o.eps], ['atol', o.atol], ['rtol', o.rtol]] as const)
    if (v !== undefined && (!Number.isFinite(v) || v < 0 || (k === 'eps' && v === 0)))
      throw new ValueError(`${op}: ${k} must be a ${k === 'eps' ? 'positive' : 'non-negative'} finite number, got ${v}`);
}

function outputsOf(fn: GradcheckFn, inputs: Tensor[]): Tensor[] {
  const r = fn(...inputs);
  return Array.isArray(r) ? r : [r];
}

/** Storage offset of flat (row-major) element `i` of `t`. */
function offsetOf(t: Tensor, i: number): number {
  const shape = t.nd.shape;
  let off = t.nd.offset;
  for (let d = shape.length - 1; d >= 0; d--) {
    off += (i % shape[d]!) * t.nd.stride[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return off;
}

/**
 * Checks the backward rules behind `fn` against central finite differences, like PyTorch's
 * `torch.autograd.gradcheck`: for every input element j and output element i, compares
 * d out_i / d in_j from the tape with `(f(x + eps) - f(x - eps)) / (2 eps)`.
 *
 * Inputs must be float64 tensors (float32 is too coarse for finite differences); those with
 * `requiresGrad` are checked. Reports the worst element.
 *
 * @throws AutogradError `gradcheck: mismatch for input 0 (shape [3,4]) at flat index 3, output 0: analytic 2 vs numeric 2.1 (error 0.098 > atol 0.00001)`
 * @throws DTypeError for an input requiring grad that is not float64
 * @throws ValueError `gradcheck: no input requires grad (inputs of shapes [3]), so nothing would be checked; ...`
 * @throws ValueError for unknown or wrong-typed options, or a negative tolerance
 * @example
 * const x = randn([3, 4], { dtype: 'float64', requiresGrad: true });
 * gradcheck((a) => a.tanh().sum(1), [x]).ok; // true
 */
export function gradcheck(fn: GradcheckFn, inputs: Tensor[], options?: GradcheckOptions): GradcheckResult {
  const opts = checkOptions(GRADCHECK, options);
  checkTolerances('gradcheck', opts);
  checkInputs('gradcheck', inputs);
  const eps = opts.eps ?? 1e-6;
  const atol = opts.atol ?? 1e-5;
  const rtol = opts.rtol ?? 1e-3;
  const checked = inputs.map((t, k) => {
    if (t.requiresGrad && t.dtype !== 'float64')
      throw new DTypeError(`gradcheck: input ${k} must be float64 for finite differences, got ${t.dtype} (shape ${fmtShape(t.shape)})`);
    return t.requiresGrad;
  });
  const outs = outputsOf(fn, inputs);
  const diffOuts = outs.map((o) => o.requiresGrad);
  const base = outs.map((o) => Float64Array.from(o.detach().data));
  let maxError = 0;
  let worst: GradcheckResult['worst'] = null;
  const consider = (input: number, index: number, output: number, analytic: number, numeric: number) => {
    const err = Math.abs(analytic - numeric) - rtol * Math.abs(numeric);
    if (err > maxError || (worst === null && err === maxError) || Number.isNaN(err)) {
      maxError = Number.isNaN(err) ? Infinity : Math.max(maxError, err);
      worst = { input, index, output, analytic, numeric };
    }
  };
  // Numeric Jacobian columns: perturb each input element.
  const numeric: Float64Array[][] = inputs.map((t, k) => {
    if (!checked[k]) return [];
    const cols: Float64Array[] = [];
    const data = t.storage.data;
    for (let j = 0; j < t.numel(); j++) {
      const off = offsetOf(t, j);
      const orig = data[off]!;
      data[off] = orig + eps;
      const plus = noGrad(() => outputsOf(fn, inputs).map((o) => Float64Array.from(o.data)));
      data[off] = orig - eps;
      const minus = noGrad(() => outputsOf(fn, inputs).map((o) => Float64Array.from(o.data)));
      data[off] = orig;
      const col = new Float64Array(base.reduce((a, b) => a + b.length, 0));
      let p = 0;
      plus.forEach((pl, o) => {
        for (let i = 0; i < pl.length; i++) col[p++] = (pl[i]! - minus[o]![i]!) / (2 * eps);
      });
      cols.push(col);
    }
    return cols;
  });
  // Analytic Jacobian rows: one vector-Jacobian product per output element.
  const wanted = inputs.filter((_, k) => checked[k]);
  let row = 0;
  outs.forEach((o, oi) => {
    for (let i = 0; i < o.numel(); i++, row++) {
      let grads: Array<Tensor | null>;
      if (!diffOuts[oi]) grads = wanted.map(() => null);
      else {
        const fresh = outputsOf(fn, inputs);
        const go = fresh.map((f, fi) => {
          const g = new Float64Array(f.numel());
          if (fi === oi) g[i] = 1;
          return Tensor.fromData(g, f.shape, 'float64').to(f.dtype);
        });
        const roots = fresh.filter((f) => f.requiresGrad);
        const gos = go.filter((_, fi) => fresh[fi]!.requiresGrad);
        grads = grad(roots, wanted, { gradOutputs: gos, allowUnused: true });
      }
      let w = 0;
      inputs.forEach((t, k) => {
        if (!checked[k]) return;
        const g = grads[w++];
        const gd = g ? g.data : null;
        for (let j = 0; j < t.numel(); j++) consider(k, j, oi, gd ? gd[j]! : 0, numeric[k]![j]![row]!);
      });
    }
  });
  const ok = maxError <= atol;
  const result: GradcheckResult = { ok, maxError, worst };
  if (!ok && (opts.raiseException ?? true)) {
    const w = worst as GradcheckResult['worst'];
    throw new AutogradError(
      `gradcheck: mismatch for input ${w!.input} (shape ${fmtShape(inputs[w!.input]!.shape)}) at flat index ${w!.index}, ` +
        `output ${w!.output}: analytic ${w!.analytic} vs numeric ${w!.numeric} (error ${maxError} > atol ${atol})`,
    );
  }
  return result;
}

/**
 * Checks second derivatives: gradcheck of the function that maps the inputs to their
 * gradients (computed with `createGraph`) for fixed random output gradients, like PyTorch's
 * `gradgradcheck`. Takes gradcheck's options, and `seed` for the output gradients.
 *
 * @throws ValueError as {@link gradcheck}, e.g. when no input requires grad
 * @example
 * const x = randn([4], { dtype: 'float64', requiresGrad: true });
 * gradgradcheck((a) => a.sigmoid(), [x]).ok; // true
 */
export function gradgradcheck(fn: GradcheckFn, inputs: Tensor[], options?: GradcheckOptions & { seed?: number }): GradcheckResult {
  const { seed, ...opts } = checkOptions(GRADGRADCHECK, options);
  checkTolerances('gradgradcheck', opts);
  checkInputs('gradgradcheck', inputs);
  const outs = outputsOf(fn, inputs);
  // Fixed pseudo-random output gradients (a simple LCG: gradcheck must not touch the global generator).
  let s = seed ?? 12345;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
  const gos = outs.map((o) => Tensor.fromData(Float64Array.from({ length: o.numel() }, next), o.shape, 'float64'));
  const diffIdx = inputs.map((t, k) => (t.requiresGrad ? k : -1)).filter((k) => k >= 0);
  // The inner gradient needs the tape even where gradcheck evaluates under noGrad.
  const second: GradcheckFn = (...xs) => enableGrad(() => secondImpl(xs));
  const secondImpl = (xs: Tensor[]): Tensor[] => {
    const os = outputsOf(fn, xs);
    const gs = grad(os, diffIdx.map((k) => xs[k]!), { gradOutputs: gos, createGraph: true, allowUnused: true });
    const res = gs.filter((g): g is Tensor => g !== null && g.requiresGrad);
    if (res.length === 0) throw new AutogradError('gradgradcheck: the gradients do not depend on the inputs (second derivative is zero everywhere)');
    return res;
  };
  return gradcheck(second, inputs, opts);
}
