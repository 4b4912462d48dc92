import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, ValueError, arange, gradcheck, gradgradcheck, ones, randn, tensor, zeros, type Tensor } from '@tapegrad/core';
import {
  AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d, F,
  PixelShuffle, PixelUnshuffle, Upsample, MaxPool1d, AvgPool1d, CosineSimilarity, PairwiseDistance, Dropout1d, Dropout2d, Fold, Unfold, Unflatten,
} from '@tapegrad/nn';
import '../../../test/matchers.js';

const f64 = (shape: number[], seed: number): Tensor => randn(shape, { dtype: 'float64', generator: new Generator(seed), requiresGrad: true });

/** The transposed convolution by its definition: each input pixel scatters weight * value into the output. */
function convTransposeReference(x: Tensor, w: Tensor, s: number[], p: number[], op: number[], d: number[], groups: number): number[][][][] {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [, Og, kH, kW] = w.shape as [number, number, number, number];
  const Ho = (H - 1) * s[0]! - 2 * p[0]! + d[0]! * (kH - 1) + op[0]! + 1;
  const Wo = (W - 1) * s[1]! - 2 * p[1]! + d[1]! * (kW - 1) + op[1]! + 1;
  const xa = x.toArray() as number[][][][], wa = w.toArray() as number[][][][];
  const out = Array.from({ length: N }, () => Array.from({ length: Og * groups }, () => Array.from({ length: Ho }, () => Array<number>(Wo).fill(0))));
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++) {
      const g = Math.floor(c / (C / groups));
      for (let o = 0; o < Og; o++)
        for (let i = 0; i < H; i++)
          for (let j = 0; j < W; j++)
            for (let a = 0; a < kH; a++)
              for (let b = 0; b < kW; b++) {
                const oi = i * s[0]! - p[0]! + a * d[0]!, oj = j * s[1]! - p[1]! + b * d[1]!;
                if (oi >= 0 && oi < Ho && oj >= 0 && oj < Wo) out[n]![g * Og + o]![oi]![oj]! += xa[n]![c]![i]![j]! * wa[c]![o]![a]![b]!;
              }
    }
  return out;
}

describe('convTranspose2d', () => {
  it('equals the scatter definition with stride, padding, outputPadding, dilation and groups', () => {
    const x = f64([2, 4, 3, 4], 1), w = f64([4, 3, 3, 2], 2);
    const opts = { stride: [2, 3], padding: [1, 2], outputPadding: [1, 0], dilation: [1, 2], groups: 2 };
    const y = F.convTranspose2d(x, w, null, opts);
    expect(y.shape).toEqual([2, 6, 6, 8]);
    expect(y).toBeAllClose(tensor(convTransposeReference(x, w, [2, 3], [1, 2], [1, 0], [1, 2], 2), { dtype: 'float64' }), { rtol: 1e-12, atol: 1e-12 });
  });

  it('is the adjoint of conv2d: <convTranspose2d(y, w), x> = <y, conv2d(x, w)>', () => {
    const x = f64([1, 2, 7, 7], 3), w = f64([3, 2, 3, 3], 4), y = f64([1, 3, 3, 3], 5);
    const lhs = F.convTranspose2d(y, w, null, { stride: 2 }).mul(x).sum().item();
    const rhs = F.conv2d(x, w, null, { stride: 2 }).mul(y).sum().item();
    expect(lhs).toBeCloseTo(rhs, 10);
  });

  it('passes gradcheck and gradgradcheck in float64 for input, weight and bias', () => {
    const x = f64([1, 2, 3, 3], 6), w = f64([2, 2, 2, 3], 7), b = f64([4], 8);
    const fn = (xx: Tensor, ww: Tensor, bb: Tensor) => F.convTranspose2d(xx, ww, bb, { stride: 2, padding: 1, outputPadding: 1, groups: 2, dilation: [2, 1] });
    expect(gradcheck(fn, [x, w, b]).ok).toBe(true);
    expect(gradgradcheck(fn, [x, w, b]).ok).toBe(true);
  });

  it('takes an unbatched input', () => {
    expect(F.convTranspose2d(ones([3, 4, 4]), ones([3, 2, 2, 2]), null, { stride: 2 }).shape).toEqual([2, 8, 8]);
  });

  it('names the function and shapes in its errors', () => {
    expect(() => F.convTranspose2d(ones([1, 3, 4, 4]), ones([2, 2, 2, 2]))).toThrow(ShapeError);
    expect(() => F.convTranspose2d(ones([1, 3, 4, 4]), ones([2, 2, 2, 2]))).toThrow(/^convTranspose2d: input has 3 channels but weight has 2/);
    expect(() => F.convTranspose2d(ones([1, 2, 4, 4]), ones([2, 2, 2, 2]), null, { stride: 2, outputPadding: 2 })).toThrow(
      /convTranspose2d: outputPadding \[2,2\] must be smaller than either stride \[2,2\] or dilation \[1,1\]/,
    );
    expect(() => F.convTranspose2d(ones([1, 2, 4, 4]), ones([2, 2, 2, 2]), ones([3]))).toThrow(/bias must have shape \[2\]/);
    expect(() => F.convTranspose2d(ones([1, 2, 4, 4]), ones([2, 2, 2, 2]), null, { outputPadding: 1, ceil: 1 } as never)).toThrow(/^convTranspose2d: unknown option 'ceil'/);
  });
});

