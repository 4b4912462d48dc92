import { describe, expect, it } from 'vitest';
import {
  randn, zeros, Generator, gradcheck, gradgradcheck, convTranspose2d, tensor,
  ShapeError, ValueError, DTypeError, type Tensor,
} from '@tapegrad/core';
import '../../../test/matchers.js';

type Pair = [number, number];
const f64 = (shape: number[], seed = 1, requiresGrad = true) =>
  randn(shape, { dtype: 'float64', requiresGrad, generator: new Generator(seed) });
const values = (t: Tensor) => Array.from(t.detach().data as ArrayLike<number>);

/** The definition: every input pixel scatters `x * weight` into the output, then the bias. */
function scatterReference(x: Tensor, w: Tensor, b: Tensor | null, s: Pair, p: Pair, op: Pair, d: Pair, groups: number): number[][][][] {
  const [N, C, H, W] = x.shape as number[] as [number, number, number, number];
  const [, Og, kH, kW] = w.shape as number[] as [number, number, number, number];
  const O = Og * groups, Cg = C / groups;
  const Ho = (H - 1) * s[0] - 2 * p[0] + d[0] * (kH - 1) + op[0] + 1;
  const Wo = (W - 1) * s[1] - 2 * p[1] + d[1] * (kW - 1) + op[1] + 1;
  const xv = values(x), wv = values(w), bv = b ? values(b) : null;
  const out = Array.from({ length: N }, () =>
    Array.from({ length: O }, (_, o) => Array.from({ length: Ho }, () => Array<number>(Wo).fill(bv ? bv[o]! : 0))));
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++)
          for (let o = 0; o < Og; o++)
            for (let q = 0; q < kH; q++)
              for (let r = 0; r < kW; r++) {
                const oi = i * s[0] - p[0] + q * d[0], oj = j * s[1] - p[1] + r * d[1];
                if (oi < 0 || oi >= Ho || oj < 0 || oj >= Wo) continue;
                const g = Math.floor(c / Cg);
                out[n]![g * Og + o]![oi]![oj]! += xv[((n * C + c) * H + i) * W + j]! * wv[((c * Og + o) * kH + q) * kW + r]!;
              }
  return out;
}

