import { describe, expect, it } from 'vitest';
import {
  tensor, randn, randperm, ones, Generator, gradcheck, gradgradcheck, conv2d, maxPool2d, avgPool2d,
  ShapeError, ValueError, DTypeError, type Tensor,
} from '@tapegrad/core';

type Pair = [number, number];
const f64 = (shape: number[], seed = 1, requiresGrad = true) =>
  randn(shape, { dtype: 'float64', requiresGrad, generator: new Generator(seed) });
const values = (t: Tensor) => Array.from(t.detach().data as ArrayLike<number>);

/** Distinct values (no ties for max pooling), at least 1/n apart, in random order. */
function distinct(shape: number[], seed: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return randperm(n, { generator: new Generator(seed) }).to('float64').div(n).reshape(shape).detach().requiresGrad_();
}

/** Naive cross-correlation with zero padding, groups, stride and dilation: the 7-loop definition. */
function refConv(x: Tensor, w: Tensor, b: Tensor | null, s: Pair, p: Pair, d: Pair, groups: number) {
  const xs = x.detach().toArray() as number[][][][];
  const ws = w.detach().toArray() as number[][][][];
  const bs = b ? (b.detach().toArray() as number[]) : null;
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [O, Cg, kH, kW] = w.shape as [number, number, number, number];
  const Ho = Math.floor((H + 2 * p[0] - d[0] * (kH - 1) - 1) / s[0]) + 1;
  const Wo = Math.floor((W + 2 * p[1] - d[1] * (kW - 1) - 1) / s[1]) + 1;
  const Og = O / groups;
  const out: number[] = [];
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < Ho; i++)
        for (let j = 0; j < Wo; j++) {
          let acc = bs ? bs[o]! : 0;
          const g = Math.floor(o / Og);
          for (let c = 0; c < Cg; c++)
            for (let kh = 0; kh < kH; kh++)
              for (let kw = 0; kw < kW; kw++) {
                const h = i * s[0] - p[0] + kh * d[0];
                const ww = j * s[1] - p[1] + kw * d[1];
                if (h >= 0 && h < H && ww >= 0 && ww < W) acc += ws[o]![c]![kh]![kw]! * xs[n]![g * Cg + c]![h]![ww]!;
              }
          out.push(acc);
        }
  expect(C).toBe(Cg * groups);
  return { shape: [N, O, Ho, Wo], values: out };
}

/** Naive pooling: max over valid window positions (padding skipped), or sum / (kH kW). */
function refPool(kind: 'max' | 'avg', x: Tensor, k: Pair, s: Pair, p: Pair, d: Pair = [1, 1]) {
  const xs = x.detach().toArray() as number[][][][];
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const Ho = Math.floor((H + 2 * p[0] - d[0] * (k[0] - 1) - 1) / s[0]) + 1;
  const Wo = Math.floor((W + 2 * p[1] - d[1] * (k[1] - 1) - 1) / s[1]) + 1;
  const out: number[] = [];
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < Ho; i++)
        for (let j = 0; j < Wo; j++) {
          const window: number[] = [];
          for (let a = 0; a < k[0]; a++)
            for (let b = 0; b < k[1]; b++) {
              const h = i * s[0] - p[0] + a * d[0];
              const w = j * s[1] - p[1] + b * d[1];
              if (h >= 0 && h < H && w >= 0 && w < W) window.push(xs[n]![c]![h]![w]!);
            }
          out.push(kind === 'max' ? Math.max(...window) : window.reduce((u, v) => u + v, 0) / (k[0] * k[1]));
        }
  return { shape: [N, C, Ho, Wo], values: out };
}

interface ConvCase {
  name: string;
  x: number[];
  w: number[];
  bias: boolean;
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  groups?: number;
}

const convCases: ConvCase[] = [
  { name: 'stride 2, padding 1, dilation 2, groups 2, with bias', x: [2, 4, 7, 6], w: [6, 2, 3, 3], bias: true, stride: [2, 2], padding: [1, 1], dilation: [2, 2], groups: 2 },
  { name: 'stride 2, padding 1, dilation 2, groups 2, no bias', x: [2, 4, 7, 6], w: [6, 2, 3, 3], bias: false, stride: [2, 2], padding: [1, 1], dilation: [2, 2], groups: 2 },
  { name: 'odd sizes, non-square kernel, stride [2,1], padding [0,2]', x: [1, 3, 5, 7], w: [2, 3, 2, 3], bias: true, stride: [2, 1], padding: [0, 2] },
  { name: 'defaults (stride 1, no padding)', x: [2, 2, 4, 5], w: [3, 2, 3, 2], bias: false },
  { name: 'a 1x1 kernel (pointwise)', x: [2, 3, 4, 5], w: [4, 3, 1, 1], bias: true },
  { name: 'depthwise (groups = channels)', x: [1, 4, 5, 5], w: [8, 1, 3, 3], bias: true, padding: [1, 1], groups: 4 },
];

