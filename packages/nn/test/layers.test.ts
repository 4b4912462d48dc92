import { describe, expect, it } from 'vitest';
import {
  Tensor, tensor, randn, zeros, ones, gradcheck, gradgradcheck, Generator, manualSeed, noGrad, setTracer, ShapeError, ValueError, DTypeError,
} from '@tapegrad/core';
import {
  Linear, Conv2d, MaxPool2d, AvgPool2d, Flatten, Dropout, BatchNorm1d, BatchNorm2d, Embedding, Identity, F,
} from '@tapegrad/nn';

const f64 = (shape: number[], seed = 1, requiresGrad = true) =>
  randn(shape, { dtype: 'float64', requiresGrad, generator: new Generator(seed) });

const values = (t: Tensor): number[] => Array.from(t.data as ArrayLike<number>);

function maxAbs(t: Tensor): number {
  return Math.max(...values(t).map(Math.abs));
}

describe('Linear', () => {
  it('keeps its parameters in pinned memory, where the wasm kernels read them without a copy', () => {
    const lin = new Linear(8, 4);
    expect(lin.weight.isPinned()).toBe(true);
    expect(lin.bias!.isPinned()).toBe(true);
    expect(new Conv2d(2, 3, 3).weight.isPinned()).toBe(true);
  });

  it('initialises weight and bias from U(-1/sqrt(inFeatures), 1/sqrt(inFeatures))', () => {
    const lin = new Linear(16, 400, { generator: new Generator(0) });
    expect(lin.weight.shape).toEqual([400, 16]);
    expect(lin.bias!.shape).toEqual([400]);
    expect(maxAbs(lin.weight)).toBeLessThanOrEqual(0.25);
    expect(maxAbs(lin.weight)).toBeGreaterThan(0.245);
    expect(maxAbs(lin.bias!)).toBeLessThanOrEqual(0.25);
    expect(maxAbs(lin.bias!)).toBeGreaterThan(0.24);
  });

  it('draws the same values from the same seed and new ones on resetParameters', () => {
    manualSeed(11);
    const a = new Linear(3, 2);
    manualSeed(11);
    const b = new Linear(3, 2);
    expect(a.weight.toArray()).toEqual(b.weight.toArray());
    const before = a.weight.toArray();
    a.resetParameters();
    expect(a.weight.toArray()).not.toEqual(before);
  });

  it('computes x W^T + b over extra leading dims', () => {
    const lin = new Linear(4, 3, { dtype: 'float64' });
    const x = f64([2, 3, 4], 2, false);
    const y = lin.call(x);
    expect(y.shape).toEqual([2, 3, 3]);
    const W = lin.weight.toArray() as number[][];
    const b = lin.bias!.toArray() as number[];
    const X = x.toArray() as number[][][];
    const ref = X.map((m) => m.map((row) => W.map((w, o) => w.reduce((s, wi, i) => s + wi * row[i]!, b[o]!))));
    expect(y).toBeAllClose(ref, { rtol: 1e-12, atol: 1e-12 });
  });

  it('runs one fused primitive when input, weight and bias share a float dtype, the composite otherwise and while a tracer records', () => {
    const lin = new Linear(4, 3, { generator: new Generator(5) });
    const x = randn([2, 4], { requiresGrad: true });
    const y = lin.call(x);
    expect(y.gradFn!.name).toBe('linear');
    expect(y).toBeAllClose(x.matmul(lin.weight.T).add(lin.bias!), { rtol: 1e-6, atol: 1e-6 });
    // float64 input into a float32 layer: the composite, which promotes
    expect(lin.call(x.double()).dtype).toBe('float64');
    expect(new Linear(4, 3, { bias: false }).call(x).gradFn!.name).not.toBe('linear');
    const seen: string[] = [];
    const prev = setTracer({ primitive: (name) => void seen.push(name) });
    try {
      F.linear(x, lin.weight, lin.bias);
    } finally {
      setTracer(prev);
    }
    expect(seen).not.toContain('linear');
  });

  it('passes gradcheck for the input, weight and bias', () => {
    const lin = new Linear(3, 2, { dtype: 'float64', generator: new Generator(3) });
    const x = f64([4, 3], 4);
    expect(gradcheck((xx) => lin.call(xx), [x, lin.weight, lin.bias!]).ok).toBe(true);
  });

  it('works without a bias and names the shapes on a mismatch', () => {
    const lin = new Linear(4, 2, { bias: false });
    expect(lin.bias).toBeNull();
    expect(lin.parameters().length).toBe(1);
    expect(() => lin.call(zeros([2, 5]))).toThrow(ShapeError);
    expect(() => lin.call(zeros([2, 5]))).toThrow(/linear: input.shape=\[2,5\] does not fit weight.shape=\[2,4\] \(5 != 4 input features\)/);
    expect(() => new Linear(-1, 2)).toThrow(/Linear: inFeatures must be a non-negative integer, got -1/);
  });

  it('accepts zero features, as PyTorch: with no inputs the output is the bias, here 0', () => {
    const lin = new Linear(0, 3);
    expect(lin.weight.shape).toEqual([3, 0]);
    expect(lin.call(zeros([2, 0]))).toBeAllClose([[0, 0, 0], [0, 0, 0]], { atol: 0 });
    expect(new Linear(3, 0).call(zeros([2, 3])).shape).toEqual([2, 0]);
  });
});