describe('ConvTranspose2d', () => {
  it('has PyTorch weight shape and init bound 1/sqrt(C_out/groups * kH * kW)', () => {
    const m = new ConvTranspose2d(4, 6, [3, 2], { groups: 2, generator: new Generator(0) });
    expect(m.weight.shape).toEqual([4, 3, 3, 2]);
    expect(m.bias!.shape).toEqual([6]);
    const bound = 1 / Math.sqrt(3 * 3 * 2);
    expect(m.weight.abs().max().item()).toBeLessThanOrEqual(bound);
    expect(m.bias!.abs().max().item()).toBeLessThanOrEqual(bound);
    expect(m.weight.abs().max().item()).toBeGreaterThan(bound * 0.5);
  });

  it('upsamples by its stride and refuses paddingMode other than zeros', () => {
    expect(new ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1, outputPadding: 1 }).call(zeros([1, 2, 5, 5])).shape).toEqual([1, 3, 10, 10]);
    expect(() => new ConvTranspose2d(2, 3, 3, { paddingMode: 'reflect' } as never)).toThrow(/ConvTranspose2d: paddingMode is only 'zeros'/);
    expect(() => new ConvTranspose2d(2, 3, 3, { stride: 2, outputPadding: 2 })).toThrow(ValueError);
    expect(() => new ConvTranspose2d(3, 4, 3, { groups: 2 })).toThrow(/must both be divisible by groups=2/);
  });
});

describe('ConvTranspose1d and Conv1d', () => {
  it('ConvTranspose1d matches ConvTranspose2d over a size-1 height', () => {
    const x = f64([2, 4, 5], 9), w = f64([4, 2, 3], 10);
    const y1 = F.convTranspose1d(x, w, null, { stride: 2, padding: 1, outputPadding: 1, groups: 2 });
    const y2 = F.convTranspose2d(x.unsqueeze(2), w.unsqueeze(2), null, { stride: [1, 2], padding: [0, 1], outputPadding: [0, 1], groups: 2 });
    expect(y1).toBeAllClose(y2.squeeze(2));
    expect(new ConvTranspose1d(4, 2, 4, { stride: 2, padding: 1 }).call(zeros([3, 4, 10])).shape).toEqual([3, 2, 20]);
  });

  it('Conv1d slides the kernel along the sequence', () => {
    const x = tensor([[[1, 2, 3, 4, 5]]], { dtype: 'float64' });
    const w = tensor([[[1, 0, -1]]], { dtype: 'float64' });
    expect(F.conv1d(x, w).toArray()).toEqual([[[-2, -2, -2]]]);
    expect(F.conv1d(x, w, null, { padding: 'same' }).toArray()).toEqual([[[-2, -2, -2, -2, 4]]]);
    expect(F.conv1d(x, w, null, { stride: 2, padding: 1 }).toArray()).toEqual([[[-2, -2, 4]]]);
  });

  it('Conv1d passes gradcheck with reflect padding', () => {
    const m = new Conv1d(2, 3, 3, { padding: 2, paddingMode: 'reflect', dtype: 'float64', generator: new Generator(1) });
    expect(gradcheck((xx) => m.call(xx), [f64([1, 2, 6], 11), m.weight, m.bias!]).ok).toBe(true);
  });

  it('Conv1d validates its arguments', () => {
    expect(() => new Conv1d(2, 3, 3, { padding: 'same', stride: 2 })).toThrow(/Conv1d: padding='same' needs stride 1/);
    expect(() => F.conv1d(ones([1, 2, 4, 4]), ones([3, 2, 3]))).toThrow(/^conv1d: expected a 2-D \[C, L\] or 3-D \[N, C, L\] input/);
    expect(() => new Conv1d(2, 3, 3, { paddingMode: 'mirror' } as never)).toThrow(/Conv1d: option paddingMode must be/);
  });
});

