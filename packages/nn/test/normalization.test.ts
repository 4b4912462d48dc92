import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, ValueError, DTypeError, gradcheck, gradgradcheck, randn, tensor, zeros, ones, type Tensor } from '@tapegrad/core';
import {
  F, LayerNorm, RMSNorm, GroupNorm, InstanceNorm1d, InstanceNorm2d, LocalResponseNorm, BatchNorm1d, BatchNorm2d,
} from '@tapegrad/nn';

const f64 = (shape: number[], seed = 1, requiresGrad = true) =>
  randn(shape, { dtype: 'float64', requiresGrad, generator: new Generator(seed) });
const rows = (t: Tensor) => t.toArray() as number[][];

/** Plain-array standardisation of each row. */
function standardizeRows(x: number[][], eps: number): number[][] {
  return x.map((row) => {
    const m = row.reduce((a, b) => a + b, 0) / row.length;
    const v = row.reduce((a, b) => a + (b - m) ** 2, 0) / row.length;
    return row.map((e) => (e - m) / Math.sqrt(v + eps));
  });
}

describe('LayerNorm', () => {
  it('normalises each row by its mean and biased variance, then scales and shifts', () => {
    const x = f64([4, 5], 2, false);
    const ln = new LayerNorm(5, { dtype: 'float64' });
    ln.weight!.data.set([1, 2, 3, 4, 5]);
    ln.bias!.data.set([0, 1, 0, 1, 0]);
    const want = standardizeRows(rows(x), 1e-5).map((r) => r.map((e, j) => e * (j + 1) + (j % 2)));
    expect(ln.call(x)).toBeAllClose(want, { rtol: 1e-12, atol: 1e-12 });
  });

  it('normalises over several trailing dims, and has PyTorch state-dict keys', () => {
    const ln = new LayerNorm([3, 4], { dtype: 'float64' });
    expect(Object.keys(ln.stateDict())).toEqual(['weight', 'bias']);
    const x = f64([2, 3, 4], 3, false);
    expect(ln.call(x)).toBeAllClose(tensor(standardizeRows(rows(x.reshape([2, 12])), 1e-5), { dtype: 'float64' }).reshape([2, 3, 4]));
    expect(Object.keys(new LayerNorm(4, { bias: false }).stateDict())).toEqual(['weight']);
    expect(new LayerNorm(4, { elementwiseAffine: false }).parameters()).toEqual([]);
  });

  it('passes gradcheck and gradgradcheck (input, weight, bias)', () => {
    const ln = new LayerNorm(4, { dtype: 'float64' });
    ln.weight!.data.set([1.5, -0.5, 2, 1]);
    const x = f64([3, 4], 4);
    expect(gradcheck((xx) => ln.call(xx), [x, ln.weight!, ln.bias!]).ok).toBe(true);
    expect(gradgradcheck((xx, w) => F.layerNorm(xx!, 4, { weight: w }), [x, ln.weight!]).ok).toBe(true);
  });

  it('refuses a mismatched input, an empty or bad normalizedShape, and positional options', () => {
    expect(() => new LayerNorm([3, 4]).call(zeros([2, 4, 3]))).toThrow(ShapeError);
    expect(() => new LayerNorm([3, 4]).call(zeros([2, 4, 3]))).toThrow(/layerNorm: normalizedShape=\[3,4\] expects input of shape \[\*, 3, 4\], got input.shape=\[2,4,3\]/);
    expect(() => new LayerNorm([])).toThrow(/LayerNorm: normalizedShape must have at least 1 dim/);
    expect(() => new LayerNorm(-1)).toThrow(ValueError);
    expect(() => new LayerNorm(4, 1e-5 as never)).toThrow(/LayerNorm: expected an options object/);
    expect(() => new LayerNorm(4, { elementwise_affine: false } as never)).toThrow(/did you mean 'elementwiseAffine'/);
    expect(() => F.layerNorm(zeros([2, 3]), 3, { weight: zeros([4]) })).toThrow(/layerNorm: weight.shape=\[4\] must be \[3\]/);
    expect(() => F.layerNorm(zeros([2, 3], { dtype: 'int32' }), 3)).toThrow(DTypeError);
  });
});

