import { describe, expect, it } from 'vitest';
import { tensor, randn, rand, gradcheck, gradgradcheck, Generator, ShapeError, DTypeError, ValueError, type Tensor } from '@tapegrad/core';
import {
  F, MSELoss, L1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss, KLDivLoss,
} from '@tapegrad/nn';

const d64 = (v: unknown, requiresGrad = false) => tensor(v as number[], { dtype: 'float64', requiresGrad });
const i32 = (v: number[] | number[][] | number) => tensor(v, { dtype: 'int32' });
const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
const mean = (a: number[]) => sum(a) / a.length;
const tight = { rtol: 1e-12, atol: 1e-12 };

/** Checks 'none', 'sum' and 'mean' of a loss function against per-element reference values. */
function checkReductions(fn: (opts: { reduction: 'none' | 'sum' | 'mean' }) => Tensor, ref: number[], meanRef = mean(ref)) {
  expect(fn({ reduction: 'none' })).toBeAllClose(ref, tight);
  expect(fn({ reduction: 'sum' })).toBeAllClose(sum(ref), tight);
  expect(fn({ reduction: 'mean' })).toBeAllClose(meanRef, tight);
}

const x = [1.5, -2, 0.25, 0.8];
const y = [1, 1, -0.5, 0.8];

describe('mseLoss', () => {
  it('matches (x - y)^2 with each reduction', () => {
    checkReductions((o) => F.mseLoss(d64(x), d64(y), o), x.map((v, i) => (v - y[i]!) ** 2));
    expect(new MSELoss({ reduction: 'sum' }).call(d64(x), d64(y))).toBeAllClose(sum(x.map((v, i) => (v - y[i]!) ** 2)), tight);
  });

  it('passes gradcheck for input and target', () => {
    const a = randn([2, 3], { dtype: 'float64', requiresGrad: true, generator: new Generator(1) });
    const b = randn([2, 3], { dtype: 'float64', requiresGrad: true, generator: new Generator(2) });
    expect(gradcheck((p, q) => F.mseLoss(p, q), [a, b]).ok).toBe(true);
    expect(gradcheck((p, q) => F.mseLoss(p, q, { reduction: 'none' }), [a, b]).ok).toBe(true);
  });

  it('rejects different shapes and unknown reductions', () => {
    expect(() => F.mseLoss(d64([1, 2, 3]), d64([[1], [2], [3]]))).toThrow(ShapeError);
    expect(() => F.mseLoss(d64([1, 2, 3]), d64([[1], [2], [3]]))).toThrow(/mseLoss: input.shape=\[3\] and target.shape=\[3,1\] must be equal/);
    expect(() => F.mseLoss(d64([1]), d64([1]), { reduction: 'avg' as never })).toThrow(/mseLoss: option reduction must be 'mean', 'sum' or 'none', got 'avg' \(a string\)/);
    expect(() => new MSELoss({ reduction: 'avg' as never })).toThrow(ValueError);
  });
});

describe('l1Loss', () => {
  it('matches |x - y| with each reduction', () => {
    checkReductions((o) => F.l1Loss(d64(x), d64(y), o), x.map((v, i) => Math.abs(v - y[i]!)));
    expect(new L1Loss().call(d64(x), d64(y))).toBeAllClose(mean(x.map((v, i) => Math.abs(v - y[i]!))), tight);
  });

  it('passes gradcheck', () => {
    const a = randn([5], { dtype: 'float64', requiresGrad: true, generator: new Generator(3) });
    expect(gradcheck((p) => F.l1Loss(p, d64([0, 0, 0, 0, 0])), [a]).ok).toBe(true);
  });
});