describe('Conv2d padding modes', () => {
  it("'same' with an even kernel pads the extra row and column at the end", () => {
    const m = new Conv2d(1, 1, 2, { padding: 'same', bias: false });
    m.weight.detach().copy_(ones([1, 1, 2, 2]));
    const x = arange(9, { dtype: 'float32' }).reshape([1, 1, 3, 3]);
    expect(m.call(x).toArray()).toEqual([[[[8, 12, 7], [20, 24, 13], [13, 15, 8]]]]);
  });

  it('circular padding wraps the image around', () => {
    const m = new Conv2d(1, 1, 3, { padding: 1, paddingMode: 'circular', bias: false });
    m.weight.detach().copy_(ones([1, 1, 3, 3]));
    expect(m.call(ones([1, 1, 4, 4])).toArray()).toEqual([[Array(4).fill(Array(4).fill(9))]]);
  });

  it('reflect padding passes gradcheck', () => {
    const m = new Conv2d(2, 2, 3, { padding: 'same', paddingMode: 'reflect', dtype: 'float64', generator: new Generator(2) });
    expect(gradcheck((xx) => m.call(xx), [f64([1, 2, 4, 4], 12), m.weight, m.bias!]).ok).toBe(true);
  });
});

describe('pad', () => {
  it('pads in each mode as documented', () => {
    const x = tensor([1, 2, 3]);
    expect(F.pad(x, [2, 1]).toArray()).toEqual([0, 0, 1, 2, 3, 0]);
    expect(F.pad(x, [2, 1], { value: 7 }).toArray()).toEqual([7, 7, 1, 2, 3, 7]);
    expect(F.pad(x, [2, 1], { mode: 'reflect' }).toArray()).toEqual([3, 2, 1, 2, 3, 2]);
    expect(F.pad(x, [2, 1], { mode: 'replicate' }).toArray()).toEqual([1, 1, 1, 2, 3, 3]);
    expect(F.pad(x, [2, 1], { mode: 'circular' }).toArray()).toEqual([2, 3, 1, 2, 3, 1]);
    expect(F.pad(x, [-1, 0]).toArray()).toEqual([2, 3]);
    expect(F.pad(ones([2, 3]), [0, 0, 1, 1]).shape).toEqual([4, 3]);
  });

  it('passes gradcheck in every mode', () => {
    for (const mode of ['constant', 'reflect', 'replicate', 'circular'] as const)
      expect(gradcheck((xx) => F.pad(xx, [1, 2, 2, -1], { mode }), [f64([2, 3, 4], 13)]).ok).toBe(true);
  });

  it('names the problem in its errors', () => {
    expect(() => F.pad(ones([3]), [1])).toThrow(/^pad: padding must be an even number of integers, got \[1\]/);
    expect(() => F.pad(ones([3]), [1, 1, 1, 1])).toThrow(/^pad: padding \[1,1,1,1\] pads 2 dims but input.shape=\[3\] has 1/);
    expect(() => F.pad(ones([3]), [3, 0], { mode: 'reflect' })).toThrow(/^pad: reflect padding \[3,0\] must be below the size 3 of dim 0/);
    expect(() => F.pad(ones([3]), [4, 0], { mode: 'circular' })).toThrow(/^pad: circular padding/);
    expect(() => F.pad(ones([3]), [-2, -2])).toThrow(/^pad: padding \[-2,-2\] makes dim 0/);
    expect(() => F.pad(ones([3]), [1, 1], { mode: 'wrap' } as never)).toThrow(/^pad: option mode must be/);
  });
});

