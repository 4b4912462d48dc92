import { describe, expect, it } from 'vitest';
import {
  Generator, ShapeError, Tensor, ValueError, arange, broadcastTensors, broadcastTo, columnStack, diag, diagEmbed,
  diagflat, diagonal, dstack, flip, fliplr, flipud, gradcheck, gradgradcheck, hstack, moveaxis, movedim, noGrad,
  randint, randn, repeat, repeatInterleave, roll, rot90, rowStack, swapaxes, swapdims, tensor, tensorSplit, tile,
  tril, trilIndices, triu, triuIndices, unbind, unflatten, vstack, zeros, type DType,
} from '@tapegrad/core';

// The shape ops of issue 17. Forward results are checked against plain index loops over the
// input's values; gradients by central differences (float64). Second derivatives of these linear
// ops are zero, so gradgradcheck differentiates `op(a) * op(a)` (the backward rule is recorded
// and differentiated again).

const gen = (seed: number) => new Generator(seed);
const f64 = (shape: number[], seed = 1) => randn(shape, { dtype: 'float64', requiresGrad: true, generator: gen(seed) });
const sq = (t: Tensor) => t.mul(t);
const DTYPES: DType[] = ['float32', 'float64', 'int32'];

function input(shape: number[], dtype: DType, seed = 3): Tensor {
  return dtype === 'int32' ? randint(-9, 10, shape, { generator: gen(seed) }) : randn(shape, { dtype, generator: gen(seed) });
}

/** Row-major strides. */
function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** A plain-loop reference: out[idx] = x[src(idx)], or 0 where src returns null. */
function gatherRef(x: Tensor, outShape: number[], src: (idx: number[]) => number[] | null): number[] {
  const data = Array.from(x.contiguous().data as ArrayLike<number>);
  const xs = stridesOf(x.shape);
  const n = outShape.reduce((a, b) => a * b, 1);
  const os = stridesOf(outShape);
  const out: number[] = [];
  for (let f = 0; f < n; f++) {
    const idx = outShape.map((_, d) => Math.floor(f / os[d]!) % outShape[d]!);
    const s = src(idx);
    out.push(s === null ? 0 : data[s.reduce((a, v, d) => a + v * xs[d]!, 0)]!);
  }
  return out;
}

function expectRef(y: Tensor, x: Tensor, outShape: number[], src: (idx: number[]) => number[] | null): void {
  expect(y.shape).toEqual(outShape);
  expect(y.dtype).toBe(x.dtype);
  expect(Array.from(y.contiguous().data as ArrayLike<number>)).toEqual(gatherRef(x, outShape, src));
}

const mod = (a: number, n: number) => ((a % n) + n) % n;