describe('huberLoss', () => {
  const huber = (d: number, delta: number) => (Math.abs(d) < delta ? 0.5 * d * d : delta * (Math.abs(d) - 0.5 * delta));

  it('is quadratic below delta and linear above, with each reduction', () => {
    for (const delta of [1, 0.5]) {
      const ref = x.map((v, i) => huber(v - y[i]!, delta));
      checkReductions((o) => F.huberLoss(d64(x), d64(y), { ...o, delta }), ref);
    }
    expect(new HuberLoss({ delta: 0.5 }).toString()).toBe('HuberLoss(delta=0.5)');
  });

  it('passes gradcheck on both sides of delta', () => {
    const a = d64([-2, -0.3, 0.1, 0.45, 3], true);
    expect(gradcheck((p) => F.huberLoss(p, d64([0, 0, 0, 0, 0]), { delta: 0.5, reduction: 'none' }), [a]).ok).toBe(true);
  });

  it('rejects a non-positive delta', () => {
    expect(() => F.huberLoss(d64([1]), d64([1]), { delta: 0 })).toThrow(/huberLoss: delta must be positive, got 0/);
  });
});

describe('binaryCrossEntropy', () => {
  const p = [0.9, 0.2, 0.5, 0.01];
  const t = [1, 0, 0.3, 1];
  const bce = (pi: number, ti: number) => -(ti * Math.max(Math.log(pi), -100) + (1 - ti) * Math.max(Math.log(1 - pi), -100));

  it('matches -[y log x + (1 - y) log(1 - x)] with each reduction and weights', () => {
    checkReductions((o) => F.binaryCrossEntropy(d64(p), d64(t), o), p.map((v, i) => bce(v, t[i]!)));
    const w = [1, 2, 0.5, 3];
    checkReductions((o) => F.binaryCrossEntropy(d64(p), d64(t), { ...o, weight: d64(w) }), p.map((v, i) => w[i]! * bce(v, t[i]!)));
    expect(new BCELoss({ weight: d64(w) }).call(d64(p), d64(t))).toBeAllClose(mean(p.map((v, i) => w[i]! * bce(v, t[i]!))), tight);
  });

  it('clamps the logs at -100 so probabilities of 0 and 1 give finite losses and gradients', () => {
    const probs = d64([0, 1, 0, 1], true);
    const loss = F.binaryCrossEntropy(probs, d64([1, 0, 0, 1]), { reduction: 'none' });
    expect(loss).toBeAllClose([100, 100, 0, 0], { rtol: 0, atol: 0 });
    loss.sum().backward();
    const g = Array.from(probs.grad!.data as ArrayLike<number>);
    expect(g.every(Number.isFinite)).toBe(true);
    expect(g).toEqual([-1e12, 1e12, 0, 0]); // (x - y) / max(x (1 - x), 1e-12), as PyTorch
  });

  it('passes gradcheck for input and target', () => {
    const a = d64([0.3, 0.6, 0.9, 0.15], true);
    const b = d64([0.2, 1, 0, 0.5], true);
    expect(gradcheck((q, r) => F.binaryCrossEntropy(q, r, { reduction: 'none' }), [a, b]).ok).toBe(true);
    expect(gradcheck((q, r) => F.binaryCrossEntropy(q, r), [a, b]).ok).toBe(true);
  });

  it('has a differentiable backward (second derivatives)', () => {
    const a = d64([0.3, 0.6, 0.9], true);
    const b = d64([0.2, 1, 0.5], true);
    expect(gradgradcheck((q, r) => F.binaryCrossEntropy(q, r, { reduction: 'none' }), [a, b]).ok).toBe(true);
  });

  it('rejects inputs outside [0, 1]', () => {
    expect(() => F.binaryCrossEntropy(d64([0.5, 1.2]), d64([0, 1]))).toThrow(
      /binaryCrossEntropy: every input must be a probability in \[0, 1\]; got 1.2 at flat index 1/,
    );
  });
});