/** Direct convolution by loops, the reference for Conv2d. */
function convRef(x: number[][][][], w: number[][][][], b: number[], stride: number, pad: number, groups = 1): number[][][][] {
  const [N, C, H, W] = [x.length, x[0]!.length, x[0]![0]!.length, x[0]![0]![0]!.length];
  const [O, Cg, kH, kW] = [w.length, w[0]!.length, w[0]![0]!.length, w[0]![0]![0]!.length];
  const Ho = Math.floor((H + 2 * pad - kH) / stride) + 1;
  const Wo = Math.floor((W + 2 * pad - kW) / stride) + 1;
  const out: number[][][][] = [];
  for (let n = 0; n < N; n++) {
    out.push([]);
    for (let o = 0; o < O; o++) {
      const g = Math.floor(o / (O / groups));
      out[n]!.push([]);
      for (let i = 0; i < Ho; i++) {
        out[n]![o]!.push([]);
        for (let j = 0; j < Wo; j++) {
          let s = b[o] ?? 0;
          for (let c = 0; c < Cg; c++)
            for (let p = 0; p < kH; p++)
              for (let q = 0; q < kW; q++) {
                const r = i * stride + p - pad;
                const t = j * stride + q - pad;
                if (r >= 0 && r < H && t >= 0 && t < W) s += x[n]![g * Cg + c]![r]![t]! * w[o]![c]![p]![q]!;
              }
          out[n]![o]![i]!.push(s);
        }
      }
    }
  }
  void C;
  return out;
}