describe('movedim', () => {
  it('moves dims as PyTorch, as views sharing storage', () => {
    const x = input([2, 3, 4, 5], 'float32');
    const y = movedim(x, [0, 1], [3, 0]);
    expect(y.shape).toEqual([3, 4, 5, 2]);
    expect(y.storage).toBe(x.storage);
    expectRef(y, x, [3, 4, 5, 2], ([b, c, d, a]) => [a!, b!, c!, d!]);
    expect(movedim(tensor(1), 0, -1).shape).toEqual([]);
    expect(x.movedim(0, 2).shape).toEqual([3, 4, 2, 5]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => movedim(a, [0, 2], [1, 0]), [f64([2, 3, 4])]);
    gradgradcheck((a) => sq(movedim(a, 0, 1)), [f64([2, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => movedim(zeros([2, 3]), [0, 1], [0])).toThrow(/^movedim: source \[0,1\] and destination \[0\]/);
    expect(() => movedim(zeros([2, 3]), [0, 0], [0, 1])).toThrow(/^movedim: source \[0,0\] repeats a dim/);
    expect(() => movedim(zeros([2, 3]), [0, 1], [1, 1])).toThrow(/^movedim: destination \[1,1\] repeats a dim/);
    expect(() => movedim(zeros([2, 3]), 2, 0)).toThrow(ValueError);
    expect(() => movedim(zeros([2, 3]), 2, 0)).toThrow(/^movedim: dim 2 is out of range/);
  });
});

describe('moveaxis', () => {
  it('is movedim', () => {
    const x = input([2, 3, 4, 5], 'float32');
    expectRef(moveaxis(x, -1, 0), x, [5, 2, 3, 4], ([d, a, b, c]) => [a!, b!, c!, d!]);
    expect(x.moveaxis(0, -1).shape).toEqual([3, 4, 5, 2]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => moveaxis(a, 0, 2), [f64([2, 3, 4])]);
    gradgradcheck((a) => sq(moveaxis(a, 1, 0)), [f64([2, 3])]);
  });
});

describe('swapdims', () => {
  it('swaps dims as transpose does, as a view', () => {
    const x = input([2, 3, 4], 'int32');
    expectRef(swapdims(x, 0, 2), x, [4, 3, 2], ([c, b, a]) => [a!, b!, c!]);
    expect(x.swapdims(0, 1).storage).toBe(x.storage);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => swapdims(a, 0, 2), [f64([2, 3, 4])]);
    gradgradcheck((a) => sq(swapdims(a, 0, 1)), [f64([2, 3])]);
  });
});

describe('swapaxes', () => {
  it('swaps dims as transpose does, as a view', () => {
    const x = input([2, 3, 4], 'float64');
    expectRef(swapaxes(x, -1, 1), x, [2, 4, 3], ([a, c, b]) => [a!, b!, c!]);
    expect(x.swapaxes(0, 1).storage).toBe(x.storage);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => swapaxes(a, 1, 0), [f64([2, 3])]);
    gradgradcheck((a) => sq(swapaxes(a, 0, 1)), [f64([2, 3])]);
  });
});

describe('unflatten', () => {
  it('unflattens a dim into several, inferring one -1', () => {
    const x = input([2, 12], 'float64');
    const y = unflatten(x, -1, [3, -1, 2]);
    expect(y.shape).toEqual([2, 3, 2, 2]);
    expect(y.storage).toBe(x.storage);
    expect(unflatten(zeros([3, 0]), 1, [0, 5]).shape).toEqual([3, 0, 5]);
    expect(x.unflatten(1, [4, 3]).shape).toEqual([2, 4, 3]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => unflatten(a, 1, [2, -1]), [f64([3, 4])]);
    gradgradcheck((a) => sq(unflatten(a.T, 0, [2, 2])), [f64([3, 4])]);
  });
  it('throws naming the op', () => {
    expect(() => unflatten(zeros([2, 6]), 1, [4, 2])).toThrow(/^unflatten: sizes \[4,2\] do not multiply to the size 6 of dim 1/);
    expect(() => unflatten(zeros([2, 6]), 1, [])).toThrow(/^unflatten: sizes must be non-empty/);
    expect(() => unflatten(tensor(1), 0, [1])).toThrow(/^unflatten: cannot unflatten a 0-d tensor/);
    expect(() => unflatten(zeros([1]), 0, new Array(65).fill(1))).toThrow(/64/);
  });
});

describe('broadcastTo', () => {
  it('broadcasts as a view with stride 0', () => {
    const x = input([3, 1], 'float32');
    const y = broadcastTo(x, [2, 3, 4]);
    expect(y.storage).toBe(x.storage);
    expectRef(y, x, [2, 3, 4], ([, b]) => [b!, 0]);
    expect(x.broadcastTo(2, -1, 4).shape).toEqual([2, 3, 4]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => broadcastTo(a, [2, 3, 4]), [f64([3, 1])]);
    gradgradcheck((a) => sq(broadcastTo(a, [2, 3])), [f64([3])]);
  });
  it('throws naming the op', () => {
    expect(() => broadcastTo(zeros([2, 3]), [4, 3])).toThrow(/^broadcastTo: cannot expand shape \[2,3\] to \[4,3\]/);
    expect(() => zeros([2]).broadcastTo([3])).toThrow(ShapeError);
  });
});

describe('broadcastTensors', () => {
  it('broadcasts every tensor to the common shape, as views', () => {
    const [a, b, c] = broadcastTensors([tensor([[1], [2]]), tensor([3, 4, 5]), tensor(7)]);
    expect(a!.toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(b!.shape).toEqual([2, 3]);
    expect(c!.toArray()).toEqual([[7, 7, 7], [7, 7, 7]]);
    const x = zeros([2, 1]);
    expect(broadcastTensors(x, zeros([3]))[0]!.storage).toBe(x.storage);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a, b) => broadcastTensors(a, b)[0]!.mul(broadcastTensors(a, b)[1]!), [f64([3, 1]), f64([4], 2)]);
    gradgradcheck((a) => sq(broadcastTensors(a, zeros([2, 1], { dtype: 'float64' }))[0]!), [f64([3])]);
  });
  it('throws naming the op', () => {
    expect(() => broadcastTensors(zeros([2]), zeros([3]))).toThrow(/^broadcastTensors: cannot broadcast shapes \[2\] and \[3\]/);
  });
});

describe('hstack', () => {
  it('concatenates along dim 1, or dim 0 for 1-D and 0-d inputs', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    expect(hstack([a, b]).toArray()).toEqual([1, 2, 3, 4]);
    expect(hstack([tensor(1), tensor(2)]).toArray()).toEqual([1, 2]);
    expect(hstack([zeros([2, 1, 3]), zeros([2, 4, 3])]).shape).toEqual([2, 5, 3]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((x, y) => hstack([x, y]), [f64([2, 3]), f64([2, 1], 2)]);
    gradgradcheck((x, y) => sq(hstack([x, y])), [f64([3]), f64([2], 2)]);
  });
  it('throws on an empty list', () => {
    expect(() => hstack([])).toThrow(/^hstack: expected a non-empty list/);
  });
});