describe('RMSNorm', () => {
  it('divides by the root mean square plus the dtype machine epsilon by default', () => {
    const x = tensor([[3, 4]], { dtype: 'float64' });
    const want = [[3 / Math.sqrt(12.5 + 2 ** -52), 4 / Math.sqrt(12.5 + 2 ** -52)]];
    expect(new RMSNorm(2, { dtype: 'float64' }).call(x)).toBeAllClose(want, { rtol: 1e-15, atol: 0 });
    // float32: eps 2^-23 is visible on a tiny input
    const tiny = tensor([[1e-4, 1e-4]]);
    expect(new RMSNorm(2).call(tiny).toArray()).toEqual(F.rmsNorm(tiny, 2, { eps: 2 ** -23 }).toArray());
    expect(Object.keys(new RMSNorm(2).stateDict())).toEqual(['weight']);
  });

  it('passes gradcheck and gradgradcheck', () => {
    const norm = new RMSNorm([2, 3], { dtype: 'float64', eps: 1e-3 });
    const x = f64([2, 2, 3], 5);
    expect(gradcheck((xx) => norm.call(xx), [x, norm.weight!]).ok).toBe(true);
    expect(gradgradcheck((xx, w) => F.rmsNorm(xx!, [2, 3], { weight: w, eps: 1e-3 }), [x, norm.weight!]).ok).toBe(true);
  });

  it('refuses a negative eps and a mismatched input', () => {
    expect(() => new RMSNorm(3, { eps: -1 })).toThrow(/RMSNorm: eps must be non-negative, got -1/);
    expect(() => new RMSNorm(3).call(zeros([2, 4]))).toThrow(ShapeError);
  });
});

describe('GroupNorm', () => {
  it('normalises groups of consecutive channels per sample', () => {
    const x = f64([2, 4, 3], 6, false);
    const gn = new GroupNorm(2, 4, { dtype: 'float64' });
    const want = tensor(standardizeRows(rows(x.reshape([4, 6])), 1e-5), { dtype: 'float64' }).reshape([2, 4, 3]);
    expect(gn.call(x)).toBeAllClose(want, { rtol: 1e-12, atol: 1e-12 });
    expect(new GroupNorm(4, 4, { affine: false }).parameters()).toEqual([]);
  });

  it('passes gradcheck and gradgradcheck', () => {
    const gn = new GroupNorm(2, 4, { dtype: 'float64' });
    gn.weight!.data.set([1, -2, 0.5, 3]);
    const x = f64([2, 4, 2], 7);
    expect(gradcheck((xx) => gn.call(xx), [x, gn.weight!, gn.bias!]).ok).toBe(true);
    expect(gradgradcheck((xx) => gn.call(xx), [x]).ok).toBe(true);
  });

  it('refuses groups that do not divide the channels, and a wrong channel count', () => {
    expect(() => new GroupNorm(4, 6)).toThrow(/GroupNorm: numChannels must be divisible by numGroups, got numChannels=6, numGroups=4/);
    expect(() => new GroupNorm(2, 6).call(zeros([3, 4]))).toThrow(/GroupNorm: expected 6 channels in dim 1, got input.shape=\[3,4\]/);
    expect(() => F.groupNorm(zeros([2, 6]), 4)).toThrow(/groupNorm: numGroups=4 must be positive and divide the 6 channels/);
    expect(() => F.groupNorm(zeros([6]), 2)).toThrow(ShapeError);
  });
});