describe('Conv2d', () => {
  it('initialises from U(-1/sqrt(k), 1/sqrt(k)) with k = C_in / groups * kH * kW', () => {
    const conv = new Conv2d(4, 64, 2, { groups: 2, generator: new Generator(5) }); // k = 2 * 4 = 8
    expect(conv.weight.shape).toEqual([64, 2, 2, 2]);
    const bound = 1 / Math.sqrt(8);
    expect(maxAbs(conv.weight)).toBeLessThanOrEqual(bound);
    expect(maxAbs(conv.weight)).toBeGreaterThan(0.98 * bound);
    expect(maxAbs(conv.bias!)).toBeLessThanOrEqual(bound);
  });

  it('matches a direct convolution with stride and padding', () => {
    const conv = new Conv2d(2, 3, 3, { stride: 2, padding: 1, dtype: 'float64', generator: new Generator(6) });
    const x = f64([2, 2, 5, 5], 7, false);
    const y = conv.call(x);
    expect(y.shape).toEqual([2, 3, 3, 3]);
    const ref = convRef(x.toArray() as never, conv.weight.toArray() as never, conv.bias!.toArray() as number[], 2, 1);
    expect(y).toBeAllClose(ref, { rtol: 1e-12, atol: 1e-12 });
  });

  it('matches a direct convolution with groups', () => {
    const conv = new Conv2d(4, 2, 2, { groups: 2, dtype: 'float64', generator: new Generator(8) });
    const x = f64([1, 4, 3, 3], 9, false);
    const ref = convRef(x.toArray() as never, conv.weight.toArray() as never, conv.bias!.toArray() as number[], 1, 0, 2);
    expect(conv.call(x)).toBeAllClose(ref, { rtol: 1e-12, atol: 1e-12 });
  });

  it('passes gradcheck for input, weight and bias', () => {
    const conv = new Conv2d(2, 2, 2, { stride: 1, padding: 1, dtype: 'float64', generator: new Generator(10) });
    const x = f64([1, 2, 3, 3], 11);
    expect(gradcheck((xx) => conv.call(xx), [x, conv.weight, conv.bias!]).ok).toBe(true);
  });

  it("keeps the spatial size with padding 'same' and validates its arguments", () => {
    expect(new Conv2d(1, 2, 5, { padding: 'same' }).call(zeros([1, 1, 7, 7])).shape).toEqual([1, 2, 7, 7]);
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(/Conv2d: inChannels=3 and outChannels=4 must both be divisible by groups=2/);
    expect(() => new Conv2d(1, 1, 0)).toThrow(/Conv2d: kernelSize must be an integer >= 1/);
    expect(() => new Conv2d(1, 1, 3, { padding: 'same', stride: 2 })).toThrow(/padding='same' needs stride 1/);
  });
});

describe('MaxPool2d', () => {
  it('takes the largest value of each window', () => {
    const x = tensor([[[[1, 5, 2, 0], [3, 4, 8, 1], [0, 2, 1, 1], [9, 1, 1, 7]]]]);
    expect(new MaxPool2d(2).call(x).toArray()).toEqual([[[[5, 8], [9, 7]]]]);
    expect(new MaxPool2d(3, { stride: 1 }).call(x).toArray()).toEqual([[[[8, 8], [9, 8]]]]);
  });

  it('validates its arguments in the constructor', () => {
    expect(() => new MaxPool2d(0)).toThrow(/MaxPool2d: kernelSize must be an integer >= 1 or a pair of them, got 0/);
    expect(() => new MaxPool2d(2, { padding: 2 })).toThrow(/MaxPool2d: padding 2 must be at most half the kernel size 2/);
    expect(() => new AvgPool2d([2, 2], { stride: [1, 0] })).toThrow(/AvgPool2d: stride must be an integer >= 1/);
  });

  it('passes gradcheck on distinct values', () => {
    const x = tensor(Array.from({ length: 32 }, (_, i) => ((i * 37) % 32) / 7), { dtype: 'float64', shape: [1, 2, 4, 4], requiresGrad: true });
    expect(gradcheck((xx) => new MaxPool2d(2, { stride: 1 }).call(xx), [x]).ok).toBe(true);
  });
});

describe('AvgPool2d', () => {
  it('averages each window', () => {
    const x = tensor([[[[1, 5, 2, 0], [3, 4, 8, 1], [0, 2, 1, 1], [9, 1, 1, 7]]]]);
    expect(new AvgPool2d(2).call(x).toArray()).toEqual([[[[13 / 4, 11 / 4], [12 / 4, 10 / 4]]]]);
  });

  it('passes gradcheck with stride and padding', () => {
    const x = f64([1, 2, 4, 4], 12);
    expect(gradcheck((xx) => new AvgPool2d(2, { stride: 2, padding: 1 }).call(xx), [x]).ok).toBe(true);
  });
});

describe('Flatten', () => {
  it('flattens all but the batch dim by default', () => {
    expect(new Flatten().call(zeros([8, 64, 3, 3])).shape).toEqual([8, 576]);
    expect(new Flatten(0, 1).call(zeros([2, 3, 4])).shape).toEqual([6, 4]);
  });
});

