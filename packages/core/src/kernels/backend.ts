import type { DType, TypedArray } from '../dtype.js';

/**
 * A strided view of typed-array storage: the only thing kernels see of a tensor. Element
 * `[i0, ..., ik]` is `data[offset + i0 * stride[0] + ... + ik * stride[k]]`; a stride may be
 * 0 (a broadcast dim) or negative. `size` is the product of `shape` (1 for a scalar's `[]`).
 * Kernels only read the fields, never assign them: a view is made with `makeView`.
 *
 * @example
 * const v: View = arange(6).reshape([2, 3]).T.nd;
 * v.shape; // [3, 2]
 * v.stride; // [1, 3]
 * v.size; // 6
 */
export interface View {
  readonly data: TypedArray;
  readonly shape: number[];
  readonly stride: number[];
  readonly offset: number;
  readonly size: number;
}

/**
 * Element-wise functions of one argument (some take scalar parameters `p0`, `p1`).
 *
 * @example
 * const op: UnaryOp = 'sigmoid'; // the kernel behind sigmoid(x)
 */
export type UnaryOp =
  | 'copy' | 'neg' | 'abs' | 'sign' | 'exp' | 'log' | 'log1p' | 'sqrt' | 'rsqrt' | 'sin' | 'cos'
  | 'tanh' | 'sigmoid' | 'relu' | 'erf'
  | 'leakyRelu' // p0 = negative slope
  | 'elu' // p0 = alpha
  | 'softplus' // p0 = beta, p1 = threshold
  | 'gelu' | 'geluTanh'
  | 'clamp' // p0 = min (or -Infinity), p1 = max (or Infinity)
  | 'step' // 1 where x > 0, else 0 (the derivative of relu)
  | 'isnan'
  // issue 17 unary math
  | 'exp2' | 'expm1' | 'log2' | 'log10' | 'reciprocal' | 'tan' | 'asin' | 'acos' | 'atan'
  | 'sinh' | 'cosh' | 'asinh' | 'acosh' | 'atanh' | 'sinc'
  | 'logit' // p0 = lo, p1 = hi: x clamped into [lo, hi] first, min(max(x, lo), hi) (-Infinity, Infinity: no eps)
  | 'erfc' | 'erfinv' | 'lgamma' | 'digamma'
  | 'polygamma' // p0 = n >= 1
  | 'floor' | 'ceil' | 'trunc'
  | 'round' // p0 = decimals, p1 = 1 to compute in float32 arithmetic (as PyTorch's float kernel)
  | 'isinf' | 'isposinf' | 'isneginf' | 'isfinite' | 'logicalNot';

/**
 * Element-wise functions of two broadcast arguments.
 *
 * @example
 * const op: BinaryOp = 'maximum'; // the kernel behind maximum(a, b)
 */
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'minimum' | 'maximum'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'and' | 'or'
  /** relu's gradient: `a` where `b > 0`, else 0 (`b` is relu's output). */
  | 'reluBackward'
  /** sigmoid's gradient `a b (1 - b)` and tanh's `a (1 - b²)` (`a` the incoming gradient, `b` the op's output). */
  | 'sigmoidBackward' | 'tanhBackward'
  /** gelu's gradient `a gelu'(b)` (`a` the incoming gradient, `b` gelu's input); `geluTanhGrad` for the tanh approximation. */
  | 'geluGrad' | 'geluTanhGrad'
  // issue 17 binary math
  | 'atan2' | 'hypot' | 'logaddexp' | 'logaddexp2' | 'copysign'
  /** `a log b`, 0 where `a == 0` unless `b` is NaN. */
  | 'xlogy'
  /** max / min ignoring NaN: the other operand where one is NaN. */
  | 'fmax' | 'fmin'
  /** `a mod b` with the sign of `b` (Python's `%`); `fmod` keeps the sign of `a` (C's fmod). */
  | 'remainder' | 'fmod'
  /** `floor(a / b)`, `trunc(a / b)` (integer division for int32). */
  | 'divFloor' | 'divTrunc'
  /** 1 where `a > 0`, 0 where `a < 0`, `b` where `a == 0`. */
  | 'heaviside'
  /** On int32 or bool (0/1); shifts of int32 by a count outside [0, 31] give 0 (left) or the sign (right). */
  | 'bitwiseAnd' | 'bitwiseOr' | 'bitwiseXor' | 'leftShift' | 'rightShift';