describe('adaptive pools', () => {
  it('average and max over PyTorch windows [floor(i L / out), ceil((i + 1) L / out))', () => {
    const x = tensor([[[1, 5, 3, 4, 2]]], { dtype: 'float64' });
    // windows of 5 -> 3: [0, 2), [1, 4), [3, 5)
    expect(F.adaptiveAvgPool1d(x, 3)).toBeAllClose(tensor([[[3, 4, 3]]], { dtype: 'float64' }));
    expect(F.adaptiveMaxPool1d(x, 3).toArray()).toEqual([[[5, 5, 4]]]);
    expect(F.adaptiveAvgPool2d(randn([2, 3, 7, 9]), [2, null]).shape).toEqual([2, 3, 2, 9]);
  });

  it('pass gradcheck', () => {
    expect(gradcheck((xx) => F.adaptiveAvgPool2d(xx, [3, 2]), [f64([1, 2, 5, 4], 20)]).ok).toBe(true);
    expect(gradcheck((xx) => F.adaptiveMaxPool2d(xx, [2, 3]), [f64([1, 2, 5, 4], 21)]).ok).toBe(true);
  });

  it('name the problem in their errors', () => {
    expect(() => F.adaptiveAvgPool2d(ones([4, 4]), 2)).toThrow(/^adaptiveAvgPool2d: expected a 3-D or 4-D input, got input.shape=\[4,4\]/);
    expect(() => F.adaptiveMaxPool1d(ones([1, 4]), -1)).toThrow(/^adaptiveMaxPool1d: outputSize must be integers >= 0/);
  });
});

describe('interpolate', () => {
  it('uses PyTorch source indices in each mode', () => {
    const x = tensor([[[1, 2, 4]]], { dtype: 'float64' });
    expect(F.interpolate(x, { size: 5 }).toArray()).toEqual([[[1, 1, 2, 2, 4]]]);
    expect(F.interpolate(x, { size: 5, mode: 'linear', alignCorners: true })).toBeAllClose(tensor([[[1, 1.5, 2, 3, 4]]], { dtype: 'float64' }));
    expect(F.interpolate(x, { scaleFactor: 2, mode: 'linear' })).toBeAllClose(tensor([[[1, 1.25, 1.75, 2.5, 3.5, 4]]], { dtype: 'float64' }));
    expect(F.interpolate(x, { size: 1, mode: 'area' })).toBeAllClose(tensor([[[7 / 3]]], { dtype: 'float64' }));
    expect(F.interpolate(randn([1, 2, 3, 4]), { scaleFactor: [2, 0.5], mode: 'bilinear' }).shape).toEqual([1, 2, 6, 2]);
  });

  it('passes gradcheck in the linear modes', () => {
    expect(gradcheck((xx) => F.interpolate(xx, { size: [5, 3], mode: 'bilinear' }), [f64([1, 2, 3, 4], 22)]).ok).toBe(true);
    expect(gradcheck((xx) => F.interpolate(xx, { size: 7, mode: 'linear', alignCorners: true }), [f64([1, 2, 4], 23)]).ok).toBe(true);
    expect(gradcheck((xx) => F.interpolate(xx, { scaleFactor: 1.5, mode: 'bicubic' }), [f64([1, 1, 3, 4], 24)]).ok).toBe(true);
  });

  it('refuses options that do not fit', () => {
    expect(() => F.interpolate(ones([1, 1, 4]), {})).toThrow(/^interpolate: give exactly one of size and scaleFactor/);
    expect(() => F.interpolate(ones([1, 1, 4]), { size: 8, mode: 'bilinear' })).toThrow(/^interpolate: mode 'bilinear' needs a 4-D input/);
    expect(() => F.interpolate(ones([1, 1, 4]), { size: 8, alignCorners: true })).toThrow(/^interpolate: alignCorners can only be set with the linear modes/);
    expect(() => F.interpolate(ones([1, 1, 4]), { size: 8, mode: 'trilinear' } as never)).toThrow(/^interpolate: option mode must be/);
    expect(() => F.interpolate(ones([1, 1, 4]), { size: 8, mode: 'bicubic' })).toThrow(/^interpolate: mode 'bicubic' needs a 4-D input/);
  });
});