describe('convTranspose2d', () => {
  const cases: { name: string; x: number[]; w: number[]; s: Pair; p: Pair; op: Pair; d: Pair; groups: number }[] = [
    { name: 'stride 2, padding 1', x: [2, 3, 4, 5], w: [3, 2, 4, 4], s: [2, 2], p: [1, 1], op: [0, 0], d: [1, 1], groups: 1 },
    { name: 'stride 1', x: [1, 2, 3, 3], w: [2, 3, 3, 3], s: [1, 1], p: [0, 0], op: [0, 0], d: [1, 1], groups: 1 },
    { name: 'groups 2', x: [2, 4, 3, 4], w: [4, 3, 3, 2], s: [2, 1], p: [1, 0], op: [1, 0], d: [1, 1], groups: 2 },
    { name: 'dilation', x: [1, 2, 4, 3], w: [2, 2, 3, 2], s: [1, 2], p: [2, 1], op: [0, 1], d: [2, 3], groups: 1 },
    { name: 'outputPadding at or above stride (dilation > stride)', x: [1, 2, 3, 3], w: [2, 1, 2, 2], s: [1, 2], p: [0, 0], op: [2, 1], d: [3, 3], groups: 2 },
    { name: 'stride 3, outputPadding 2', x: [1, 3, 2, 3], w: [3, 1, 2, 3], s: [3, 3], p: [0, 1], op: [2, 2], d: [1, 1], groups: 3 },
  ];
  for (const c of cases)
    it(`matches a direct scatter loop with ${c.name}`, () => {
      const x = f64(c.x, 1, false), w = f64(c.w, 2, false), b = f64([c.w[1]! * c.groups], 3, false);
      const y = convTranspose2d(x, w, b, { stride: c.s, padding: c.p, outputPadding: c.op, dilation: c.d, groups: c.groups });
      expect(y).toBeAllClose(tensor(scatterReference(x, w, b, c.s, c.p, c.op, c.d, c.groups), { dtype: 'float64' }));
    });

  it('works on float32 and an unbatched input', () => {
    const x = f64([3, 4, 4], 1, false), w = f64([3, 2, 3, 3], 2, false);
    const y = convTranspose2d(x.to('float32'), w.to('float32'), null, { stride: 2 });
    expect(y.dtype).toBe('float32');
    expect(y.shape).toEqual([2, 9, 9]);
    expect(y.unsqueeze(0)).toBeAllClose(convTranspose2d(x.unsqueeze(0), w, null, { stride: 2 }).to('float32'), { rtol: 1e-5, atol: 1e-5 });
  });

  it('gives an empty output for a batch of 0 and zero gradients for the weight', () => {
    const w = f64([3, 2, 3, 3], 2);
    const y = convTranspose2d(zeros([0, 3, 4, 4], { dtype: 'float64' }), w, null, { stride: 2, padding: 1 });
    expect(y.shape).toEqual([0, 2, 7, 7]);
    y.sum().backward();
    expect(values(w.grad!).every((v) => v === 0)).toBe(true);
  });

  it('passes gradcheck in float64 for input, weight and bias', () => {
    const opts = { stride: [2, 1] as Pair, padding: [1, 0] as Pair, outputPadding: [1, 0] as Pair, groups: 2 };
    gradcheck((x, w, b) => convTranspose2d(x!, w!, b!, opts), [f64([2, 4, 3, 3], 1), f64([4, 3, 3, 2], 2), f64([6], 3)]);
    gradcheck((x, w) => convTranspose2d(x!, w!, null, { dilation: [3, 2], outputPadding: [2, 0] }), [f64([1, 2, 3, 2], 4), f64([2, 2, 2, 2], 5)]);
  });

  it('passes gradgradcheck in float64', () => {
    const opts = { stride: 2, padding: 1, outputPadding: 1, groups: 2 };
    gradgradcheck((x, w, b) => convTranspose2d(x!, w!, b!, opts), [f64([1, 2, 3, 3], 1), f64([2, 2, 3, 3], 2), f64([4], 3)]);
  });

  it('refuses bad shapes, options and dtypes with the op name', () => {
    const x = f64([1, 3, 4, 4], 1, false);
    expect(() => convTranspose2d(x, f64([4, 2, 3, 3], 2, false))).toThrow(ShapeError);
    expect(() => convTranspose2d(x, f64([4, 2, 3, 3], 2, false))).toThrow(/^convTranspose2d: input has 3 channels but weight has 4/);
    expect(() => convTranspose2d(x, f64([3, 2, 3], 2, false))).toThrow(ShapeError);
    expect(() => convTranspose2d(x, f64([3, 2, 3, 3], 2, false), null, { groups: 2 })).toThrow(/not divisible by groups=2/);
    expect(() => convTranspose2d(x, f64([3, 2, 3, 3], 2, false), f64([3], 3, false))).toThrow(/bias must have shape \[2\]/);
    expect(() => convTranspose2d(x, f64([3, 2, 3, 3], 2, false), null, { stride: 2, outputPadding: 2 })).toThrow(ValueError);
    expect(() => convTranspose2d(x, f64([3, 2, 3, 3], 2, false), null, { stride: 2, outputPadding: 2 })).toThrow(/outputPadding \[2,2\] must be smaller/);
    expect(() => convTranspose2d(x, f64([3, 2, 1, 1], 2, false), null, { padding: 3 })).toThrow(/output size \[-2,-2\] is too small/);
    expect(() => convTranspose2d(x, f64([3, 2, 3, 3], 2, false), null, { stride: 0 })).toThrow(ValueError);
    expect(() => convTranspose2d(x, f64([3, 2, 3, 3], 2, false), null, { strides: 2 } as never)).toThrow(ValueError);
    expect(() => convTranspose2d(x.to('int32'), f64([3, 2, 3, 3], 2, false))).toThrow(DTypeError);
  });
});