/**
 * Full reductions along some dims.
 *
 * @example
 * const op: ReduceOp = 'sum'; // the kernel behind sum(x, dims)
 */
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min';

/**
 * Inclusive scans along a dim: running sum, product, or `log(sum(exp))`.
 *
 * @example
 * const op: ScanOp = 'sum'; // the kernel behind cumsum(x, dim)
 */
export type ScanOp = 'sum' | 'prod' | 'logsumexp';

/**
 * Geometry of a 2-D convolution or pooling window, all resolved to pairs.
 *
 * @example
 * // conv2d(x, w, null, { stride: 2, padding: 1 }) reaches the backend as:
 * const geom: Conv2dGeometry = { stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 1 };
 */
export interface Conv2dGeometry {
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  groups: number;
}

/**
 * The kernels behind tapegrad's ops. Every heavy loop lives behind this interface, so that a
 * faster implementation (WebAssembly, threads) replaces it without touching ops or autograd.
 *
 * Conventions: inputs are strided {@link View}s (any strides, including 0 for broadcast dims,
 * any offset); outputs are fresh contiguous views the caller owns. Shapes are already checked
 * by the op that calls the kernel. A kernel keeps no reference to its inputs or outputs after
 * it returns: backward reuses the memory of gradients it has finished with.
 *
 * @example
 * getBackend(); // 'native' on Node where @tapegrad/native built, else 'wasm' where WebAssembly SIMD is available, else 'js'
 * setBackend('js'); // the TypeScript reference kernels
 * matmul(ones([2, 3]), ones([3, 2])).toArray(); // [[3, 3], [3, 3]]
 */
export interface Backend {
  readonly name: string;

  // Memory hooks, all optional: a backend without them (the js reference) keeps every tensor
  // in ordinary typed arrays and needs no notice of being chosen.

  /**
   * A zero-filled array of `n` elements of `dtype` in this backend's pinned memory: memory its
   * kernels read and update where it is instead of copying data in and out (PyTorch's pinned
   * memory); null where it has none here. Backs `pinMemory` (pinned.ts says which backend's
   * memory it uses); the block comes back when the array is garbage-collected.
   */
  allocPinned?(dtype: DType, n: number): TypedArray | null;
  /** True if `a` lies in this backend's pinned memory (see {@link Backend.allocPinned}). */
  isPinned?(a: TypedArray): boolean;
  /**
   * Told when `setBackend` makes this backend the current one (`active` true) or replaces it
   * (false): where a backend starts or stops background work, e.g. the threads that prepare
   * warm buffers for the buffer pool.
   */
  activate?(active: boolean): void;

  /** `out = f(x)` elementwise, result of dtype `outDtype` and x's shape. */
  unary(op: UnaryOp, x: View, outDtype: DType, p0?: number, p1?: number): View;
  /** `out = f(a, b)`; `a` and `b` already have `outShape` (broadcast with stride 0). */
  binary(op: BinaryOp, a: View, b: View, outDtype: DType): View;
  /** `out = cond ? a : b`; all three already have the output's shape. */
  where(cond: View, a: View, b: View, outDtype: DType): View;
  /** Writes `src` (of dst's shape, any dtype) into the existing view `dst` (in place). */
  assign(dst: View, src: View): void;
  /** `dst = f(dst, src)` in place, `src` broadcast to dst's shape: used by in-place ops. */
  binaryInPlace(op: 'add' | 'sub' | 'mul' | 'div' | 'maximum', dst: View, src: View, alpha: number): void;
  /** Fills `dst` with `value` in place. */
  fill(dst: View, value: number): void;
  /**
   * `out = f(x)` written into the existing view `out` (x's shape, out's dtype): the ops' `out`
   * option. `x` is either disjoint from `out` or the very same view.
   */
  unaryInto(op: UnaryOp, x: View, out: View, p0?: number, p1?: number): void;
  /**
   * `out = f(a, b)` written into the existing view `out`; `a` and `b` already have out's shape
   * (broadcast with stride 0). Each operand is either disjoint from `out` or the very same view.
   */
  binaryInto(op: BinaryOp, a: View, b: View, out: View): void;