describe('Identity', () => {
  it('returns its input', () => {
    const x = tensor([1, 2]);
    expect(new Identity().call(x)).toBe(x);
  });
});

describe('Dropout', () => {
  it('in training zeroes about p of the elements and scales the rest by 1/(1-p)', () => {
    const drop = new Dropout(0.3, { generator: new Generator(13) });
    const y = values(drop.call(ones([100, 100])));
    const zerosCount = y.filter((v) => v === 0).length;
    expect(zerosCount / y.length).toBeGreaterThan(0.28);
    expect(zerosCount / y.length).toBeLessThan(0.32);
    expect(y.filter((v) => v !== 0).every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
  });

  it('is the identity in evaluation mode and back to random in training mode', () => {
    const drop = new Dropout(0.5);
    const x = randn([4, 4]);
    drop.eval();
    expect(drop.call(x).toArray()).toEqual(x.toArray());
    drop.train();
    expect(values(drop.call(ones([50]))).some((v) => v === 0)).toBe(true);
  });

  it('drops element i exactly when the top 31 bits of the i-th draw of its generator are below p * 2^31 (also past 4096 elements)', () => {
    const n = 10000;
    const y = values(new Dropout(0.3, { generator: new Generator(8) }).call(ones([n])));
    const g = new Generator(8);
    for (let i = 0; i < n; i++) expect(y[i]).toBe(g.nextUint32() >>> 1 < Math.round(0.3 * 2 ** 31) ? 0 : Math.fround(1 / 0.7));
  });

  it('is reproducible from a seed', () => {
    manualSeed(21);
    const a = new Dropout(0.5).call(ones([20])).toArray();
    manualSeed(21);
    const b = new Dropout(0.5).call(ones([20])).toArray();
    expect(a).toEqual(b);
  });

  it('passes gradcheck with a fixed mask', () => {
    const g = new Generator(0);
    const drop = new Dropout(0.4, { generator: g });
    const x = f64([3, 4], 14);
    expect(
      gradcheck((xx) => {
        g.manualSeed(5);
        return drop.call(xx);
      }, [x]).ok,
    ).toBe(true);
  });

  it('handles p = 0 and p = 1 and rejects p outside [0, 1]', () => {
    const x = randn([5]);
    expect(new Dropout(0).call(x).toArray()).toEqual(x.toArray());
    expect(new Dropout(1).call(x)).toBeAllClose([0, 0, 0, 0, 0], { atol: 0, rtol: 0 });
    expect(() => new Dropout(1.5)).toThrow(/Dropout: dropout probability has to be between 0 and 1, but got 1.5/);
    expect(() => F.dropout(x, { p: -0.1 })).toThrow(ValueError);
  });
});

/** Per-channel mean and biased / unbiased variance of [N, C, *] data, by loops. */
function channelStats(x: Tensor): { mean: number[]; biased: number[]; unbiased: number[] } {
  const [N, C] = x.shape as [number, number];
  const S = x.numel() / (N * C);
  const d = values(x);
  const mean: number[] = [];
  const biased: number[] = [];
  const unbiased: number[] = [];
  for (let c = 0; c < C; c++) {
    const vs: number[] = [];
    for (let n = 0; n < N; n++) for (let s = 0; s < S; s++) vs.push(d[(n * C + c) * S + s]!);
    const m = vs.reduce((a, b) => a + b, 0) / vs.length;
    const ss = vs.reduce((a, b) => a + (b - m) ** 2, 0);
    mean.push(m);
    biased.push(ss / vs.length);
    unbiased.push(ss / (vs.length - 1));
  }
  return { mean, biased, unbiased };
}

function normRef(x: Tensor, mean: number[], variance: number[], w: number[], b: number[], eps: number): number[] {
  const [N, C] = x.shape as [number, number];
  const S = x.numel() / (N * C);
  return values(x).map((v, i) => {
    const c = Math.floor(i / S) % C;
    return ((v - mean[c]!) / Math.sqrt(variance[c]! + eps)) * w[c]! + b[c]!;
  });
}

describe('BatchNorm', () => {
  it('in training normalises with batch statistics and updates running stats with the unbiased variance', () => {
    const bn = new BatchNorm2d(3, { dtype: 'float64' });
    noGrad(() => {
      bn.weight!.copy_(tensor([1, 2, 0.5], { dtype: 'float64' }));
      bn.bias!.copy_(tensor([0, -1, 3], { dtype: 'float64' }));
    });
    const x = f64([2, 3, 2, 2], 15, false).mul(2).add(1);
    const st = channelStats(x);
    const y = bn.call(x);
    expect(y).toBeAllClose(tensor(normRef(x, st.mean, st.biased, [1, 2, 0.5], [0, -1, 3], 1e-5), { dtype: 'float64' }).reshape(x.shape), {
      rtol: 1e-10, atol: 1e-10,
    });
    expect(bn.runningMean!).toBeAllClose(st.mean.map((m) => 0.1 * m), { rtol: 1e-12, atol: 1e-12 });
    expect(bn.runningVar!).toBeAllClose(st.unbiased.map((v) => 0.9 + 0.1 * v), { rtol: 1e-12, atol: 1e-12 });
    expect(bn.numBatchesTracked!.item()).toBe(1);
  });

  it('in evaluation normalises with the running statistics and leaves them unchanged', () => {
    const bn = new BatchNorm1d(2, { dtype: 'float64', eps: 1e-3 });
    noGrad(() => {
      bn.runningMean!.copy_(tensor([0.5, -1], { dtype: 'float64' }));
      bn.runningVar!.copy_(tensor([4, 0.25], { dtype: 'float64' }));
    });
    bn.eval();
    const x = f64([3, 2], 16, false);
    const y = bn.call(x);
    expect(y).toBeAllClose(tensor(normRef(x, [0.5, -1], [4, 0.25], [1, 1], [0, 0], 1e-3), { dtype: 'float64' }).reshape([3, 2]), {
      rtol: 1e-12, atol: 1e-12,
    });
    expect(bn.runningMean!.toArray()).toEqual([0.5, -1]);
    expect(bn.numBatchesTracked!.item()).toBe(0);
    bn.train();
    bn.call(x);
    expect(bn.numBatchesTracked!.item()).toBe(1);
    expect(bn.runningMean!.toArray()).not.toEqual([0.5, -1]);
  });

  it('takes [N, C, L] input in BatchNorm1d', () => {
    const bn = new BatchNorm1d(2, { dtype: 'float64', affine: false });
    const x = f64([2, 2, 3], 17, false);
    const st = channelStats(x);
    expect(bn.call(x)).toBeAllClose(tensor(normRef(x, st.mean, st.biased, [1, 1], [0, 0], 1e-5), { dtype: 'float64' }).reshape(x.shape), {
      rtol: 1e-10, atol: 1e-10,
    });
    expect(bn.parameters().length).toBe(0);
  });

  it('averages all batches equally when momentum is null', () => {
    const bn = new BatchNorm1d(1, { momentum: null, dtype: 'float64' });
    bn.call(tensor([[1], [3]], { dtype: 'float64' }));
    bn.call(tensor([[5], [9]], { dtype: 'float64' }));
    expect(bn.runningMean!.toArray()).toEqual([(2 + 7) / 2]);
    expect(bn.runningVar!).toBeAllClose([(2 + 8) / 2]);
  });

  it('always uses batch statistics without running stats, which are not in the state dict', () => {
    const bn = new BatchNorm1d(2, { trackRunningStats: false, dtype: 'float64' });
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias']);
    bn.eval();
    const x = f64([4, 2], 18, false);
    const st = channelStats(x);
    expect(bn.call(x)).toBeAllClose(tensor(normRef(x, st.mean, st.biased, [1, 1], [0, 0], 1e-5), { dtype: 'float64' }).reshape([4, 2]), {
      rtol: 1e-10, atol: 1e-10,
    });
  });

  it('passes gradcheck in training mode (input, weight, bias)', () => {
    const bn = new BatchNorm2d(2, { dtype: 'float64' });
    noGrad(() => {
      bn.weight!.copy_(tensor([1.5, -0.5], { dtype: 'float64' }));
      bn.bias!.copy_(tensor([0.2, 0.1], { dtype: 'float64' }));
    });
    const x = f64([3, 2, 2, 1], 19);
    expect(gradcheck((xx) => bn.call(xx), [x, bn.weight!, bn.bias!]).ok).toBe(true);
  });

  it('passes gradgradcheck in training mode', () => {
    const bn = new BatchNorm1d(2, { dtype: 'float64' });
    const x = f64([3, 2], 24);
    expect(gradgradcheck((xx) => bn.call(xx), [x, bn.weight!]).ok).toBe(true);
  });

  it('passes gradcheck in evaluation mode', () => {
    const bn = new BatchNorm1d(3, { dtype: 'float64' }).eval();
    const x = f64([2, 3], 20);
    expect(gradcheck((xx) => bn.call(xx), [x, bn.weight!, bn.bias!]).ok).toBe(true);
  });

  it('rejects wrong dims, channel counts, and one value per channel in training', () => {
    expect(() => new BatchNorm2d(3).call(zeros([2, 3, 4]))).toThrow(/BatchNorm2d: expected 4-D \[N, C, H, W\] input, got input.shape=\[2,3,4\]/);
    expect(() => new BatchNorm1d(3).call(zeros([2, 4]))).toThrow(/BatchNorm1d: expected 3 channels in dim 1, got input.shape=\[2,4\]/);
    expect(() => new BatchNorm1d(3).call(zeros([1, 3]))).toThrow(/expected more than 1 value per channel when training/);
    expect(new BatchNorm1d(3).eval().call(zeros([1, 3])).shape).toEqual([1, 3]);
  });
});

describe('Embedding', () => {
  it('looks up rows and initialises them from N(0, 1)', () => {
    const emb = new Embedding(500, 8, { generator: new Generator(22) });
    const w = values(emb.weight);
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(std - 1)).toBeLessThan(0.05);
    const idx = tensor([[3, 0], [3, 499]], { dtype: 'int32' });
    const y = emb.call(idx);
    expect(y.shape).toEqual([2, 2, 8]);
    const W = emb.weight.toArray() as number[][];
    expect(y.toArray()).toEqual([[W[3], W[0]], [W[3], W[499]]]);
  });

  it('passes gradcheck with respect to the weight, accumulating repeated indices', () => {
    const emb = new Embedding(4, 3, { dtype: 'float64', generator: new Generator(23) });
    const idx = tensor([1, 3, 1], { dtype: 'int32' });
    expect(gradcheck(() => emb.call(idx).mul(emb.call(idx)), [emb.weight]).ok).toBe(true);
    emb.call(idx).sum().backward();
    expect(emb.weight.grad!.toArray()).toEqual([[0, 0, 0], [2, 2, 2], [0, 0, 0], [1, 1, 1]]);
  });

  it('zeroes the padding row and sends it no gradient', () => {
    const emb = new Embedding(3, 2, { paddingIdx: -1 });
    expect(emb.paddingIdx).toBe(2);
    expect((emb.weight.toArray() as number[][])[2]).toEqual([0, 0]);
    emb.call(tensor([2, 0, 2], { dtype: 'int32' })).sum().backward();
    expect(emb.weight.grad!.toArray()).toEqual([[1, 1], [0, 0], [0, 0]]);
  });

  it('rejects non-int32 and out-of-range indices', () => {
    const emb = new Embedding(3, 2);
    expect(() => emb.call(tensor([0, 1]))).toThrow(DTypeError);
    expect(() => emb.call(tensor([0, 3], { dtype: 'int32' }))).toThrow(/embedding: index 3 at flat position 1 is out of range for 3 embeddings/);
    expect(() => new Embedding(3, 2, { paddingIdx: 3 })).toThrow(/paddingIdx 3 must be an integer in \[-3, 3\)/);
  });
});