describe('InstanceNorm', () => {
  it('normalises each channel of each sample over its spatial dims, with no parameters or buffers by default', () => {
    const x = f64([2, 3, 5], 8, false);
    const norm = new InstanceNorm1d(3);
    expect(norm.stateDict()).toEqual({});
    const want = tensor(standardizeRows(rows(x.reshape([6, 5])), 1e-5), { dtype: 'float64' }).reshape([2, 3, 5]);
    expect(norm.call(x)).toBeAllClose(want, { rtol: 1e-12, atol: 1e-12 });
    expect(norm.eval().call(x)).toBeAllClose(want, { rtol: 1e-12, atol: 1e-12 });
    expect(norm.call(x.select(0, 1))).toBeAllClose(want.select(0, 1), { rtol: 1e-12, atol: 1e-12 });
  });

  it('with trackRunningStats averages the instance statistics into running ones and uses them in evaluation', () => {
    const norm = new InstanceNorm2d(1, { trackRunningStats: true, momentum: 0.5, dtype: 'float64' });
    expect(Object.keys(norm.stateDict())).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
    // instance 0: mean 1, unbiased var 4/3; instance 1: mean 3, unbiased var 0
    norm.call(tensor([[[[0, 2], [0, 2]]], [[[3, 3], [3, 3]]]], { dtype: 'float64' }));
    expect(norm.runningMean!).toBeAllClose([0.5 * 0 + 0.5 * 2]);
    expect(norm.runningVar!).toBeAllClose([0.5 * 1 + 0.5 * (2 / 3)]);
    expect(norm.numBatchesTracked!.item()).toBe(0);
    norm.eval();
    const y = norm.call(tensor([[[[1, 5]]]], { dtype: 'float64' }));
    const s = Math.sqrt(0.5 + 1 / 3 + 1e-5);
    expect(y).toBeAllClose([[[[0, 4 / s]]]]);
  });

  it('passes gradcheck and gradgradcheck with affine', () => {
    const norm = new InstanceNorm1d(2, { affine: true, dtype: 'float64' });
    const x = f64([2, 2, 3], 9);
    expect(gradcheck((xx) => norm.call(xx), [x, norm.weight!, norm.bias!]).ok).toBe(true);
    expect(gradgradcheck((xx) => norm.call(xx), [x]).ok).toBe(true);
  });

  it('refuses wrong dims, one spatial element in training, and a null momentum', () => {
    expect(() => new InstanceNorm2d(3).call(zeros([2, 3]))).toThrow(/InstanceNorm2d: expected 3-D \[C, H, W\] or 4-D \[N, C, H, W\] input, got input.shape=\[2,3\]/);
    expect(() => new InstanceNorm1d(3).call(zeros([2, 3, 1]))).toThrow(/instanceNorm: expected more than 1 spatial element when training/);
    expect(() => new InstanceNorm1d(3, { affine: true }).call(zeros([2, 4, 5]))).toThrow(/InstanceNorm1d: expected 3 channels in dim 1/);
    expect(new InstanceNorm1d(3).call(zeros([2, 4, 5])).shape).toEqual([2, 4, 5]);
    expect(() => new InstanceNorm1d(3, { momentum: null } as never)).toThrow(/InstanceNorm1d: option momentum must be a number, got null/);
    expect(() => F.instanceNorm(zeros([1, 2, 3]), { useInputStats: false })).toThrow(/runningMean and runningVar are required/);
  });
});