  /**
   * Reduces `x` over `dims` (sorted, unique). The result keeps the reduced dims as size 1
   * (keepdim shape). `max`/`min` of an empty reduction throw; sum of empty is 0, prod 1.
   */
  reduce(op: ReduceOp, x: View, dims: readonly number[], outDtype: DType): View;
  /** Index of the max/min along `dim` (first occurrence), int32, keepdim shape. */
  argReduce(op: 'argmax' | 'argmin', x: View, dim: number): View;

  /**
   * Batched matrix product: `a` is `[B, M, K]`, `b` is `[B, K, N]` (any strides: transposes
   * are free), result `[B, M, N]` contiguous, in `outDtype`.
   */
  matmul(a: View, b: View, outDtype: DType): View;
  /**
   * {@link Backend.matmul} plus `bias` (`[N]`, any stride) added to every row of the result: a
   * linear layer's product and bias in one kernel (`a`, `b` and `bias` of the output's dtype).
   */
  matmulBias(a: View, b: View, bias: View, outDtype: DType): View;

  /** `x [N, C, H, W]`, `w [O, C/groups, kH, kW]` -> `[N, O, Ho, Wo]`, plus `bias [O]` per output channel when given. */
  conv2d(x: View, w: View, g: Conv2dGeometry, bias?: View | null): View;
  /** Gradient of conv2d w.r.t. its input: `grad [N, O, Ho, Wo]`, `w` -> `[N, C, H, W]` (`inputShape`). */
  conv2dBackwardInput(grad: View, w: View, inputShape: readonly number[], g: Conv2dGeometry): View;
  /** Gradient of conv2d w.r.t. its weight: `x`, `grad` -> `[O, C/groups, kH, kW]` (`weightShape`). */
  conv2dBackwardWeight(x: View, grad: View, weightShape: readonly number[], g: Conv2dGeometry): View;

  /**
   * Max pooling `[N, C, H, W]` -> `{ out [N, C, Ho, Wo], argmax }` where `argmax` (int32, out's
   * shape) holds the flat index `h * W + w` of the chosen element within its `(n, c)` plane.
   */
  maxPool2d(x: View, kernel: [number, number], g: Conv2dGeometry): { out: View; argmax: View };
  /** Average pooling (padding counts in the divisor, as PyTorch's default `countIncludePad`). */
  avgPool2d(x: View, kernel: [number, number], g: Conv2dGeometry): View;
  /** Gradient of avgPool2d: spreads `grad` over the windows -> `inputShape`. */
  avgPool2dBackward(grad: View, inputShape: readonly number[], kernel: [number, number], g: Conv2dGeometry): View;

  /** `out[..., i, ...] = x[..., index[..., i, ...], ...]` along `dim`; index has out's shape. */
  gather(x: View, dim: number, index: View): View;
  /**
   * A copy of `x` with `src` added at `index` along `dim` (index and src of the same shape).
   * The kernel checks the index values: one outside `[0, x.shape[dim])` throws an
   * `IndexRangeError` naming the first such value in row-major order (the op reports it).
   */
  scatterAdd(x: View, dim: number, index: View, src: View): View;
  /** Entries along `dim` picked by the 1-D `index`. */
  indexSelect(x: View, dim: number, index: View): View;
  /** A copy of `x` with `src` added at the 1-D `index` positions along `dim`. */
  indexAdd(x: View, dim: number, index: View, src: View): View;

  // issue 17 indexing
  /**
   * A copy of `x` with each `src` element (index and src of the same shape) combined into the
   * element `index` names along `dim`: `'assign'` (the last write wins), `'sum'`, `'prod'`,
   * `'mean'` (integers round down), `'amax'`, `'amin'` (NaN propagates). Without `includeSelf`,
   * targets that some src reaches start from their first src value instead of x's.
   */
  scatterReduce(x: View, dim: number, index: View, src: View, reduce: 'assign' | 'sum' | 'prod' | 'mean' | 'amax' | 'amin', includeSelf: boolean): View;
  /** The multi-indices of `x`'s non-zero elements in row-major order: int32 `[n, x.ndim]`. */
  nonzero(x: View): View;
  /**
   * Insertion positions of `values [B, K]` in the sorted rows of `sorted [B, M]` (or `[1, M]` for
   * all rows): the first element `>= v` (`> v` with `right`), NaN counting as the largest; rows
   * read in the order of `sorter` (int32, sorted's shape) when given. Returns int32 `[B, K]`.
   */
  searchsorted(sorted: View, values: View, right: boolean, sorter: View | null): View;