describe('binaryCrossEntropyWithLogits', () => {
  const stableSoftplusNeg = (v: number) => Math.max(-v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
  const ref = (v: number, ti: number) => Math.max(v, 0) - v * ti + Math.log1p(Math.exp(-Math.abs(v)));
  const logits = [2.5, -1, 0, 0.3, -4];
  const t = [1, 0, 1, 0.25, 1];

  it('matches max(x, 0) - x y + log(1 + e^-|x|) with each reduction', () => {
    checkReductions((o) => F.binaryCrossEntropyWithLogits(d64(logits), d64(t), o), logits.map((v, i) => ref(v, t[i]!)));
  });

  it('weights the positive term with posWeight and elements with weight', () => {
    const x2 = [[0.5, -2], [3, 0.1]];
    const t2 = [[1, 0], [0.5, 1]];
    const pw = [2, 0.5];
    const w = [[1, 2], [0.5, 1]];
    const r: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) {
        const v = x2[i]![j]!;
        const ti = t2[i]![j]!;
        r.push(w[i]![j]! * ((1 - ti) * v + (1 + (pw[j]! - 1) * ti) * stableSoftplusNeg(v)));
      }
    const out = F.binaryCrossEntropyWithLogits(d64(x2), d64(t2), { posWeight: d64(pw), weight: d64(w), reduction: 'none' });
    expect(out).toBeAllClose([r.slice(0, 2), r.slice(2)], tight);
    const mod = new BCEWithLogitsLoss({ posWeight: d64(pw) });
    expect(Object.keys(mod.stateDict())).toEqual(['pos_weight']);
  });

  it('is finite and exact for logits of +-1000, with gradient sigmoid(x) - y', () => {
    const big = d64([1000, -1000, 1000, -1000], true);
    const loss = F.binaryCrossEntropyWithLogits(big, d64([1, 0, 0, 1]), { reduction: 'none' });
    expect(loss).toBeAllClose([0, 0, 1000, 1000], { rtol: 0, atol: 0 });
    loss.sum().backward();
    expect(big.grad!).toBeAllClose([0, 0, 1, -1], { rtol: 0, atol: 0 });
  });

  it('has the right gradient at exactly x = 0', () => {
    const z = d64([0, 0], true);
    F.binaryCrossEntropyWithLogits(z, d64([1, 0.25]), { reduction: 'sum' }).backward();
    expect(z.grad!).toBeAllClose([-0.5, 0.25], tight);
  });

  it('passes gradcheck for input, target and posWeight', () => {
    const a = randn([2, 3], { dtype: 'float64', requiresGrad: true, generator: new Generator(4) });
    const b = rand([2, 3], { dtype: 'float64', requiresGrad: true, generator: new Generator(5) });
    const pw = d64([0.5, 2, 1.5], true);
    expect(gradcheck((q, r, s) => F.binaryCrossEntropyWithLogits(q, r, { posWeight: s, reduction: 'none' }), [a, b, pw]).ok).toBe(true);
  });

  it('has a differentiable backward (second derivatives)', () => {
    const a = d64([1.5, -0.7, 0.2], true);
    const b = d64([0.2, 1, 0.5], true);
    const pw = d64([2], true);
    expect(gradgradcheck((q, r, s) => F.binaryCrossEntropyWithLogits(q, r, { posWeight: s, reduction: 'none' }), [a, b, pw]).ok).toBe(true);
  });

  it('rejects different shapes and a posWeight that does not broadcast', () => {
    expect(() => F.binaryCrossEntropyWithLogits(d64([1, 2]), d64([1]))).toThrow(/binaryCrossEntropyWithLogits: input.shape=\[2\] and target.shape=\[1\] must be equal/);
    expect(() => F.binaryCrossEntropyWithLogits(d64([[1, 2]]), d64([[1, 0]]), { posWeight: d64([1, 2, 3]) })).toThrow(
      /posWeight.shape=\[3\] does not broadcast to input.shape=\[1,2\]/,
    );
  });
});

/** log-softmax of one row, by loops. */
function logSoftmaxRow(r: number[]): number[] {
  const m = Math.max(...r);
  const lse = m + Math.log(sum(r.map((v) => Math.exp(v - m))));
  return r.map((v) => v - lse);
}

/** PyTorch's cross entropy for class indices by loops: per-sample losses and the mean's denominator. */
function ceRef(logits: number[][], target: number[], opts: { weight?: number[]; ignoreIndex?: number; eps?: number } = {}) {
  const C = logits[0]!.length;
  const w = opts.weight ?? Array(C).fill(1);
  const eps = opts.eps ?? 0;
  const losses: number[] = [];
  let denom = 0;
  logits.forEach((row, i) => {
    const t = target[i]!;
    if (t === (opts.ignoreIndex ?? -100)) {
      losses.push(0);
      return;
    }
    const lp = logSoftmaxRow(row);
    const nll = -w[t]! * lp[t]!;
    const smooth = -sum(lp.map((v, c) => w[c]! * v));
    losses.push((1 - eps) * nll + (eps / C) * smooth);
    denom += w[t]!;
  });
  return { losses, denom };
}