describe('BatchNorm (completion)', () => {
  it('with momentum null keeps the plain average of every batch statistic', () => {
    const bn = new BatchNorm1d(1, { momentum: null, dtype: 'float64' });
    for (const b of [[1, 3], [5, 9], [0, 0, 3]]) bn.call(tensor(b.map((v) => [v]), { dtype: 'float64' }));
    expect(bn.runningMean!).toBeAllClose([(2 + 7 + 1) / 3]);
    expect(bn.runningVar!).toBeAllClose([(2 + 8 + 3) / 3]);
    expect(bn.numBatchesTracked!.item()).toBe(3);
  });

  it('uses batch statistics in evaluation when the running ones were removed, as PyTorch', () => {
    const bn = new BatchNorm1d(2, { dtype: 'float64' });
    Object.assign(bn, { running_mean: null, running_var: null }); // as `bn.running_mean = None`
    const x = f64([4, 2], 10, false);
    expect(bn.eval().call(x)).toBeAllClose(bn.train().call(x), { rtol: 1e-14, atol: 1e-14 });
  });

  it('gives an empty output for an empty batch and leaves the statistics', () => {
    const bn = new BatchNorm2d(2);
    expect(bn.call(zeros([0, 2, 3, 3])).shape).toEqual([0, 2, 3, 3]);
    expect(bn.runningMean!.toArray()).toEqual([0, 0]);
    expect(bn.numBatchesTracked!.item()).toBe(1);
  });
});

describe('LocalResponseNorm', () => {
  it('divides by (k + alpha/size * sum of squares over the channel window)^beta', () => {
    const x = f64([1, 4, 2], 11, false);
    const a = x.toArray() as number[][][];
    const size = 3, alpha = 0.5, beta = 0.75, k = 2;
    const want = a[0]!.map((row, c) => row.map((v, l) => {
      let s = 0;
      for (let d = c - 1; d <= c + 1; d++) if (d >= 0 && d < 4) s += a[0]![d]![l]! ** 2;
      return v / (k + (alpha / size) * s) ** beta;
    }));
    expect(new LocalResponseNorm(size, { alpha, beta, k }).call(x)).toBeAllClose([want], { rtol: 1e-12, atol: 1e-12 });
  });

  it('passes gradcheck and gradgradcheck', () => {
    const lrn = new LocalResponseNorm(2, { alpha: 0.5 });
    expect(gradcheck((xx) => lrn.call(xx), [f64([2, 3, 2], 12)]).ok).toBe(true);
    expect(gradgradcheck((xx) => lrn.call(xx), [f64([1, 3, 2], 13)]).ok).toBe(true);
  });

  it('refuses fewer than 3 dims and a non-positive size', () => {
    expect(() => new LocalResponseNorm(2).call(zeros([2, 3]))).toThrow(/localResponseNorm: expected input of 3 or more dims/);
    expect(() => new LocalResponseNorm(0)).toThrow(/LocalResponseNorm: size must be a positive integer, got 0/);
    expect(() => new LocalResponseNorm(1.5)).toThrow(ValueError);
  });
});

describe('F.normalize', () => {
  it('scales vectors along dim to unit p-norm and leaves zero vectors at zero', () => {
    expect(F.normalize(tensor([[3, 4], [0, 0]], { dtype: 'float64' })).toArray()).toEqual([[0.6, 0.8], [0, 0]]);
    expect(F.normalize(tensor([[1, -3]], { dtype: 'float64' }), { p: 1 }).toArray()).toEqual([[0.25, -0.75]]);
    expect(F.normalize(tensor([[1, -4]], { dtype: 'float64' }), { p: Infinity }).toArray()).toEqual([[0.25, -1]]);
  });

  it('passes gradcheck and gradgradcheck', () => {
    expect(gradcheck((x) => F.normalize(x, { dim: 0 }), [f64([3, 2], 14)]).ok).toBe(true);
    expect(gradgradcheck((x) => F.normalize(x, { p: 3 }), [f64([2, 3], 15)]).ok).toBe(true);
  });

  it('refuses a dim out of range and positional arguments', () => {
    expect(() => F.normalize(ones([3]))).toThrow(/normalize: dim 1 is out of range for a tensor of 1 dims/);
    expect(() => F.normalize(ones([2, 3]), 2 as never)).toThrow(/normalize: expected an options object/);
    expect(() => F.normalize(ones([2, 3]), { out: ones([2, 3]) } as never)).toThrow(/normalize: out is not supported/);
  });
});