function runConv(c: ConvCase, x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  return conv2d(x, w, b, { stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups });
}

describe('conv2d', () => {
  for (const c of convCases) {
    it(`matches the naive 7-loop definition: ${c.name}`, () => {
      const x = f64(c.x, 1, false);
      const w = f64(c.w, 2, false);
      const b = c.bias ? f64([c.w[0]!], 3, false) : null;
      const out = runConv(c, x, w, b);
      const ref = refConv(x, w, b, c.stride ?? [1, 1], c.padding ?? [0, 0], c.dilation ?? [1, 1], c.groups ?? 1);
      expect(out.shape).toEqual(ref.shape);
      expect(values(out)).toBeAllClose(ref.values, { rtol: 1e-10, atol: 1e-12 });
    });
  }

  it('computes float32 convolutions close to the float64 reference', () => {
    const x = randn([2, 3, 6, 6], { generator: new Generator(4) });
    const w = randn([4, 3, 3, 3], { generator: new Generator(5) });
    const out = conv2d(x, w, null, { padding: 1, stride: 2 });
    expect(out.dtype).toBe('float32');
    expect(values(out)).toBeAllClose(refConv(x, w, null, [2, 2], [1, 1], [1, 1], 1).values, { rtol: 1e-5, atol: 1e-5 });
  });

  it('accepts an unbatched [C, H, W] input and returns [O, Ho, Wo]', () => {
    const x = f64([2, 5, 5], 1, false);
    const w = f64([3, 2, 3, 3], 2, false);
    const out = conv2d(x, w, null, { padding: 1 });
    expect(out.shape).toEqual([3, 5, 5]);
    expect(values(out)).toBeAllClose(refConv(x.reshape([1, 2, 5, 5]), w, null, [1, 1], [1, 1], [1, 1], 1).values);
  });

  it('reads non-contiguous inputs correctly', () => {
    const x = f64([2, 3, 6, 5], 1, false).transpose(2, 3); // [2, 3, 5, 6], strided
    const w = f64([4, 3, 3, 2], 2, false).transpose(2, 3); // [4, 3, 2, 3]
    const out = conv2d(x, w, null, { padding: 1 });
    const ref = refConv(x, w, null, [1, 1], [1, 1], [1, 1], 1);
    expect(out.shape).toEqual(ref.shape);
    expect(values(out)).toBeAllClose(ref.values, { rtol: 1e-10 });
  });

  it('has gradients for x, weight and bias that match finite differences (groups 2, stride 2, padding 1)', () => {
    const opts = { stride: 2, padding: 1, groups: 2 };
    gradcheck((x, w, b) => conv2d(x!, w!, b!, opts), [f64([2, 4, 5, 5], 1), f64([6, 2, 3, 3], 2), f64([6], 3)]);
  });

  it('has gradients that match finite differences with dilation, uneven coverage and a 1x1 kernel', () => {
    // stride 2 over width 6 leaves the last column unused: its gradient must be 0
    gradcheck((x, w) => conv2d(x!, w!, null, { dilation: [2, 1], stride: [1, 2], padding: [1, 0] }), [f64([1, 2, 5, 6], 4), f64([2, 2, 2, 3], 5)]);
    gradcheck((x, w, b) => conv2d(x!, w!, b!), [f64([2, 3, 2, 3], 6), f64([2, 3, 1, 1], 7), f64([2], 8)]);
  });

  it('has second derivatives that match finite differences', () => {
    const opts = { stride: 2, padding: 1, groups: 2 };
    gradgradcheck((x, w, b) => conv2d(x!, w!, b!, opts), [f64([1, 2, 4, 4], 1), f64([4, 1, 3, 3], 2), f64([4], 3)]);
    gradgradcheck((x, w) => conv2d(x!, w!, null, { dilation: 2 }), [f64([1, 1, 5, 5], 4), f64([2, 1, 2, 2], 5)]);
  });

  it('sends no gradient to an input that does not require one', () => {
    const x = f64([1, 2, 4, 4], 1, false);
    const w = f64([3, 2, 3, 3], 2);
    conv2d(x, w).sum().backward();
    expect(x.grad).toBeNull();
    // d sum(out) / d w[o, c, p, q] = sum over the output positions of the input pixel under tap (p, q)
    const xs = x.toArray() as number[][][][];
    let s = 0;
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) s += xs[0]![1]![i + 2]![j]!;
    expect((w.grad!.toArray() as number[][][][])[0]![1]![2]![0]).toBeCloseTo(s, 10);
  });

  it('throws when the channels do not match the weight, naming shapes and groups', () => {
    expect(() => conv2d(randn([1, 3, 5, 5]), randn([2, 6, 3, 3]))).toThrow(ShapeError);
    expect(() => conv2d(randn([1, 3, 5, 5]), randn([2, 6, 3, 3]))).toThrow(
      'conv2d: input has 3 channels but weight expects 6 (groups=1), x.shape=[1,3,5,5], weight.shape=[2,6,3,3]',
    );
    expect(() => conv2d(randn([1, 4, 5, 5]), randn([3, 2, 3, 3]), null, { groups: 2 })).toThrow(
      'conv2d: 3 output channels are not divisible by groups=2, x.shape=[1,4,5,5], weight.shape=[3,2,3,3]',
    );
  });

  it('throws for inputs and weights of the wrong rank', () => {
    expect(() => conv2d(randn([5, 5]), randn([2, 1, 3, 3]))).toThrow(/conv2d: expected a 3-D .* or 4-D .*x\.shape=\[5,5\]/);
    expect(() => conv2d(randn([1, 1, 5, 5]), randn([2, 1, 3]))).toThrow(/conv2d: expected a 4-D weight .*weight\.shape=\[2,1,3\]/);
  });

  it('throws when the output would be empty, naming the sizes', () => {
    expect(() => conv2d(randn([1, 1, 3, 3]), randn([1, 1, 5, 5]))).toThrow(/conv2d: output size \[-1,-1\] is too small: input \[3,3\].*kernel \[5,5\]/);
  });

  it('throws for bad options and a bias of the wrong shape', () => {
    const x = randn([1, 2, 5, 5]);
    const w = randn([4, 2, 3, 3]);
    expect(() => conv2d(x, w, null, { stride: 0 })).toThrow(ValueError);
    expect(() => conv2d(x, w, null, { stride: 0 })).toThrow('conv2d: stride must be an integer >= 1, got 0');
    expect(() => conv2d(x, w, null, { padding: [-1, 0] })).toThrow('conv2d: padding must be two integers >= 0, got [-1,0]');
    expect(() => conv2d(x, w, null, { groups: 0 })).toThrow('conv2d: groups must be an integer >= 1, got 0');
    expect(() => conv2d(x, w, randn([3]))).toThrow(/conv2d: bias must have shape \[4\].*bias\.shape=\[3\]/);
  });

  it('throws for integer tensors', () => {
    const x = ones([1, 1, 3, 3], { dtype: 'int32' });
    expect(() => conv2d(x, ones([1, 1, 2, 2], { dtype: 'int32' }))).toThrow(DTypeError);
  });
});