describe('resampling layers', () => {
  it('pixelUnshuffle inverts pixelShuffle, and both check their shapes', () => {
    const x = randn([2, 8, 3, 5]);
    expect(F.pixelUnshuffle(F.pixelShuffle(x, 2), 2).toArray()).toEqual(x.toArray());
    expect(new PixelShuffle(2).call(x).shape).toEqual([2, 2, 6, 10]);
    expect(new PixelUnshuffle(2).call(zeros([1, 1, 4, 6])).shape).toEqual([1, 4, 2, 3]);
    expect(() => F.pixelShuffle(ones([1, 3, 2, 2]), 2)).toThrow(/^pixelShuffle: expected \[\*, C r\^2, H, W\] with channels divisible by 4, got input.shape=\[1,3,2,2\]/);
    expect(() => F.pixelUnshuffle(ones([1, 1, 3, 2]), 2)).toThrow(/^pixelUnshuffle: expected/);
  });

  it('the adaptive pool and Upsample modules call their functions', () => {
    const x = randn([2, 3, 7, 6]);
    expect(new AdaptiveAvgPool2d([2, 3]).call(x).toArray()).toEqual(F.adaptiveAvgPool2d(x, [2, 3]).toArray());
    expect(new AdaptiveMaxPool2d(2).call(x).toArray()).toEqual(F.adaptiveMaxPool2d(x, 2).toArray());
    expect(new AdaptiveAvgPool1d(3).call(x.flatten(2)).shape).toEqual([2, 3, 3]);
    expect(new AdaptiveMaxPool1d(3).call(x.flatten(2)).shape).toEqual([2, 3, 3]);
    const up = new Upsample({ scaleFactor: 2, mode: 'bilinear', alignCorners: true });
    expect(up.call(x).toArray()).toEqual(F.interpolate(x, { scaleFactor: 2, mode: 'bilinear', alignCorners: true }).toArray());
    expect(() => new Upsample({ scale: 2 } as never)).toThrow(/^Upsample: unknown option 'scale'/);
    expect(() => new AdaptiveAvgPool2d([2] as never)).toThrow(/^AdaptiveAvgPool2d: outputSize must be an integer >= 0 or 2 of them/);
    expect(() => new AdaptiveMaxPool1d(1.5)).toThrow(/^AdaptiveMaxPool1d: outputSize must be an integer >= 0, got 1.5/);
    expect(() => new PixelShuffle(0)).toThrow(/^PixelShuffle: upscaleFactor must be an integer >= 1, got 0/);
  });
});

describe('1-D pools and distances', () => {
  it('maxPool1d and avgPool1d equal the 2-D pools over a size-1 height', () => {
    const x = f64([2, 3, 11], 30);
    expect(F.maxPool1d(x, 3, { stride: 2, padding: 1 })).toBeAllClose(F.maxPool2d(x.unsqueeze(2), [1, 3], { stride: [1, 2], padding: [0, 1] }).squeeze(2));
    expect(new AvgPool1d(2).call(tensor([[[1, 3, 2, 6, 9]]])).toArray()).toEqual([[[2, 4]]]);
    expect(new MaxPool1d(2, { stride: 1 }).call(tensor([[[1, 3, 2]]])).toArray()).toEqual([[[3, 3]]]);
    expect(() => new MaxPool1d(2, { padding: 2 })).toThrow(/^MaxPool1d: padding 2 must be at most half the kernel size 2/);
    expect(new AvgPool1d(2, { ceilMode: true }).call(tensor([[[1, 3, 2, 6, 9]]])).toArray()).toEqual([[[2, 4, 9]]]);
    expect(() => new AvgPool1d(2, { returnIndices: true } as never)).toThrow(/^AvgPool1d: unknown option 'returnIndices'/);
    expect(() => F.maxPool1d(ones([4]), 2)).toThrow(/^maxPool1d: expected a 2-D \[C, L\] or 3-D \[N, C, L\] input/);
  });

  it('cosineSimilarity and pairwiseDistance follow their formulas and pass gradcheck', () => {
    expect(new CosineSimilarity().call(tensor([[3, 4]]), tensor([[4, 3]])).item()).toBeCloseTo(24 / 25, 6);
    expect(new PairwiseDistance({ p: 1, eps: 0 }).call(tensor([[0, 0]]), tensor([[3, -4]])).toArray()).toEqual([7]);
    expect(gradcheck((a, b) => F.cosineSimilarity(a, b, { dim: -1 }), [f64([3, 4], 31), f64([3, 4], 32)]).ok).toBe(true);
    expect(gradcheck((a, b) => F.pairwiseDistance(a, b), [f64([3, 4], 33), f64([3, 4], 34)]).ok).toBe(true);
    expect(() => F.cosineSimilarity(ones([2, 3]), ones([2, 4]))).toThrow(/^cosineSimilarity: /);
    expect(() => F.cosineSimilarity(ones([2, 3]), ones([2, 3]), { dim: 2 })).toThrow(/^cosineSimilarity: dim 2 is out of range/);
  });
});