  /**
   * One Adam/AdamW update in place, a single pass over equally long arrays (`maxExpAvgSq` only
   * with amsgrad); see {@link AdamHyper} for the rule. The reference computes in float64 and
   * rounds each store; a backend may compute float32 arrays in float32 (the wasm kernels do).
   */
  adamUpdate(param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, maxExpAvgSq: FloatArray | null, h: AdamHyper): void;
  /** One SGD update in place (momentum buffer only when `h.momentum` is not 0); see {@link SgdHyper}. */
  sgdUpdate(param: FloatArray, grad: FloatArray, momentumBuffer: FloatArray | null, h: SgdHyper): void;

  // issue 17 scans and sorting
  /**
   * Inclusive scan of `x` along `dim` (from the end with `reverse`), accumulated in float64,
   * result of x's shape in `outDtype`. O(n).
   */
  scan(op: ScanOp, x: View, dim: number, reverse: boolean, outDtype: DType): View;
  /**
   * Running max/min along `dim` and the int32 index where it was reached (a tie moves the index
   * to the later element; a NaN, once seen, stays with its index, as PyTorch's cummax).
   */
  cumExtreme(op: 'max' | 'min', x: View, dim: number, outDtype: DType): { values: View; indices: View };
  /**
   * Sorts each line along `dim` and keeps its first `k` (default all): values in `outDtype` and
   * int32 source indices, both of x's shape with size `k` at `dim`. NaN is larger than
   * everything; -0 equals 0; ties keep input order (stable). O(n log n).
   */
  sort(x: View, dim: number, descending: boolean, outDtype: DType, k?: number): { values: View; indices: View };

  // issue 18 fused softmax and layer norm
  /**
   * Softmax of `x` along `dim`, or with `log` log-softmax, one pass per line: `m` = the line's
   * max (0 where it is not finite, so all -inf lines give NaN and +inf gives NaN as in PyTorch),
   * `s = sum(exp(x - m))`, then `exp(x - m) / s` or `(x - m) - log(s)`. Float dtypes; result
   * contiguous, x's shape and dtype.
   */
  softmax(x: View, dim: number, log: boolean): View;
  /**
   * The gradient of {@link Backend.softmax} from its output `y` and the output gradient `g`
   * (same shape): `y (g - sum(g y))`, or with `log` `g - exp(y) sum(g)`, sums along `dim`.
   */
  softmaxBackward(g: View, y: View, dim: number, log: boolean): View;
  /**
   * Layer norm over the last `k` dims of `x` (each of its R rows of n elements):
   * `out = (x - mean) rstd * weight + bias` with `rstd = 1 / sqrt(var + eps)` (biased variance);
   * `weight` and `bias` (x's last k dims, or null) are applied elementwise. Returns out (x's
   * shape) and the per-row `mean`, `rstd` (x's shape with the last k dims 1), all in x's dtype.
   */
  layerNorm(x: View, k: number, weight: View | null, bias: View | null, eps: number): { out: View; mean: View; rstd: View };
  /**
   * Gradient of layer norm w.r.t. x given `g` and the forward's `mean`, `rstd`: per row, with
   * `xh = (x - mean) rstd` and `a = g * weight`, `rstd (a - mean(a) - xh mean(a xh))`.
   */
  layerNormBackward(g: View, x: View, mean: View, rstd: View, weight: View | null, k: number): View;
  /** Gradient of layer norm w.r.t. its weight: `sum over rows of g xh`, shape x's last `k` dims. */
  layerNormBackwardWeight(g: View, x: View, mean: View, rstd: View, k: number): View;
  /**
   * Scaled dot-product attention of `q [..., L, E]`, `k [..., S, E]`, `v [..., S, Ev]` (the same
   * batch dims, any strides, one float dtype): `weights = softmax(q kᵀ · scale)` along the last
   * dim, with the keys `j > i` of query `i` left out (weight 0) when `causal`, and
   * `out = weights v`. Returns out `[..., L, Ev]` and weights `[..., L, S]`, contiguous, in the
   * operands' dtype.
   */
  attention(q: View, k: View, v: View, scale: number, causal: boolean): { out: View; weights: View };
  /**
   * The gradients of {@link Backend.attention} from the output gradient `g [..., L, Ev]` and the
   * forward's `weights` W: `dv = Wᵀ g`, `dS = scale · W ∘ (g vᵀ - rowsum(g vᵀ ∘ W))`,
   * `dq = dS k`, `dk = dSᵀ q`; contiguous, the shapes of q, k, v.
   */
  attentionBackward(g: View, q: View, k: View, v: View, weights: View, scale: number): { dq: View; dk: View; dv: View };
  /**
   * One LSTM step's pointwise part, from the two halves of the gates `gi`, `gh` `[b, 4H]` (any
   * strides; PyTorch's order i, f, g, o) and the cell state `c` `[b, H]`: with `a = gi + gh`,
   * `c1 = σ(a_f) c + σ(a_i) tanh(a_g)` and `h1 = σ(a_o) tanh(c1)`. Returns `out` `[b, 2H]` (each
   * row h1 then c1) and `act` `[b, 4H]` (σ(a_i), σ(a_f), tanh(a_g), σ(a_o)), contiguous.
   */
  lstmCell(gi: View, gh: View, c: View): { out: View; act: View };
  /**
   * The gradients of {@link Backend.lstmCell} from `g` `[b, 2H]` (dh1 then dc1 in each row), the
   * forward's `act` and `c`: `dgates` `[b, 4H]` (the gradient of gi and of gh alike) and `dc` `[b, H]`.
   */
  lstmCellBackward(g: View, act: View, c: View): { dgates: View; dc: View };
  /**
   * Resampling along `dim` by a sparse [outSize, K] matrix: `out[..., i, ...] = sum_k weight[i, k]
   * x[..., index[i, k], ...]` (nearest K = 1, linear 2, cubic 4), `index` int32 and `weight`
   * float of shape [outSize, K]. Result contiguous, x's shape with outSize at `dim`, x's dtype.
   */
  resample(x: View, dim: number, index: View, weight: View): View;
  /** The transpose of {@link Backend.resample} (its gradient): `g` with outSize at `dim` -> `inSize` at `dim`. */
  resampleBackward(g: View, dim: number, index: View, weight: View, inSize: number): View;
}