describe('maxPool2d', () => {
  // gx: a smaller input for gradcheck
  const poolCases: Array<{ name: string; x: number[]; gx: number[]; k: Pair; s?: Pair; p?: Pair; d?: Pair }> = [
    { name: 'kernel 2 (stride defaults to the kernel)', x: [2, 2, 4, 6], gx: [2, 1, 4, 4], k: [2, 2] },
    { name: 'kernel 3, stride 2, padding 1, odd sizes', x: [1, 3, 7, 5], gx: [1, 2, 5, 3], k: [3, 3], s: [2, 2], p: [1, 1] },
    { name: 'kernel [2,3], stride [1,2], dilation 2', x: [1, 2, 6, 7], gx: [1, 1, 5, 6], k: [2, 3], s: [1, 2], d: [2, 2] },
  ];

  for (const c of poolCases) {
    it(`matches the naive window maximum: ${c.name}`, () => {
      const x = f64(c.x, 1, false);
      const out = maxPool2d(x, c.k, { stride: c.s, padding: c.p, dilation: c.d });
      const ref = refPool('max', x, c.k, c.s ?? c.k, c.p ?? [0, 0], c.d ?? [1, 1]);
      expect(out.shape).toEqual(ref.shape);
      expect(values(out)).toEqual(ref.values);
    });

    it(`has gradients that match finite differences: ${c.name}`, () => {
      gradcheck((x) => maxPool2d(x!, c.k, { stride: c.s, padding: c.p, dilation: c.d }), [distinct(c.gx, 2)]);
    });
  }

  it('sends each window gradient to its first maximum on ties and adds up where windows overlap', () => {
    const x = ones([1, 1, 3, 3], { dtype: 'float64', requiresGrad: true });
    maxPool2d(x, 2, { stride: 1 }).sum().backward();
    // windows start at (0,0), (0,1), (1,0), (1,1): each picks its top-left element
    expect(x.grad!).toBeAllClose([[[[1, 1, 0], [1, 1, 0], [0, 0, 0]]]]);
  });

  it('has second derivatives that match finite differences', () => {
    // max pooling is piecewise linear: square it so that the gradient depends on x
    gradgradcheck((x) => maxPool2d(x!, 3, { stride: 2, padding: 1 }).mul(maxPool2d(x!, 3, { stride: 2, padding: 1 })), [distinct([1, 2, 4, 4], 3)]);
  });

  it('accepts an unbatched [C, H, W] input', () => {
    const x = f64([2, 4, 4], 1, false);
    const out = maxPool2d(x, 2);
    expect(out.shape).toEqual([2, 2, 2]);
    expect(values(out)).toEqual(refPool('max', x.reshape([1, 2, 4, 4]), [2, 2], [2, 2], [0, 0]).values);
  });

  it('throws for a padding larger than half the kernel', () => {
    expect(() => maxPool2d(randn([1, 1, 5, 5]), 3, { padding: 2 })).toThrow(ValueError);
    expect(() => maxPool2d(randn([1, 1, 5, 5]), 3, { padding: 2 })).toThrow(
      'maxPool2d: padding [2,2] must be at most half the kernel size [3,3], x.shape=[1,1,5,5]',
    );
  });

  it('throws for inputs of the wrong rank and windows larger than the input', () => {
    expect(() => maxPool2d(randn([4, 4]), 2)).toThrow('maxPool2d: expected a 3-D [C,H,W] or 4-D [N,C,H,W] input, got x.shape=[4,4]');
    expect(() => maxPool2d(randn([1, 1, 2, 2]), 3)).toThrow(/maxPool2d: output size \[0,0\] is too small: input \[2,2\], kernel \[3,3\]/);
    expect(() => maxPool2d(randn([1, 1, 4, 4]), 0)).toThrow('maxPool2d: kernelSize must be an integer >= 1, got 0');
  });
});