describe('Dropout1d and Dropout2d', () => {
  it('zero whole channels and scale the rest by 1 / (1 - p)', () => {
    const y = F.dropout2d(ones([8, 16, 3, 3], { dtype: 'float64' }), { p: 0.5, generator: new Generator(5) });
    const perChannel = y.reshape([8 * 16, 9]);
    const mx = perChannel.amax(1), mn = perChannel.amin(1);
    expect(mx.sub(mn).abs().max().item()).toBe(0);
    const vals = new Set(mx.toArray() as number[]);
    expect([...vals].sort()).toEqual([0, 2]);
    const y1 = new Dropout1d(0.5, { generator: new Generator(6) }).call(ones([4, 8, 5]));
    expect(new Set((y1.reshape([32, 5]).amax(1).sub(y1.reshape([32, 5]).amin(1))).toArray() as number[])).toEqual(new Set([0]));
  });

  it('are the identity in evaluation and check their input', () => {
    const x = randn([2, 3, 4, 4]);
    expect(new Dropout2d(0.5).eval().call(x)).toBe(x);
    expect(() => F.dropout2d(ones([4, 4]))).toThrow(/^dropout2d: expected a 3-D or 4-D input, got input.shape=\[4,4\]/);
    expect(() => new Dropout1d(1.5)).toThrow(/^Dropout1d: dropout probability has to be between 0 and 1/);
  });
});

describe('Fold, Unfold and Unflatten', () => {
  it('fold is the adjoint of unfold: <unfold(x), y> = <x, fold(y)>', () => {
    const x = f64([1, 2, 5, 6], 40), y = f64([1, 2 * 6, 6], 41);
    const o = { stride: 2, padding: 1, dilation: [1, 2] };
    const lhs = F.unfold(x, [2, 3], o).mul(y).sum().item();
    const rhs = x.mul(F.fold(y, [5, 6], [2, 3], o)).sum().item();
    expect(lhs).toBeCloseTo(rhs, 10);
    expect(new Unfold(2, { stride: 2 }).call(zeros([1, 3, 4, 4])).shape).toEqual([1, 12, 4]);
    expect(new Fold([4, 4], 2, { stride: 2 }).call(zeros([1, 12, 4])).shape).toEqual([1, 3, 4, 4]);
    expect(gradcheck((xx) => F.fold(xx, [4, 5], 3), [f64([1, 18, 6], 42)]).ok).toBe(true);
  });

  it('check their shapes', () => {
    expect(() => F.fold(ones([1, 10, 6]), [4, 5], 3)).toThrow(/^fold: input.shape=\[1,10,6\] must be \[N, C\*9, 6\]/);
    expect(() => F.unfold(ones([4, 4]), 2)).toThrow(/^unfold: expected a 3-D or 4-D input/);
  });

  it('Unflatten splits one dim', () => {
    expect(new Unflatten(-1, [2, -1]).call(zeros([3, 8])).shape).toEqual([3, 2, 4]);
    expect(() => new Unflatten(1, [2.5])).toThrow(/^Unflatten: unflattenedSize must be an array of integers >= -1/);
  });
});