/**
 * The typed arrays behind float tensors, as the fused optimizer kernels take them.
 *
 * @example
 * const p: FloatArray = new Float32Array([1, 2]);
 * p.length; // 2
 */
export type FloatArray = Float32Array | Float64Array;

/**
 * The per-step constants of one fused Adam/AdamW update ({@link fusedAdamUpdate}). Per element,
 * with every store into a float32 array rounded:
 * `g = ±grad + l2 p; p = decay p; m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g g;`
 * `vmax = max(vmax, v)` (amsgrad, then v = vmax); `p = p - stepSize m / (sqrt(v) / bc2Sqrt + eps)`.
 *
 * @example
 * const h: AdamHyper = { beta1: 0.9, beta2: 0.999, stepSize: 1e-3 / (1 - 0.9), bc2Sqrt: Math.sqrt(1 - 0.999), eps: 1e-8, l2: 0, decay: 1, maximize: false };
 * h.stepSize; // 0.01 (about: lr / (1 - beta1^step) at step 1)
 */
export interface AdamHyper {
  beta1: number;
  beta2: number;
  /** `lr / (1 - beta1^step)` */
  stepSize: number;
  /** `sqrt(1 - beta2^step)` */
  bc2Sqrt: number;
  eps: number;
  /** L2 penalty added to the gradient (Adam's weight decay; 0 for AdamW). */
  l2: number;
  /** Factor applied to the parameter first (AdamW: `1 - lr weightDecay`; 1 for Adam). */
  decay: number;
  /** Ascend instead of descend (the gradient's sign flipped). */
  maximize: boolean;
}

/**
 * The constants of one fused SGD update ({@link fusedSgdUpdate}). Per element:
 * `g = ±grad + weightDecay p; buf = firstStep ? g : momentum buf + (1 - dampening) g;`
 * `g = nesterov ? g + momentum buf : buf` (with momentum); `p = p - lr g`.
 *
 * @example
 * const h: SgdHyper = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false, firstStep: true };
 * h.momentum; // 0.9
 */
export interface SgdHyper {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  maximize: boolean;
  /** The momentum buffer's first step: it starts as the gradient. */
  firstStep: boolean;
}

/** A contiguous zero-filled view. */
export type Allocate = (dtype: DType, shape: readonly number[]) => View;
export type { TypedArray };
