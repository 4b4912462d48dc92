import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, DTypeError, ValueError, gradcheck, gradgradcheck, randn, tensor, type Tensor } from '@tapegrad/core';
import {
  CTCLoss, CELU, GLU, Hardtanh, MultiMarginLoss, PReLU, RReLU, ReLU6, Softmax2d, Softmin, Threshold, TripletMarginLoss, F,
} from '@tapegrad/nn';

const f64 = (v: number[] | number[][], requiresGrad = true) => tensor(v, { dtype: 'float64', requiresGrad });
const gen = new Generator(3);
const g = () => gen;

describe('piecewise activations', () => {
  it('relu6 and hardtanh clamp, with gradient 0 at the bounds as PyTorch', () => {
    const x = f64([-1, 0, 3, 6, 7]);
    F.relu6(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 1, 0, 0]);
    expect(new Hardtanh({ minVal: -2, maxVal: 0.5 }).call(f64([-3, 0, 1], false)).toArray()).toEqual([-2, 0, 0.5]);
  });
  it('hardswish has the gradient x/3 + 1/2 on [-3, 3] and passes gradgradcheck away from the kinks', () => {
    const x = f64([-4, -3, 0, 3, 4]);
    F.hardswish(x).sum().backward();
    expect(x.grad!).toBeAllClose([0, -0.5, 0.5, 1.5, 1]);
    expect(gradgradcheck((t) => F.hardswish(t), [f64([-2.2, 0.4, 1.7])]).ok).toBe(true);
  });
  it('shrinkage and threshold zero the band and keep NaN', () => {
    expect(F.hardshrink(f64([-1, -0.5, 0.2, 0.5, 2, NaN], false)).toArray()).toEqual([-1, 0, 0, 0, 2, NaN]);
    expect(F.softshrink(f64([-1, 0.2, 2, NaN], false)).toArray()).toEqual([-0.5, 0, 1.5, NaN]);
    expect(new Threshold(0, -1).call(f64([-2, 0, 3], false)).toArray()).toEqual([-1, -1, 3]);
  });
  it('refuses bad hyper-parameters and non-float inputs', () => {
    expect(() => new Hardtanh({ minVal: 1, maxVal: 0 })).toThrow(ValueError);
    expect(() => F.hardshrink(f64([1], false), -1)).toThrow(/lambd must be non-negative/);
    expect(() => new CELU(0)).toThrow(ValueError);
    expect(() => F.relu6(tensor([1, 2], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => new Hardtanh({ min: 0 } as never)).toThrow(/min/);
    expect(() => new ReLU6().call([1] as never)).toThrow(ValueError);
  });
});

describe('smooth activations', () => {
  const x = () => f64([-3, -1.5, -0.2, 0.3, 1, 2.5]);
  const refs: Array<[string, (t: Tensor) => Tensor, (v: number) => number]> = [
    ['celu(alpha=2)', (t) => F.celu(t, 2), (v) => (v > 0 ? v : 2 * Math.expm1(v / 2))],
    ['selu', F.selu, (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * Math.expm1(v))],
    ['silu', F.silu, (v) => v / (1 + Math.exp(-v))],
    ['mish', F.mish, (v) => v * Math.tanh(Math.log1p(Math.exp(v)))],
    ['softsign', F.softsign, (v) => v / (1 + Math.abs(v))],
    ['tanhshrink', F.tanhshrink, (v) => v - Math.tanh(v)],
    ['logsigmoid', F.logsigmoid, (v) => -Math.log1p(Math.exp(-v))],
  ];
  for (const [name, fn, ref] of refs)
    it(`${name} matches its formula and passes gradcheck and gradgradcheck`, () => {
      expect(fn(x())).toBeAllClose((x().toArray() as number[]).map(ref), { rtol: 1e-12, atol: 1e-12 });
      expect(gradcheck(fn, [x()]).ok).toBe(true);
      expect(gradgradcheck(fn, [x()]).ok).toBe(true);
    });
  it('logsigmoid and mish are finite and exact at +-1000', () => {
    const big = f64([-1000, 1000]);
    expect(F.logsigmoid(big).toArray()).toEqual([-1000, -0]);
    expect(F.mish(big).toArray()).toEqual([-0, 1000]);
    F.logsigmoid(big).sum().backward();
    expect(big.grad!.toArray()).toEqual([1, 0]);
  });
});

describe('GLU, Softmin, Softmax2d', () => {
  it('glu halves the dim and gates the first half by the sigmoid of the second', () => {
    const x = randn([2, 6], { dtype: 'float64', generator: g() });
    const [a, b] = x.split(3, 1);
    expect(new GLU(1).call(x)).toBeAllClose(a!.mul(b!.sigmoid()));
    expect(gradcheck((t) => F.glu(t, 0), [randn([4, 3], { dtype: 'float64', generator: g(), requiresGrad: true })]).ok).toBe(true);
    expect(() => F.glu(randn([2, 3]))).toThrow(ShapeError);
  });
  it('softmin is the softmax of -x; Softmax2d normalises the channels', () => {
    const x = randn([2, 3], { dtype: 'float64', generator: g() });
    expect(new Softmin(1).call(x)).toBeAllClose(x.neg().softmax(1));
    const y = new Softmax2d().call(randn([2, 3, 2, 2], { dtype: 'float64', generator: g() }));
    expect(y.sum(1)).toBeAllClose(tensor([[[1, 1], [1, 1]], [[1, 1], [1, 1]]], { dtype: 'float64' }));
    expect(() => new Softmax2d().call(randn([3, 4]))).toThrow(/3D|\[N, C, H, W\]/);
  });
});

describe('PReLU and RReLU', () => {
  it('PReLU has one learnable slope per channel, initialised to init, with a weight gradient', () => {
    const act = new PReLU({ numParameters: 2, init: 0.1, dtype: 'float64' });
    expect(act.stateDict().weight!.toArray()).toEqual([0.1, 0.1]);
    const x = tensor([[[-1, 2]], [[-3, -4]]], { dtype: 'float64' }).reshape([2, 2, 1]);
    act.call(x).sum().backward();
    expect(act.weight.grad!.toArray()).toEqual([-4, -4 + 0]);
    expect(() => act.call(randn([2, 3, 1]))).toThrow(ShapeError);
    expect(gradcheck((t, w) => F.prelu(t, w), [
      randn([3, 2, 2], { dtype: 'float64', generator: g(), requiresGrad: true }),
      tensor([0.3, -0.2], { dtype: 'float64', requiresGrad: true }),
    ]).ok).toBe(true);
  });
  it('RReLU draws slopes in [lower, upper] from its generator in training and uses their mean in eval', () => {
    const x = tensor(Array(200).fill(-1), { dtype: 'float64' });
    const y1 = new RReLU({ lower: 0.1, upper: 0.3, generator: new Generator(7) }).call(x);
    const y2 = new RReLU({ lower: 0.1, upper: 0.3, generator: new Generator(7) }).call(x);
    expect(y1.toArray()).toEqual(y2.toArray());
    expect(y1.max().item()).toBeLessThanOrEqual(-0.1);
    expect(y1.min().item()).toBeGreaterThanOrEqual(-0.3);
    expect(y1.std().item()).toBeGreaterThan(0.03);
    expect(new RReLU({ lower: 0.1, upper: 0.3 }).eval().call(tensor([-1, 2]))).toBeAllClose([-0.2, 2]);
    expect(() => new RReLU({ lower: 0.5, upper: 0.1 })).toThrow(ValueError);
  });
});

describe('losses', () => {
  it('smoothL1Loss is huberLoss / beta and the L1 loss at beta = 0', () => {
    const a = randn([5], { dtype: 'float64', generator: g() }), b = randn([5], { dtype: 'float64', generator: g() });
    expect(F.smoothL1Loss(a, b, { beta: 0.5 })).toBeAllClose(F.huberLoss(a, b, { delta: 0.5 }).div(0.5));
    expect(F.smoothL1Loss(a, b, { beta: 0 })).toBeAllClose(F.l1Loss(a, b));
    expect(() => F.smoothL1Loss(a, b, { beta: -1 })).toThrow(ValueError);
  });
  it('softMarginLoss and multilabelSoftMarginLoss stay finite at logits of +-1000', () => {
    const x = f64([1000, -1000, 0]);
    const l = F.softMarginLoss(x, f64([-1, 1, 1], false), { reduction: 'none' });
    expect(l).toBeAllClose([1000, 1000, Math.LN2]);
    l.sum().backward();
    expect(x.grad!).toBeAllClose([1, -1, -0.5]);
    expect(F.multilabelSoftMarginLoss(f64([[1000, -1000]]), f64([[0, 1]], false)).item()).toBeCloseTo(1000, 9);
  });
  it('multiMarginLoss and multilabelMarginLoss match a plain loop', () => {
    const x = randn([3, 4], { dtype: 'float64', generator: g() });
    const t = tensor([2, 0, 3], { dtype: 'int32' });
    const xs = x.toArray() as number[][];
    const ref = xs.map((row, n) => {
      const y = [2, 0, 3][n]!;
      let s = 0;
      for (let i = 0; i < 4; i++) if (i !== y) s += Math.max(0, 1 - row[y]! + row[i]!) ** 2;
      return s / 4;
    });
    expect(new MultiMarginLoss({ p: 2, reduction: 'none' }).call(x, t)).toBeAllClose(ref);
    expect(() => F.multiMarginLoss(x, t, { p: 3 })).toThrow(/p must be 1 or 2/);
    expect(() => F.multiMarginLoss(x, tensor([0, 1, 4], { dtype: 'int32' }))).toThrow(/out of range/);
    const lt = tensor([[1, -1, 0, 0], [0, 1, 2, 3], [3, 3, -1, 2]], { dtype: 'int32' });
    const lref = xs.map((row, n) => {
      const list = [[1], [0, 1, 2, 3], [3, 3]][n]!;
      let s = 0;
      for (const j of list) for (let i = 0; i < 4; i++) if (!list.includes(i)) s += Math.max(0, 1 - row[j]! + row[i]!);
      return s / 4;
    });
    expect(F.multilabelMarginLoss(x, lt, { reduction: 'none' })).toBeAllClose(lref);
  });
  it('gaussianNllLoss lets the gradient through the variance clamp, as PyTorch', () => {
    const v = f64([0, 1]);
    F.gaussianNllLoss(f64([0, 0], false), f64([0, 0], false), v, { reduction: 'sum' }).backward();
    expect(v.grad!).toBeAllClose([0.5 / 1e-6, 0.5]);
    expect(() => F.gaussianNllLoss(f64([0], false), f64([0], false), f64([-1], false))).toThrow(/non-negative/);
    expect(() => F.gaussianNllLoss(randn([2, 3]), randn([2, 3]), randn([3]).abs())).toThrow(ShapeError);
  });
  it('poissonNllLoss with full adds Stirling only for targets > 1, with finite gradients at target 0', () => {
    const y = f64([0, 1, 4]);
    const l = F.poissonNllLoss(f64([0, 0, 0], false), y, { full: true, reduction: 'none' });
    expect(l).toBeAllClose([1, 1, 1 + 4 * Math.log(4) - 4 + 0.5 * Math.log(8 * Math.PI)]);
    l.sum().backward();
    expect((y.grad!.toArray() as number[]).every(Number.isFinite)).toBe(true);
  });
  it('the margin losses pass gradcheck', () => {
    const r = (shape: number[]) => randn(shape, { dtype: 'float64', generator: g(), requiresGrad: true });
    const pm = tensor([1, -1, 1, -1], { dtype: 'float64' });
    expect(gradcheck((a, b) => F.marginRankingLoss(a, b, pm, { margin: 0.1 }), [r([4]), r([4]).add(0.05).detach().requiresGrad_()]).ok).toBe(true);
    expect(gradcheck((a, b) => F.cosineEmbeddingLoss(a, b, pm, { margin: -0.5 }), [r([4, 3]), r([4, 3])]).ok).toBe(true);
    expect(gradcheck((a, p, n) => new TripletMarginLoss({ swap: true, p: 3 }).call(a, p, n), [r([4, 3]), r([4, 3]), r([4, 3])]).ok).toBe(true);
    expect(gradcheck((x) => F.hingeEmbeddingLoss(x, pm, { margin: 3 }), [r([4])]).ok).toBe(true);
  });
  it('refuses mismatched shapes, unknown options and bad reductions', () => {
    expect(() => F.marginRankingLoss(randn([3]), randn([3]), randn([1, 3]))).toThrow(ShapeError);
    expect(() => F.tripletMarginLoss(randn([2, 3]), randn([3]), randn([2, 3]))).toThrow(ShapeError);
    expect(() => F.cosineEmbeddingLoss(randn([2, 3]), randn([2, 3]), randn([3]))).toThrow(ShapeError);
    expect(() => F.softMarginLoss(randn([3]), randn([3]), { reduction: 'avg' as never })).toThrow(ValueError);
    expect(() => F.poissonNllLoss(randn([3]), randn([3]), { log_input: false } as never)).toThrow(/log_input/);
    expect(() => F.multilabelMarginLoss(randn([2, 3]), tensor([[0, 1, 3], [0, -1, 0]], { dtype: 'int32' }))).toThrow(/out of range/);
  });
});

describe('ctcLoss', () => {
  const logits = () => randn([4, 2, 3], { dtype: 'float64', generator: g(), requiresGrad: true });
  it('sums the probabilities of every alignment (checked by enumeration on a tiny case)', () => {
    const lp = randn([3, 1, 3], { dtype: 'float64', generator: g() }).logSoftmax(2);
    const p = (lp.exp().toArray() as number[][][]).map((row) => row[0]!);
    // Target [1, 2] in 3 frames with blank 0: every path collapsing to "1 2".
    const paths = [[1, 2, 0], [1, 0, 2], [0, 1, 2], [1, 1, 2], [1, 2, 2]];
    const total = paths.reduce((acc, path) => acc + path.reduce((q, c, t) => q * p[t]![c]!, 1), 0);
    const loss = new CTCLoss({ reduction: 'sum' }).call(lp, tensor([[1, 2]], { dtype: 'int32' }), [3], [2]);
    expect(loss.item()).toBeCloseTo(-Math.log(total), 12);
  });
  it('passes gradcheck through logSoftmax', () => {
    const tg = tensor([[1, 1], [2, 0]], { dtype: 'int32' });
    expect(gradcheck((x) => F.ctcLoss(x.logSoftmax(2), tg, [4, 3], [2, 1]), [logits()]).ok).toBe(true);
  });
  it('gives inf for an impossible alignment, or 0 with zeroInfinity', () => {
    const tg = tensor([[1, 1], [2, 0]], { dtype: 'int32' });
    const x = logits();
    expect((F.ctcLoss(x.logSoftmax(2), tg, [2, 3], [2, 1], { reduction: 'none' }).toArray() as number[])[0]).toBe(Infinity);
    const z = F.ctcLoss(x.logSoftmax(2), tg, [2, 3], [2, 1], { reduction: 'none', zeroInfinity: true });
    expect((z.toArray() as number[])[0]).toBe(0);
  });
  it('refuses labels equal to the blank or out of range and bad lengths', () => {
    const lp = logits().logSoftmax(2);
    expect(() => F.ctcLoss(lp, tensor([[0], [1]], { dtype: 'int32' }), [4, 4], [1, 1])).toThrow(/blank/);
    expect(() => F.ctcLoss(lp, tensor([[3], [1]], { dtype: 'int32' }), [4, 4], [1, 1])).toThrow(/out of range|\[0, 3\)/);
    expect(() => F.ctcLoss(lp, tensor([[1], [1]], { dtype: 'int32' }), [5, 4], [1, 1])).toThrow(/inputLengths/);
    expect(() => F.ctcLoss(lp, tensor([[1], [1]], { dtype: 'int32' }), [4], [1, 1])).toThrow(/2 non-negative integers/);
  });
});