describe('vstack', () => {
  it('concatenates along dim 0, 1-D inputs as rows', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    expect(vstack([a, b]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(vstack([tensor(1), tensor(2)]).toArray()).toEqual([[1], [2]]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((x, y) => vstack([x, y]), [f64([3]), f64([2, 3], 2)]);
    gradgradcheck((x, y) => sq(vstack([x, y])), [f64([3]), f64([3], 2)]);
  });
  it('throws on an empty list', () => {
    expect(() => vstack([])).toThrow(/^vstack: expected a non-empty list/);
  });
});

describe('rowStack', () => {
  it('is vstack', () => {
    expect(rowStack([tensor([1, 2]), tensor([[5, 6]])]).toArray()).toEqual([[1, 2], [5, 6]]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((x, y) => rowStack([x, y]), [f64([3]), f64([2, 3], 2)]);
    gradgradcheck((x, y) => sq(rowStack([x, y])), [f64([3]), f64([3], 2)]);
  });
});

describe('dstack', () => {
  it('concatenates along dim 2 after promoting to 3 dims', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    expect(dstack([a, b]).toArray()).toEqual([[[1, 3], [2, 4]]]);
    expect(dstack([tensor([[1], [2]]), tensor([[3], [4]])]).shape).toEqual([2, 1, 2]);
    expect(dstack([tensor(1), tensor(2)]).shape).toEqual([1, 1, 2]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((x, y) => dstack([x, y]), [f64([3]), f64([3], 2)]);
    gradgradcheck((x, y) => sq(dstack([x, y])), [f64([2, 3]), f64([2, 3, 2], 2)]);
  });
  it('throws on an empty list', () => {
    expect(() => dstack([])).toThrow(/^dstack: expected a non-empty list/);
  });
});

describe('columnStack', () => {
  it('stacks 1-D inputs as columns and concatenates along dim 1', () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4]);
    expect(columnStack([a, b, tensor([[7, 8], [9, 10]])]).toArray()).toEqual([[1, 3, 7, 8], [2, 4, 9, 10]]);
    expect(columnStack([tensor(1), tensor(2)]).toArray()).toEqual([[1, 2]]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((x, y) => columnStack([x, y]), [f64([3]), f64([3, 2], 2)]);
    gradgradcheck((x, y) => sq(columnStack([x, y])), [f64([3]), f64([3], 2)]);
  });
  it('throws on an empty list', () => {
    expect(() => columnStack([])).toThrow(/^columnStack: expected a non-empty list/);
  });
});

describe('tensorSplit', () => {
  it('splits into sections, the first N % sections one longer, as views', () => {
    const x = input([7, 2], 'int32');
    const parts = tensorSplit(x, 3);
    expect(parts.map((p) => p.shape[0])).toEqual([3, 2, 2]);
    expect(parts.every((p) => p.storage === x.storage)).toBe(true);
    expect(tensorSplit(x, 9).map((p) => p.shape[0])).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(tensorSplit(zeros([0, 2]), 2).map((p) => p.shape)).toEqual([[0, 2], [0, 2]]);
  });
  it('splits before indices with Python slice bounds', () => {
    const x = arange(6);
    const got = (arg: number[]) => tensorSplit(x, arg).map((p) => p.toArray());
    expect(got([1, 4])).toEqual([[0], [1, 2, 3], [4, 5]]);
    expect(got([-2])).toEqual([[0, 1, 2, 3], [4, 5]]);
    expect(got([4, 2, 9])).toEqual([[0, 1, 2, 3], [], [2, 3, 4, 5], []]);
    expect(got([])).toEqual([[0, 1, 2, 3, 4, 5]]);
    expect(tensorSplit(x, tensor([2], { dtype: 'int32' })).length).toBe(2);
    expect(tensorSplit(x, tensor(2, { dtype: 'int32' })).length).toBe(2);
    expect(arange(6).reshape([2, 3]).tensorSplit([1], 1).map((p) => p.shape)).toEqual([[2, 1], [2, 2]]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => tensorSplit(a, [1, 3], 1)[1]!, [f64([2, 5])]);
    gradcheck((a) => tensorSplit(a, 2)[0]!.mul(tensorSplit(a, 2)[1]!), [f64([4, 2])]);
    gradgradcheck((a) => sq(tensorSplit(a, 3, 1)[2]!), [f64([2, 5])]);
  });
  it('throws naming the op', () => {
    expect(() => tensorSplit(arange(5), 0)).toThrow(/^tensorSplit: sections must be a positive integer, got 0/);
    expect(() => tensorSplit(tensor(1), 1)).toThrow(/^tensorSplit: cannot split a 0-d tensor/);
    expect(() => tensorSplit(arange(5), [1.5])).toThrow(/^tensorSplit: indices/);
    expect(() => tensorSplit(arange(5), tensor([1]))).toThrow(/^tensorSplit: a tensor of sections or indices must be 0-d or 1-D int32/);
  });
});

describe('unbind', () => {
  it('unbinds into views without the dim', () => {
    const x = input([2, 3, 4], 'float32');
    const ys = unbind(x, -2);
    expect(ys.length).toBe(3);
    ys.forEach((y, i) => {
      expect(y.storage).toBe(x.storage);
      expectRef(y, x, [2, 4], ([a, c]) => [a!, i, c!]);
    });
    expect(x.unbind().length).toBe(2);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => unbind(a, 1)[2]!.mul(unbind(a, 1)[0]!), [f64([2, 3])]);
    gradgradcheck((a) => sq(unbind(a)[1]!), [f64([2, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => unbind(tensor(1))).toThrow(/^unbind: cannot unbind a 0-d tensor/);
    expect(() => unbind(zeros([2]), 1)).toThrow(/^unbind: dim 1 is out of range/);
  });
});

describe('flip', () => {
  it('reverses the given dims into a copy, in every dtype', () => {
    for (const dtype of DTYPES) {
      const x = input([2, 3, 4], dtype);
      const y = flip(x, [0, -1]);
      expect(y.storage).not.toBe(x.storage);
      expectRef(y, x, [2, 3, 4], ([a, b, c]) => [1 - a!, b!, 3 - c!]);
      expectRef(flip(x, 1), x, [2, 3, 4], ([a, b, c]) => [a!, 2 - b!, c!]);
    }
  });
  it('reads strided inputs, keeps NaN and inf, and handles empty, size-1 and 0-d tensors', () => {
    const x = input([4, 3], 'float64');
    expectRef(flip(x.T, 1), x, [3, 4], ([b, a]) => [3 - a!, b!]);
    expect(flip(tensor([NaN, Infinity, -Infinity]), 0)).toBeAllClose([-Infinity, Infinity, NaN]);
    expect(flip(zeros([0, 3]), [0, 1]).shape).toEqual([0, 3]);
    const one = tensor([[5]]);
    expect(flip(one, [0, 1]).storage).not.toBe(one.storage);
    expect(flip(tensor(4), 0).toArray()).toBe(4);
    expect(flip(x, []).toArray()).toEqual(x.toArray());
  });
  it('accepts dims as numbers or one array on the method', () => {
    const x = arange(6).reshape([2, 3]);
    expect(x.flip(0, 1).toArray()).toEqual(x.flip([0, 1]).toArray());
    expect(x.flip(1).toArray()).toEqual([[2, 1, 0], [5, 4, 3]]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => flip(a, [0, 2]), [f64([2, 3, 2])]);
    gradgradcheck((a) => sq(flip(a, -1)), [f64([2, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => flip(zeros([2, 3]), [0, -2])).toThrow(/^flip: dims \[0,-2\] repeat a dim/);
    expect(() => flip(zeros([2, 3]), 2)).toThrow(/^flip: dim 2 is out of range/);
  });
});

describe('fliplr', () => {
  it('reverses dim 1, in every dtype', () => {
    for (const dtype of DTYPES) {
      const x = input([2, 3, 4], dtype);
      expectRef(fliplr(x), x, [2, 3, 4], ([a, b, c]) => [a!, 2 - b!, c!]);
    }
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => fliplr(a), [f64([2, 3])]);
    gradgradcheck((a) => sq(fliplr(a)), [f64([2, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => fliplr(zeros([3]))).toThrow(/^fliplr: expected a tensor of at least 2 dims, got shape \[3\]/);
  });
});

describe('flipud', () => {
  it('reverses dim 0, in every dtype', () => {
    for (const dtype of DTYPES) {
      const x = input([2, 3, 4], dtype);
      expectRef(flipud(x), x, [2, 3, 4], ([a, b, c]) => [1 - a!, b!, c!]);
    }
    expect(flipud(tensor([1, 2, 3])).toArray()).toEqual([3, 2, 1]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => flipud(a.T), [f64([2, 3])]);
    gradgradcheck((a) => sq(flipud(a)), [f64([2, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => flipud(tensor(1))).toThrow(/^flipud: expected a tensor of at least 1 dim/);
  });
});

describe('roll', () => {
  it('shifts cyclically along dims, or the flattened tensor without dims', () => {
    for (const dtype of DTYPES) {
      const x = input([3, 4], dtype);
      expectRef(roll(x, [1, -5], [0, 1]), x, [3, 4], ([a, b]) => [mod(a! - 1, 3), mod(b! + 5, 4)]);
      expectRef(roll(x, 5), x, [3, 4], ([a, b]) => {
        const f = mod(a! * 4 + b! - 5, 12);
        return [Math.floor(f / 4), f % 4];
      });
    }
    expect(roll(tensor([1, 2, 3]), 3).toArray()).toEqual([1, 2, 3]);
    expect(roll(zeros([0, 2]), 1, 0).shape).toEqual([0, 2]);
    expect(roll(tensor(3), 2).toArray()).toBe(3);
    const x = arange(4);
    expect(roll(x, 4, 0).storage).not.toBe(x.storage);
    expect(arange(6).reshape([2, 3]).T.roll(1, 0).toArray()).toEqual([[2, 5], [0, 3], [1, 4]]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => roll(a, [2, -1], [1, 0]), [f64([2, 3])]);
    gradcheck((a) => roll(a.T, 4), [f64([2, 3])]);
    gradgradcheck((a) => sq(roll(a, 1, 1)), [f64([2, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => roll(zeros([2, 3]), [1, 2], [0])).toThrow(/^roll: shifts \[1,2\] and dims \[0\] must have the same length/);
    expect(() => roll(zeros([2, 3]), [1, 2])).toThrow(/^roll: without dims, shifts must be one number/);
    expect(() => roll(zeros([2, 3]), 1.5, 0)).toThrow(/^roll: shifts/);
    expect(() => roll(zeros([2, 3]), 1, 2)).toThrow(/^roll: dim 2 is out of range/);
  });
});

describe('rot90', () => {
  it('rotates in the plane of dims as NumPy, k taken mod 4', () => {
    const x = input([3, 4, 2], 'float32');
    expectRef(rot90(x), x, [4, 3, 2], ([i, j, c]) => [j!, 3 - i!, c!]);
    expectRef(rot90(x, 2), x, [3, 4, 2], ([i, j, c]) => [2 - i!, 3 - j!, c!]);
    expectRef(rot90(x, 3), x, [4, 3, 2], ([i, j, c]) => [2 - j!, i!, c!]);
    expectRef(rot90(x, -1), x, [4, 3, 2], ([i, j, c]) => [2 - j!, i!, c!]);
    expectRef(rot90(x, 4), x, [3, 4, 2], (idx) => idx);
    expect(rot90(x, 4).storage).not.toBe(x.storage);
    expectRef(rot90(x, 1, [2, 0]), x, [2, 4, 3], ([i, j, k]) => [2 - k!, j!, i!]);
    expect(x.rot90(1, [1, 2]).shape).toEqual([3, 2, 4]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => rot90(a, 1), [f64([2, 3])]);
    gradcheck((a) => rot90(a, 3, [1, 0]), [f64([2, 3])]);
    gradgradcheck((a) => sq(rot90(a, 2)), [f64([2, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => rot90(zeros([2, 2]), 1, [0, 0])).toThrow(/^rot90: dims \[0,0\] must be two different dims/);
    expect(() => rot90(zeros([2, 2]), 1, [0])).toThrow(/^rot90: expected 2 dims/);
    expect(() => rot90(zeros([2]))).toThrow(/^rot90: expected a tensor of at least 2 dims/);
    expect(() => rot90(zeros([2, 2]), 0.5)).toThrow(/^rot90: k must be an integer/);
  });
});

describe('repeat', () => {
  it('tiles along each dim, adding leading dims, always copying', () => {
    for (const dtype of DTYPES) {
      const x = input([2, 3], dtype);
      expectRef(repeat(x, [2, 3]), x, [4, 9], ([a, b]) => [a! % 2, b! % 3]);
      expectRef(repeat(x, [2, 1, 2]), x, [2, 2, 6], ([, a, b]) => [a!, b! % 3]);
      expectRef(repeat(x.T, [1, 2]), x, [3, 4], ([b, a]) => [a! % 2, b!]);
    }
    const x = arange(3);
    expect(repeat(x, [1]).storage).not.toBe(x.storage);
    expect(repeat(x, [0, 2]).shape).toEqual([0, 6]);
    expect(repeat(tensor(5), []).toArray()).toBe(5);
    expect(x.repeat(2, 2).toArray()).toEqual(x.repeat([2, 2]).toArray());
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => repeat(a, [2, 1, 3]), [f64([2, 2])]);
    gradgradcheck((a) => sq(repeat(a, [2, 2])), [f64([2, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => repeat(zeros([2, 3]), [2])).toThrow(/^repeat: 1 repeats are fewer than the 2 dims of x \(shape \[2,3\]\)/);
    expect(() => repeat(zeros([2]), [-1])).toThrow(/^repeat: repeats \[-1\] must be non-negative integers/);
    expect(() => repeat(zeros([1]), new Array(65).fill(1))).toThrow(/^repeat: 65 dims is more than the 64/);
  });
});

describe('tile', () => {
  it('pads reps with leading 1s', () => {
    const x = input([2, 3], 'float64');
    expectRef(tile(x, [2]), x, [2, 6], ([a, b]) => [a!, b! % 3]);
    expectRef(tile(x, [2, 1, 1]), x, [2, 2, 3], ([, a, b]) => [a!, b!]);
    expect(x.tile(2, 2).shape).toEqual([4, 6]);
    expect(x.tile([2]).shape).toEqual([2, 6]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => tile(a.T, [2]), [f64([2, 3])]);
    gradgradcheck((a) => sq(tile(a, [2, 1, 2])), [f64([2, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => tile(zeros([2]), [1.5])).toThrow(/^tile: repeats must be an integer or a list of integers, got an array \[1.5\]/);
    expect(() => tile(zeros([2]), [-2])).toThrow(/^tile: repeats \[-2\] must be non-negative integers/);
  });
});

describe('repeatInterleave', () => {
  it('repeats each element in place', () => {
    for (const dtype of DTYPES) {
      const x = input([2, 3], dtype);
      expectRef(repeatInterleave(x, 2, 1), x, [2, 6], ([a, b]) => [a!, Math.floor(b! / 2)]);
      expectRef(repeatInterleave(x, 3), x, [18], ([f]) => [Math.floor(f! / 9), Math.floor(f! / 3) % 3]);
      const counts = [2, 0, 3];
      const owner = counts.flatMap((c, i) => new Array<number>(c).fill(i));
      expectRef(repeatInterleave(x, tensor(counts, { dtype: 'int32' }), -1), x, [2, 5], ([a, b]) => [a!, owner[b!]!]);
    }
    expect(repeatInterleave(tensor(5), 3, 0).toArray()).toEqual([5, 5, 5]);
    expect(repeatInterleave(arange(3), tensor([2], { dtype: 'int32' })).toArray()).toEqual([0, 0, 1, 1, 2, 2]);
    expect(repeatInterleave(arange(3), 0).shape).toEqual([0]);
    const x = arange(3);
    expect(repeatInterleave(x, 1).storage).not.toBe(x.storage);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => repeatInterleave(a, 2, 0), [f64([2, 3])]);
    gradcheck((a) => repeatInterleave(a, tensor([1, 0, 3], { dtype: 'int32' }), 1), [f64([2, 3])]);
    gradgradcheck((a) => sq(repeatInterleave(a, 2)), [f64([2, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => repeatInterleave(zeros([2]), -1)).toThrow(/^repeatInterleave: repeats must be a non-negative integer/);
    expect(() => repeatInterleave(zeros([2]), tensor([1, 2, 3], { dtype: 'int32' }))).toThrow(
      /^repeatInterleave: repeats of shape \[3\] must have 1 or 2 elements/,
    );
    expect(() => repeatInterleave(zeros([2]), tensor([1, 2]))).toThrow(/^repeatInterleave: repeats must be an int32 tensor/);
    expect(() => repeatInterleave(zeros([2]), tensor([1, -2], { dtype: 'int32' }))).toThrow(/^repeatInterleave: repeats must be non-negative/);
  });
});

describe('tril', () => {
  it('keeps the lower triangle of the last two dims (batched), zeros elsewhere, NaN included', () => {
    for (const dtype of DTYPES)
      for (const k of [0, 1, -1, 4, -4]) {
        const x = input([2, 3, 4], dtype);
        expectRef(tril(x, k), x, [2, 3, 4], ([a, i, j]) => (j! - i! <= k ? [a!, i!, j!] : null));
      }
    expect(tril(tensor([[NaN, NaN], [Infinity, NaN]]))).toBeAllClose([[NaN, 0], [Infinity, NaN]]);
    expect(tril(zeros([2, 0, 3])).shape).toEqual([2, 0, 3]);
    const x = input([3, 4], 'float32');
    expectRef(tril(x.T), x, [4, 3], ([i, j]) => (j! <= i! ? [j!, i!] : null));
    expect(x.tril(1).toArray()).toEqual(tril(x, 1).toArray());
  });
  it('copies row-major views at an offset and strided views alike, for both triangles and every dtype', () => {
    for (const dtype of DTYPES)
      for (const k of [0, 2, -2, 7, -9]) {
        const x = input([4, 5, 6], dtype);
        const v = x.narrow(0, 1, 2); // row-major at an offset
        expectRef(tril(v, k), v, [2, 5, 6], ([a, i, j]) => (j! - i! <= k ? [a!, i!, j!] : null));
        expectRef(triu(v, k), v, [2, 5, 6], ([a, i, j]) => (j! - i! >= k ? [a!, i!, j!] : null));
        const w = x.narrow(2, 1, 4); // rows with gaps between them
        expectRef(tril(w, k), w, [4, 5, 4], ([a, i, j]) => (j! - i! <= k ? [a!, i!, j!] : null));
        expectRef(triu(w, k), w, [4, 5, 4], ([a, i, j]) => (j! - i! >= k ? [a!, i!, j!] : null));
      }
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => tril(a, -1), [f64([2, 3, 3])]);
    gradgradcheck((a) => sq(tril(a)), [f64([3, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => tril(zeros([3]))).toThrow(/^tril: expected a tensor of at least 2 dims \[\.\.\., M, N\], got shape \[3\]/);
    expect(() => tril(zeros([2, 2]), 0.5)).toThrow(/^tril: diagonal must be an integer/);
  });
});

describe('triu', () => {
  it('keeps the upper triangle of the last two dims (batched), zeros elsewhere, NaN included', () => {
    for (const dtype of DTYPES)
      for (const k of [0, 1, -1, 4, -4]) {
        const x = input([2, 3, 4], dtype);
        expectRef(triu(x, k), x, [2, 3, 4], ([a, i, j]) => (j! - i! >= k ? [a!, i!, j!] : null));
      }
    expect(triu(tensor([[NaN, NaN], [NaN, -Infinity]]))).toBeAllClose([[NaN, NaN], [0, -Infinity]]);
    expect(triu(zeros([2, 0, 3])).shape).toEqual([2, 0, 3]);
    const x = input([3, 4], 'float32');
    expect(x.triu(-1).toArray()).toEqual(triu(x, -1).toArray());
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => triu(a.T, 1), [f64([3, 4])]);
    gradgradcheck((a) => sq(triu(a, -1)), [f64([3, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => triu(zeros([3]))).toThrow(/^triu: expected a tensor of at least 2 dims/);
    expect(() => triu(zeros([2, 2]), 0.5)).toThrow(/^triu: diagonal must be an integer/);
  });
});

describe('trilIndices', () => {
  it('lists the coordinates of a triangle in row-major order, as int32 [2, K] (triuIndices too)', () => {
    for (const [r, c, k] of [[3, 3, 0], [3, 4, 1], [4, 3, -1], [0, 3, 0], [3, 3, -5], [2, 2, 5]] as const) {
      const lower: number[][] = [[], []];
      const upper: number[][] = [[], []];
      for (let i = 0; i < r; i++)
        for (let j = 0; j < c; j++) {
          if (j - i <= k) lower.forEach((l, n) => l.push(n === 0 ? i : j));
          if (j - i >= k) upper.forEach((l, n) => l.push(n === 0 ? i : j));
        }
      const tl = trilIndices(r, c, k);
      expect(tl.dtype).toBe('int32');
      expect(tl.shape).toEqual([2, lower[0]!.length]);
      expect(Array.from(tl.data)).toEqual(lower.flat());
      expect(Array.from(triuIndices(r, c, k).data)).toEqual(upper.flat());
    }
  });
  it('throws naming the op', () => {
    expect(() => trilIndices(-1, 3)).toThrow(/^trilIndices: row must be a non-negative integer, got -1/);
    expect(() => trilIndices(3, 3, 0.5)).toThrow(/^trilIndices: offset must be an integer/);
  });
});

describe('triuIndices', () => {
  it('lists the upper triangle of a 3 x 3 matrix', () => {
    expect(triuIndices(3, 3).toArray()).toEqual([[0, 0, 0, 1, 1, 2], [0, 1, 2, 1, 2, 2]]);
    expect(triuIndices(0, 0).shape).toEqual([2, 0]);
  });
  it('throws naming the op', () => {
    expect(() => triuIndices(3, 1.5)).toThrow(/^triuIndices: col must be a non-negative integer, got 1.5/);
  });
});

describe('diagonal', () => {
  it('is a view with stride s1 + s2, for any offset and dims', () => {
    for (const dtype of DTYPES) {
      const x = input([3, 2, 4], dtype);
      for (const k of [0, 1, 3, -1, -2, 9]) {
        const len = Math.max(k >= 0 ? Math.min(3, 4 - k) : Math.min(3 + k, 4), 0);
        const y = diagonal(x, k, 0, 2);
        expect(y.storage).toBe(x.storage);
        expectRef(y, x, [2, len], ([b, t]) => (k >= 0 ? [t!, b!, t! + k] : [t! - k, b!, t!]));
        const lenT = Math.max(k >= 0 ? Math.min(4, 3 - k) : Math.min(4 + k, 3), 0);
        expectRef(diagonal(x, k, -1, 0), x, [2, lenT], ([b, t]) => (k >= 0 ? [t! + k, b!, t!] : [t!, b!, t! - k]));
      }
    }
    const x = input([3, 4], 'float32');
    expectRef(diagonal(x.T, 1), x, [2], ([t]) => [t! + 1, t!]);
    expect(x.diagonal(-1).toArray()).toEqual(diagonal(x, -1).toArray());
  });
  it('writes through to its base', () => {
    const x = zeros([3, 3]);
    noGrad(() => diagonal(x, 1).fill_(7));
    expect(x.toArray()).toEqual([[0, 7, 0], [0, 0, 7], [0, 0, 0]]);
  });
  it('reads an overlapping operand of an in-place write as it was before the write', () => {
    const x = arange(9, { dtype: 'float32' }).reshape([3, 3]);
    diagonal(x).copy_(x.select(0, 0));
    expect(x.toArray()).toEqual([[0, 1, 2], [3, 1, 5], [6, 7, 2]]);
    const y = arange(9, { dtype: 'float32' }).reshape([3, 3]);
    y.select(0, 0).copy_(diagonal(y));
    expect(y.toArray()).toEqual([[0, 4, 8], [3, 4, 5], [6, 7, 8]]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => diagonal(a, 1, 2, 0), [f64([3, 2, 4])]);
    gradcheck((a) => diagonal(a.T, -1), [f64([3, 4])]);
    gradgradcheck((a) => sq(diagonal(a, -1)), [f64([3, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => diagonal(zeros([2, 3]), 0, 1, -1)).toThrow(/^diagonal: dim1 and dim2 are the same dim 1 \(shape \[2,3\]\)/);
    expect(() => diagonal(zeros([3]))).toThrow(/^diagonal: expected a tensor of at least 2 dims/);
    expect(() => diagonal(zeros([2, 2]), 0.5)).toThrow(/^diagonal: offset must be an integer/);
    expect(() => diagonal(zeros([2, 2]), 0, 0, 2)).toThrow(/^diagonal: dim 2 is out of range/);
  });
});

describe('diag', () => {
  it('turns a vector into a matrix and takes a matrix diagonal (a copy)', () => {
    const v = input([3], 'int32');
    expectRef(diag(v, 1), v, [4, 4], ([i, j]) => (j === i! + 1 ? [i!] : null));
    expectRef(diag(v, -2), v, [5, 5], ([i, j]) => (i === j! + 2 ? [j!] : null));
    const m = input([3, 4], 'float64');
    const d = diag(m, 1);
    expect(d.storage).not.toBe(m.storage);
    expectRef(d, m, [3], ([t]) => [t!, t! + 1]);
    expect(v.diag().shape).toEqual([3, 3]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => diag(a, -1), [f64([3])]);
    gradcheck((a) => diag(a.T, 1), [f64([3, 4])]);
    gradgradcheck((a) => sq(diag(a, 2)), [f64([3])]);
    gradgradcheck((a) => sq(diag(a)), [f64([3, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => diag(zeros([2, 2, 2]))).toThrow(/^diag: expected a 1-D or 2-D tensor, got shape \[2,2,2\]/);
    expect(() => diag(tensor(1))).toThrow(/^diag: expected a 1-D or 2-D tensor, got shape \[\]/);
  });
});

describe('diagEmbed', () => {
  it('inverts diagonal, for any dims', () => {
    const x = input([2, 3], 'float32');
    for (const [k, d1, d2] of [[0, -2, -1], [1, 0, 2], [-1, 2, 0], [2, 1, 0]] as const) {
      const y = diagEmbed(x, k, d1, d2);
      expect(diagonal(y, k, d1, d2).toArray()).toEqual(x.toArray());
      expect(y.abs().sum().item()).toBeCloseTo(x.abs().sum().item(), 4);
    }
    expect(diagEmbed(x).shape).toEqual([2, 3, 3]);
    expect(diagEmbed(x, -2, 0, 1).shape).toEqual([5, 5, 2]);
    expect(x.diagEmbed(1).shape).toEqual([2, 4, 4]);
    expect(diagEmbed(zeros([2, 0])).shape).toEqual([2, 0, 0]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => diagEmbed(a, 1, 0, 2), [f64([2, 3])]);
    gradgradcheck((a) => sq(diagEmbed(a)), [f64([2, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => diagEmbed(tensor(1))).toThrow(/^diagEmbed: expected a tensor of at least 1 dim/);
    expect(() => diagEmbed(zeros([2]), 0, 1, -1)).toThrow(/^diagEmbed: dim1 and dim2 are the same dim 1/);
    expect(() => diagEmbed(zeros(new Array(64).fill(1)))).toThrow(/^diagEmbed: 65 dims is more than the 64/);
  });
});

describe('diagflat', () => {
  it('flattens first', () => {
    const x = input([2, 2], 'int32');
    expectRef(diagflat(x, 1), x, [5, 5], ([i, j]) => (j === i! + 1 ? [Math.floor(i! / 2), i! % 2] : null));
    expect(diagflat(tensor(3)).toArray()).toEqual([[3]]);
    expect(x.diagflat().shape).toEqual([4, 4]);
  });
  it('passes gradcheck and gradgradcheck', () => {
    gradcheck((a) => diagflat(a, -2), [f64([2, 2])]);
    gradgradcheck((a) => sq(diagflat(a.T, 1)), [f64([2, 3])]);
  });
  it('throws naming the op', () => {
    expect(() => diagflat(zeros([2]), 0.5)).toThrow(/^diagflat: offset must be an integer/);
  });
});

describe('shape-taking methods', () => {
  it('are views where PyTorch returns views and copies elsewhere', () => {
    const x = arange(12, { dtype: 'float32' }).reshape([3, 4]);
    for (const v of [x.diagonal(), x.movedim(0, 1), x.swapaxes(0, 1), x.unflatten(1, [2, 2]), x.broadcastTo(2, 3, 4), x.unbind(1)[0]!, x.tensorSplit(2)[1]!])
      expect(v.storage).toBe(x.storage);
    for (const c of [x.flip(0), x.roll(1), x.rot90(), x.repeat(1, 1), x.tile(1), x.repeatInterleave(1, 0), x.tril(), x.triu(), x.diag(), x.fliplr(), x.flipud()])
      expect(c.storage).not.toBe(x.storage);
  });
});

describe('bool inputs of the shape ops', () => {
  it('keep the bool dtype and values', () => {
    const b = tensor([[1, 0, 1], [0, 1, 1]]).gt(0);
    const cases: Array<[Tensor, boolean[][] | boolean[]]> = [
      [flip(b, [0, 1]), [[true, true, false], [true, false, true]]],
      [roll(b, 1), [[true, true, false], [true, false, true]]],
      [repeatInterleave(b, tensor([1, 2], { dtype: 'int32' }), 0), [[true, false, true], [false, true, true], [false, true, true]]],
      [tril(b), [[true, false, false], [false, true, false]]],
      [diag(b), [true, true]],
      [repeat(b, [1, 2]), [[true, false, true, true, false, true], [false, true, true, false, true, true]]],
    ];
    for (const [y, want] of cases) {
      expect(y.dtype).toBe('bool');
      expect(y.toArray()).toEqual(want);
    }
  });
});

describe('argument checks of the shape ops', () => {
  // Plain JavaScript callers can pass anything: the op and the value are named.
  const any = (v: unknown) => v as never;
  it('refuse a non-tensor input, naming the op', () => {
    expect(() => flip(any([1, 2]), 0)).toThrow(ValueError);
    expect(() => flip(any([1, 2]), 0)).toThrow(/^flip: x must be a Tensor, got an array \[1, 2\]/);
    expect(() => diagonal(any(null))).toThrow(/^diagonal: x must be a Tensor, got null/);
    expect(() => hstack(any(zeros([2])))).toThrow(/^hstack: tensors must be an array of Tensors, got a Tensor/);
    expect(() => vstack([zeros([2]), any(3)])).toThrow(/^vstack: tensors\[1\] must be a Tensor, got 3 \(a number\)/);
    expect(() => broadcastTensors(zeros([2]), any('a'))).toThrow(/^broadcastTensors: tensors\[1\] must be a Tensor/);
  });
  it('refuse dims, shifts and repeats that are not integers', () => {
    expect(() => flip(zeros([2]), any('0'))).toThrow(/^flip: dims must be an integer or a list of integers, got '0' \(a string\)/);
    expect(() => roll(zeros([2]), any(undefined))).toThrow(/^roll: shifts must be an integer or a list of integers/);
    expect(() => movedim(zeros([2]), [0.5], [0])).toThrow(/^movedim: source must be an integer or a list/);
    expect(broadcastTo(zeros([1]), 3).shape).toEqual([3]);
    expect(() => unflatten(zeros([4]), 0, any([2, '2']))).toThrow(/^unflatten: sizes must be/);
  });
  it('take a single number where PyTorch takes one', () => {
    expect(repeat(tensor([1, 2]), 2).toArray()).toEqual([1, 2, 1, 2]);
    expect(tile(tensor([[1, 2]]), 2).toArray()).toEqual([[1, 2, 1, 2]]);
  });
});