describe('crossEntropy', () => {
  const logits = [[2, 0.5, -1], [0.1, 0.2, 0.3], [-2, 3, 1], [1, 1, 1]];
  const target = [0, 2, 1, 2];

  it('matches -log softmax(x)[t] with each reduction', () => {
    const { losses } = ceRef(logits, target);
    checkReductions((o) => F.crossEntropy(d64(logits), i32(target), o), losses);
  });

  it('divides the weighted mean by the sum of the target weights, skipping ignored targets', () => {
    const weight = [0.2, 1, 3];
    const tgt = [0, 2, -100, 2];
    const { losses, denom } = ceRef(logits, tgt, { weight });
    expect(denom).toBeCloseTo(0.2 + 3 + 3, 12);
    checkReductions((o) => F.crossEntropy(d64(logits), i32(tgt), { ...o, weight: d64(weight) }), losses, sum(losses) / denom);
    const ign = ceRef(logits, [0, 1, 1, 2], { ignoreIndex: 1 });
    expect(F.crossEntropy(d64(logits), i32([0, 1, 1, 2]), { ignoreIndex: 1 })).toBeAllClose(sum(ign.losses) / ign.denom, tight);
  });

  it('applies label smoothing as PyTorch, with and without weights', () => {
    const weight = [0.5, 2, 1];
    for (const w of [undefined, weight]) {
      const { losses, denom } = ceRef(logits, [0, 2, -100, 1], { weight: w, eps: 0.2 });
      checkReductions(
        (o) => F.crossEntropy(d64(logits), i32([0, 2, -100, 1]), { ...o, weight: w ? d64(w) : null, labelSmoothing: 0.2 }),
        losses,
        sum(losses) / denom,
      );
    }
  });

  it('takes probability targets, with weights and label smoothing', () => {
    const probs = [[0.7, 0.2, 0.1], [0, 0, 1], [0.3, 0.3, 0.4], [1 / 3, 1 / 3, 1 / 3]];
    const weight = [1, 2, 0.5];
    const eps = 0.1;
    const ref = logits.map((row, i) => {
      const lp = logSoftmaxRow(row);
      return -sum(lp.map((v, c) => weight[c]! * ((1 - eps) * probs[i]![c]! + eps / 3) * v));
    });
    checkReductions((o) => F.crossEntropy(d64(logits), d64(probs), { ...o, weight: d64(weight), labelSmoothing: eps }), ref);
  });

  it('takes [N, C, d1] inputs with [N, d1] targets and unbatched [C] inputs', () => {
    // input[n, c, k] = logits[2n + k][c]
    const nck = [0, 1].map((n) => [0, 1, 2].map((c) => [0, 1].map((k) => logits[2 * n + k]![c]!)));
    const { losses } = ceRef(logits, target);
    expect(F.crossEntropy(d64(nck), i32([[0, 2], [1, 2]]), { reduction: 'none' })).toBeAllClose(
      [[losses[0]!, losses[1]!], [losses[2]!, losses[3]!]],
      tight,
    );
    const single = F.crossEntropy(d64(logits[2]), tensor(1, { dtype: 'int32' }), { reduction: 'none' });
    expect(single.shape).toEqual([]);
    expect(single).toBeAllClose(losses[2]!, tight);
  });

  it('is finite and exact for logits of +-1000', () => {
    const big = d64([[1000, -1000], [-1000, 1000], [1000, 1000]], true);
    const loss = F.crossEntropy(big, i32([0, 0, 1]), { reduction: 'none' });
    expect(loss).toBeAllClose([0, 2000, Math.LN2], { rtol: 1e-15, atol: 0 });
    loss.sum().backward();
    expect(big.grad!).toBeAllClose([[0, 0], [-1, 1], [0.5, -0.5]], { rtol: 1e-15, atol: 0 });
    const probs = F.crossEntropy(big.detach(), d64([[1, 0], [0.5, 0.5], [0, 1]]), { reduction: 'none' });
    expect(probs).toBeAllClose([0, 1000, Math.LN2], { rtol: 1e-15, atol: 0 });
  });

  it('gives PyTorch\'s finite loss and gradient when non-target logits are -Infinity (masked logits)', () => {
    const inf = Infinity;
    const masked = d64([[2, -inf, 0.5], [-inf, 1, -inf], [-inf, 0, 3]], true);
    // Row 2 is ignored; its target would have been class 0, whose logit is -inf.
    const loss = F.crossEntropy(masked, i32([0, 1, -100]));
    const lse = Math.log(Math.exp(2) + Math.exp(0.5));
    expect(loss).toBeAllClose((lse - 2 + 0) / 2, tight);
    loss.backward();
    const s0 = Math.exp(2 - lse), s2 = Math.exp(0.5 - lse);
    expect(masked.grad!).toBeAllClose([[(s0 - 1) / 2, 0, s2 / 2], [0, 0, 0], [0, 0, 0]], tight);
    // with class weights, 'none' and 'sum'
    const w = d64([2, 0.5, 1]);
    expect(F.crossEntropy(masked.detach(), i32([0, 1, -100]), { weight: w, reduction: 'none' })).toBeAllClose([2 * (lse - 2), 0, 0], tight);
    expect(F.crossEntropy(masked.detach(), i32([2, 1, 2]), { reduction: 'sum' })).toBeAllClose(lse - 0.5 + 0 + Math.log1p(Math.exp(-3)), tight);
    // nllLoss on log-probabilities with -inf entries
    const logp = d64([[-0.1, -inf], [-inf, 0]], true);
    const nll = F.nllLoss(logp, i32([0, 1]), { weight: d64([1, 3]) });
    expect(nll).toBeAllClose(0.1 / 4, tight);
    nll.backward();
    expect(logp.grad!).toBeAllClose([[-0.25, 0], [0, -0.75]], tight);
  });

  it('is +Infinity with label smoothing and a -Infinity logit, as in PyTorch, with a finite gradient', () => {
    // PyTorch's smoothing term is -sum_c logp[c] / C, +inf when a logit is -inf.
    const masked = d64([[2, -Infinity, 0.5]], true);
    const loss = F.crossEntropy(masked, i32([0]), { labelSmoothing: 0.1 });
    expect(loss.item()).toBe(Infinity);
    loss.backward();
    // d/dx_j of (1 - ε) nll + (ε / C) (-sum_c logp_c) = softmax_j - (1 - ε) [j = t] - ε / C
    const lse = Math.log(Math.exp(2) + Math.exp(0.5));
    const sm = [Math.exp(2 - lse), 0, Math.exp(0.5 - lse)];
    expect(masked.grad!).toBeAllClose([sm.map((p, j) => p - (j === 0 ? 0.9 : 0) - 0.1 / 3)], tight);
    // an ignored row stays 0 even with smoothing
    expect(F.crossEntropy(masked.detach(), i32([-100]), { labelSmoothing: 0.1, reduction: 'sum' }).item()).toBe(0);
  });

  it('handles a 50000-class vocabulary over 512 tokens, matching a per-row reference', () => {
    const N = 512, C = 50000;
    const big = rand([N, C], { generator: new Generator(11), requiresGrad: true }).mul(8).sub(4);
    big.retainGrad();
    const labels = tensor(Array.from({ length: N }, (_, i) => (i * 7919) % C), { dtype: 'int32' });
    const loss = F.crossEntropy(big, labels, { reduction: 'none' });
    expect(loss.shape).toEqual([N]);
    const x = big.data;
    const rowRef = (i: number) => {
      let m = -Infinity;
      for (let c = 0; c < C; c++) m = Math.max(m, x[i * C + c]!);
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(x[i * C + c]! - m);
      return m + Math.log(s) - x[i * C + ((i * 7919) % C)]!;
    };
    const l = loss.data;
    for (const i of [0, 1, 255, 511]) expect(l[i]).toBeCloseTo(rowRef(i), 4);
    loss.mean().backward();
    const g = big.grad!.data;
    const lse0 = rowRef(0) + x[0]!; // row 0's target is class 0
    expect(g[0]).toBeCloseTo((Math.exp(x[0]! - lse0) - 1) / N, 7);
    expect(g[5]).toBeCloseTo(Math.exp(x[5]! - lse0) / N, 9);
  });

  it('returns 0 rather than NaN when every target is ignored', () => {
    const loss = F.crossEntropy(d64(logits), i32([-100, -100, -100, -100]));
    expect(loss.item()).toBe(0);
  });

  it('passes gradcheck for class targets with weights, ignoring and smoothing, and for probability targets', () => {
    const a = randn([3, 4], { dtype: 'float64', requiresGrad: true, generator: new Generator(6) });
    const w = d64([0.5, 1, 2, 1.5]);
    expect(gradcheck((q) => F.crossEntropy(q, i32([3, -100, 0]), { weight: w, labelSmoothing: 0.1 }), [a]).ok).toBe(true);
    const p = rand([3, 4], { dtype: 'float64', requiresGrad: true, generator: new Generator(7) });
    expect(gradcheck((q, r) => F.crossEntropy(q, r, { reduction: 'none' }), [a, p]).ok).toBe(true);
    const k = randn([2, 3, 2], { dtype: 'float64', requiresGrad: true, generator: new Generator(8) });
    expect(gradcheck((q) => F.crossEntropy(q, i32([[0, 2], [1, 1]])), [k]).ok).toBe(true);
  });

  it('passes gradgradcheck', () => {
    const a = randn([2, 3], { dtype: 'float64', requiresGrad: true, generator: new Generator(9) });
    expect(gradgradcheck((q) => F.crossEntropy(q, i32([2, 0]), { labelSmoothing: 0.1 }), [a]).ok).toBe(true);
  });

  it('names the shapes and dtypes of a bad target', () => {
    expect(() => F.crossEntropy(d64([[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]), d64([[1, 0], [1, 0], [1, 0]]))).toThrow(
      'crossEntropy: target must be int32 class indices of shape [N] or probabilities of shape [N,C]; got target.shape=[3,2] (float64) for input.shape=[3,4]',
    );
    expect(() => F.crossEntropy(d64(logits), tensor([0, 1, 2, 0]))).toThrow(/got target.shape=\[4\] \(float32\) for input.shape=\[4,3\]/);
    expect(() => F.crossEntropy(d64(logits), i32([0, 1, 3, 0]))).toThrow(/crossEntropy: target 3 at flat index 2 is out of range for 3 classes/);
    expect(() => F.crossEntropy(d64(logits), i32(target), { weight: d64([1, 2]) })).toThrow(/crossEntropy: weight.shape=\[2\] must be \[3\]/);
    expect(() => F.crossEntropy(d64(logits), i32(target), { labelSmoothing: 1.5 })).toThrow(/labelSmoothing must be in \[0, 1\], got 1.5/);
    expect(() => F.crossEntropy(d64(logits), d64(logits), { ignoreIndex: 0 })).toThrow(/ignoreIndex=0 is not supported for probability targets/);
    expect(() => F.crossEntropy(i32([1, 2]), i32(0))).toThrow(DTypeError);
    // float class indices: the message shows the conversion
    expect(() => F.crossEntropy(d64(logits), tensor([0, 1, 2, 0]))).toThrow(/; convert class indices with target.int\(\)/);
    expect(() => F.nllLoss(d64(logits), tensor([0, 1, 2, 0]))).toThrow(/; convert class indices with target.int\(\)/);
    expect(() => F.crossEntropy(d64(logits), tensor([0, 1, 2]))).not.toThrow(/convert/);
  });

  it('as a module keeps its weight as a buffer and matches the function', () => {
    const weight = d64([1, 2, 0.5]);
    const mod = new CrossEntropyLoss({ weight, labelSmoothing: 0.05 });
    expect(Object.keys(mod.stateDict())).toEqual(['weight']);
    expect(mod.call(d64(logits), i32(target)).item()).toBe(F.crossEntropy(d64(logits), i32(target), { weight, labelSmoothing: 0.05 }).item());
  });
});

describe('nllLoss', () => {
  const logp = [[-0.1, -2.5, -3], [-1.2, -0.4, -2], [-0.7, -0.9, -3.1]];

  it('matches -w[t] logp[t] with the weighted mean', () => {
    const w = [2, 1, 0.5];
    const t = [0, 2, 1];
    const ref = t.map((c, i) => -w[c]! * logp[i]![c]!);
    checkReductions((o) => F.nllLoss(d64(logp), i32(t), { ...o, weight: d64(w) }), ref, sum(ref) / (2 + 0.5 + 1));
    expect(new NLLLoss({ ignoreIndex: 2 }).call(d64(logp), i32(t))).toBeAllClose((-logp[0]![0]! - logp[2]![1]!) / 2, tight);
  });

  it('passes gradcheck', () => {
    const a = d64(logp, true);
    expect(gradcheck((q) => F.nllLoss(q, i32([1, 0, 2]), { reduction: 'none' }), [a]).ok).toBe(true);
  });

  it('rejects targets that are not int32 indices of shape [N]', () => {
    expect(() => F.nllLoss(d64(logp), d64([0, 1, 2]))).toThrow(
      'nllLoss: target must be int32 class indices of shape [N]; got target.shape=[3] (float64) for input.shape=[3,3]',
    );
    expect(() => F.nllLoss(d64(logp), i32([0, 1]))).toThrow(ShapeError);
  });
});

describe('klDiv', () => {
  const q = [[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]];
  const p = [[0.25, 0.25, 0.5], [0, 0.4, 0.6]];
  const logq = q.map((r) => r.map(Math.log));
  const terms = p.flatMap((r, i) => r.map((v, j) => (v === 0 ? 0 : v * (Math.log(v) - logq[i]![j]!))));

  it('matches p (log p - log q), counting 0 log 0 as 0, with every reduction', () => {
    expect(F.klDiv(d64(logq), d64(p), { reduction: 'none' })).toBeAllClose([terms.slice(0, 3), terms.slice(3)], tight);
    expect(F.klDiv(d64(logq), d64(p), { reduction: 'sum' })).toBeAllClose(sum(terms), tight);
    expect(F.klDiv(d64(logq), d64(p))).toBeAllClose(sum(terms) / 6, tight);
    expect(F.klDiv(d64(logq), d64(p), { reduction: 'batchmean' })).toBeAllClose(sum(terms) / 2, tight);
    expect(new KLDivLoss({ reduction: 'batchmean' }).call(d64(logq), d64(p))).toBeAllClose(sum(terms) / 2, tight);
  });

  it('takes log-probability targets with logTarget', () => {
    const pp = [[0.25, 0.25, 0.5], [0.3, 0.1, 0.6]];
    const logp = pp.map((r) => r.map(Math.log));
    const ref = pp.flatMap((r, i) => r.map((v, j) => v * (Math.log(v) - logq[i]![j]!)));
    expect(F.klDiv(d64(logq), d64(logp), { logTarget: true, reduction: 'sum' })).toBeAllClose(sum(ref), tight);
  });

  it('passes gradcheck for input and target', () => {
    const a = d64(logq, true);
    const b = d64([[0.25, 0.25, 0.5], [0.3, 0.1, 0.6]], true);
    expect(gradcheck((s, t) => F.klDiv(s, t, { reduction: 'batchmean' }), [a, b]).ok).toBe(true);
    expect(gradcheck((s, t) => F.klDiv(s, t, { logTarget: true, reduction: 'none' }), [a, b]).ok).toBe(true);
  });

  it('rejects unknown reductions', () => {
    expect(() => F.klDiv(d64(logq), d64(p), { reduction: 'avg' as never })).toThrow(
      /klDiv: option reduction must be 'mean', 'sum', 'none' or 'batchmean', got 'avg'/,
    );
  });
});