describe('avgPool2d', () => {
  const poolCases: Array<{ name: string; x: number[]; k: Pair; s?: Pair; p?: Pair }> = [
    { name: 'kernel 2 (stride defaults to the kernel)', x: [2, 2, 4, 6], k: [2, 2] },
    { name: 'kernel 3, stride 2, padding 1 (padding counted in the divisor)', x: [1, 3, 7, 5], k: [3, 3], s: [2, 2], p: [1, 1] },
    { name: 'kernel [2,3], stride [1,2], padding [1,0]', x: [1, 2, 5, 7], k: [2, 3], s: [1, 2], p: [1, 0] },
  ];

  for (const c of poolCases) {
    it(`matches the naive window mean: ${c.name}`, () => {
      const x = f64(c.x, 1, false);
      const out = avgPool2d(x, c.k, { stride: c.s, padding: c.p });
      const ref = refPool('avg', x, c.k, c.s ?? c.k, c.p ?? [0, 0]);
      expect(out.shape).toEqual(ref.shape);
      expect(values(out)).toBeAllClose(ref.values, { rtol: 1e-12 });
    });

    it(`has gradients that match finite differences: ${c.name}`, () => {
      gradcheck((x) => avgPool2d(x!, c.k, { stride: c.s, padding: c.p }), [f64(c.x.map((n) => Math.min(n, 5)), 2)]);
    });
  }

  it('has second derivatives that match finite differences', () => {
    // average pooling is linear: scale by a function of x so that the gradient depends on x
    gradgradcheck((x) => avgPool2d(x!, 3, { stride: 2, padding: 1 }).mul(x!.sum()), [f64([1, 1, 4, 4], 3)]);
  });

  it('accepts an unbatched [C, H, W] input', () => {
    const x = tensor([[[1, 2], [3, 4]]]);
    expect(avgPool2d(x, 2)).toBeAllClose([[[2.5]]]);
  });

  it('throws for a dilation, a padding larger than half the kernel, and integer inputs', () => {
    expect(() => avgPool2d(randn([1, 1, 5, 5]), 2, { dilation: 2 })).toThrow('avgPool2d: dilation must be 1 (average pooling has no dilation), got 2');
    expect(() => avgPool2d(randn([1, 1, 5, 5]), 2, { padding: 2 })).toThrow(
      'avgPool2d: padding [2,2] must be at most half the kernel size [2,2], x.shape=[1,1,5,5]',
    );
    expect(() => avgPool2d(ones([1, 1, 4, 4], { dtype: 'int32' }), 2)).toThrow(DTypeError);
  });
});
