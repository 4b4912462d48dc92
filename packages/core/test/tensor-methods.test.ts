import { describe, expect, it } from 'vitest';
import {
  tensor, zeros, ones, arange, randn, Generator, noGrad, all, any, Tensor,
  AutogradError, DTypeError, ShapeError, ValueError,
} from '@tapegrad/core';

/** Every index tuple of `shape`, in row-major order. */
function* indices(shape: number[]): Iterable<number[]> {
  const n = shape.reduce((a, b) => a * b, 1);
  for (let k = 0; k < n; k++) {
    const idx: number[] = [];
    let r = k;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx.unshift(r % shape[d]!);
      r = Math.floor(r / shape[d]!);
    }
    yield idx;
  }
}

/** all/any by a plain loop: reduces `dims` of `x` (every dim if none), keeping them as size 1. */
function reduceLoop(x: Tensor, dims: number[], op: 'all' | 'any'): { shape: number[]; values: boolean[] } {
  const shape = x.shape;
  const outShape = shape.map((s, d) => (dims.includes(d) ? 1 : s));
  const values = Array.from({ length: outShape.reduce((a, b) => a * b, 1) }, () => op === 'all');
  const data = x.data;
  let k = 0;
  for (const idx of indices(shape)) {
    const o = idx.reduce((acc: number, v: number, d: number) => acc * outShape[d]! + (dims.includes(d) ? 0 : v), 0);
    const nonzero = data[k++] !== 0;
    values[o] = op === 'all' ? values[o]! && nonzero : values[o]! || nonzero;
  }
  return { shape: outShape, values };
}

describe('dim, ndimension, nelement and tolist', () => {
  it('give the number of dims, of elements and the nested values, as in PyTorch', () => {
    const x = zeros([2, 3, 4]);
    expect(x.dim()).toBe(3);
    expect(x.ndimension()).toBe(3);
    expect(x.nelement()).toBe(24);
    expect(tensor(1).dim()).toBe(0);
    expect(zeros([0, 3]).nelement()).toBe(0);
    expect(tensor([[1, 2], [3, 4]]).tolist()).toEqual([[1, 2], [3, 4]]);
    expect(tensor([true, false]).tolist()).toEqual([true, false]);
    expect(tensor(2.5).tolist()).toBe(2.5);
  });
});

describe('t', () => {
  it('transposes a matrix as a view and returns 0-D and 1-D tensors as they are', () => {
    const m = arange(6).reshape([2, 3]);
    const mt = m.t();
    expect(mt.shape).toEqual([3, 2]);
    expect(mt.toArray()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(mt.storage).toBe(m.storage);
    const v = tensor([1, 2, 3]);
    expect(v.t().toArray()).toEqual([1, 2, 3]);
    expect(v.t().storage).toBe(v.storage);
    expect(tensor(4).t().item()).toBe(4);
    expect(tensor(4).t().shape).toEqual([]);
  });

  it('passes the gradient back through the transpose', () => {
    const m = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    m.t().mul(tensor([[1, 2], [3, 4], [5, 6]])).sum().backward();
    expect(m.grad!.toArray()).toEqual([[1, 3, 5], [2, 4, 6]]);
  });

  it('refuses more than 2 dims', () => {
    expect(() => zeros([2, 3, 4]).t()).toThrow(ShapeError);
    expect(() => zeros([2, 3, 4]).t()).toThrow('t: expected a tensor of at most 2 dims, got shape [2,3,4]; use transpose(dim0, dim1) or mT');
  });
});

describe('mm', () => {
  it('multiplies two matrices and refuses anything but two 2-D tensors', () => {
    expect(tensor([[1, 2], [3, 4]]).mm(tensor([[5, 6], [7, 8]])).toArray()).toEqual([[19, 22], [43, 50]]);
    expect(() => tensor([1, 2]).mm(tensor([[1], [2]]))).toThrow('mm: expected two 2-D tensors, got shapes [2] and [2,1]');
    expect(() => zeros([2, 2]).mm(zeros([1, 2, 2]))).toThrow(ShapeError);
    expect(() => zeros([2, 3]).mm(zeros([2, 3]))).toThrow(ShapeError);
  });
});

describe('type and long', () => {
  it('name the type as PyTorch does and cast to a dtype or a type name', () => {
    expect(tensor([1]).type()).toBe('torch.FloatTensor');
    expect(tensor([1], { dtype: 'float64' }).type()).toBe('torch.DoubleTensor');
    expect(tensor([1], { dtype: 'int32' }).type()).toBe('torch.IntTensor');
    expect(tensor([true]).type()).toBe('torch.BoolTensor');
    expect(tensor([1.5, -1.5]).type('int32').toArray()).toEqual([1, -1]);
    expect(tensor([1.5]).type('torch.DoubleTensor').dtype).toBe('float64');
    expect(() => tensor([1]).type('torch.HalfTensor' as never)).toThrow(ValueError);
    expect(() => tensor([1]).type('torch.HalfTensor' as never)).toThrow(/^type: unknown type "torch.HalfTensor"/);
  });

  it('long casts to int32, truncating toward zero', () => {
    const l = tensor([2.9, -2.9, 0]).long();
    expect(l.dtype).toBe('int32');
    expect(l.toArray()).toEqual([2, -2, 0]);
  });
});

describe('viewAs, expandAs and reshapeAs', () => {
  it('take the other tensor\'s shape; viewAs refuses a copy as view does', () => {
    const x = arange(6);
    const v = x.viewAs(zeros([2, 3]));
    expect(v.shape).toEqual([2, 3]);
    expect(v.storage).toBe(x.storage);
    expect(() => arange(6).reshape([2, 3]).T.viewAs(zeros([6]))).toThrow(ShapeError);
    expect(arange(6).reshape([2, 3]).T.reshapeAs(zeros([6])).toArray()).toEqual([0, 3, 1, 4, 2, 5]);
    expect(tensor([[1], [2]]).expandAs(zeros([2, 3])).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
  });
});

describe('all and any', () => {
  const cases: Array<[number[], Array<number | number[] | undefined>]> = [
    [[], [undefined, 0, -1]],
    [[5], [undefined, 0]],
    [[3, 4], [undefined, 0, 1, -1, [0, 1], []]],
    [[2, 3, 4], [undefined, 1, [0, 2], [2, 0], -2]],
    [[2, 0, 3], [undefined, 0, 1, 2]],
  ];
  for (const [shape, dims] of cases) {
    for (const dim of dims) {
      it(`agree with a loop over shape [${shape}], dim ${JSON.stringify(dim)}, with and without keepdim`, () => {
        const g = new Generator(shape.length * 7 + (typeof dim === 'number' ? dim + 3 : 0));
        // Mostly non-zero, so that all() is sometimes true; one NaN that counts as non-zero.
        const x = randn(shape, { generator: g }).gt(-1.2).to('float32');
        if (x.numel() > 2) x.data[1] = NaN;
        const red = dim === undefined || (Array.isArray(dim) && dim.length === 0)
          ? shape.map((_, i) => i)
          : (typeof dim === 'number' ? [dim] : dim).map((d) => (d < 0 ? d + shape.length : d));
        for (const op of ['all', 'any'] as const) {
          const ref = reduceLoop(x, red, op);
          const kept = (op === 'all' ? all : any)(x, dim, { keepdim: true });
          expect(kept.dtype).toBe('bool');
          expect(kept.shape).toEqual(ref.shape);
          expect(Array.from(kept.data, (v) => v !== 0)).toEqual(ref.values);
          const dropped = op === 'all' ? x.all(dim) : x.any(dim);
          expect(dropped.shape).toEqual(shape.filter((_, d) => !red.includes(d)));
          expect(Array.from(dropped.data, (v) => v !== 0)).toEqual(ref.values);
        }
      });
    }
  }

  it('give true for all and false for any over no elements, as PyTorch', () => {
    expect(zeros([0]).all().item()).toBe(1);
    expect(zeros([0]).any().item()).toBe(0);
    expect(zeros([3, 0]).all(1).toArray()).toEqual([true, true, true]);
  });

  it('take int32 and bool tensors and are not recorded on the tape', () => {
    expect(tensor([1, 0], { dtype: 'int32' }).any().item()).toBe(1);
    expect(tensor([true, true]).all().item()).toBe(1);
    const x = tensor([1, 2], { requiresGrad: true });
    expect(x.all().requiresGrad).toBe(false);
  });

  it('check dims and options', () => {
    expect(() => zeros([2, 2]).all(2)).toThrow('all: dim 2 is out of range for a tensor of 2 dims (shape [2,2])');
    expect(() => zeros([2, 2]).any(0, { keepDim: true } as never)).toThrow(/^any: unknown option 'keepDim' \(did you mean 'keepdim'\?\)/);
    expect(() => zeros([2, 2]).any(0, true as never)).toThrow(ValueError);
  });
});

describe('detach_', () => {
  it('makes the tensor a leaf that does not require grad, in place', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    expect(y.detach_()).toBe(y);
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
    expect(y.gradFn).toBeNull();
    expect(y.mul(3).requiresGrad).toBe(false);
    expect(y.toArray()).toEqual([2, 4]);
  });
});

describe('in-place maps', () => {
  const cases: Array<[string, (t: Tensor) => Tensor, (t: Tensor) => Tensor]> = [
    ['neg_', (t) => t.neg_(), (t) => t.neg()],
    ['abs_', (t) => t.abs_(), (t) => t.abs()],
    ['exp_', (t) => t.exp_(), (t) => t.exp()],
    ['log_', (t) => t.log_(), (t) => t.log()],
    ['rsqrt_', (t) => t.rsqrt_(), (t) => t.rsqrt()],
    ['tanh_', (t) => t.tanh_(), (t) => t.tanh()],
    ['sigmoid_', (t) => t.sigmoid_(), (t) => t.sigmoid()],
    ['relu_', (t) => t.relu_(), (t) => t.relu()],
  ];
  for (const [name, inPlace, outOfPlace] of cases) {
    it(`${name} writes the op's result into the tensor, returns it and bumps its version`, () => {
      for (const dtype of ['float32', 'float64'] as const) {
        const x = tensor([[0.5, -1.5, 2], [3, -0.25, 1]], { dtype });
        const want = outOfPlace(x).toArray();
        const v = x.version;
        expect(inPlace(x)).toBe(x);
        expect(x.toArray()).toEqual(want);
        expect(x.version).toBe(v + 1);
      }
      // through a strided view: only its elements change
      const base = arange(6).reshape([2, 3]).add(1).float();
      const col = base.select(1, 1);
      const want = outOfPlace(col).toArray() as number[];
      inPlace(col);
      expect(base.select(1, 1).toArray()).toEqual(want);
      expect(base.select(1, 0).toArray()).toEqual([1, 4]);
    });
  }

  it('keep an int32 tensor int32 where the result allows (neg_, abs_, relu_) and refuse float results', () => {
    expect(tensor([-1, 2], { dtype: 'int32' }).relu_().toArray()).toEqual([0, 2]);
    expect(tensor([-1, 2], { dtype: 'int32' }).abs_().toArray()).toEqual([1, 2]);
    expect(tensor([-1, 2], { dtype: 'int32' }).neg_().toArray()).toEqual([1, -2]);
    expect(() => tensor([1], { dtype: 'int32' }).exp_()).toThrow(DTypeError);
    expect(() => tensor([1], { dtype: 'int32' }).exp_()).toThrow(/^exp_: the result is a float and cannot be written into a tensor of dtype int32/);
  });

  it('refuse a tensor that requires grad while the tape records, and work on it under noGrad', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => w.exp_()).toThrow(AutogradError);
    expect(() => w.exp_()).toThrow(/^exp_: a tensor that requires grad/);
    noGrad(() => w.relu_());
    expect(w.requiresGrad).toBe(true);
  });

  it('make backward refuse a saved tensor they changed', () => {
    const x = tensor([0.5, 1], { requiresGrad: true });
    const y = x.sigmoid(); // saves its output
    const z = y.mul(2);
    noGrad(() => y.exp_());
    expect(() => z.add(y).sum().backward()).toThrow(/modified by an in-place operation/);
  });

  it('refuse an expanded view', () => {
    expect(() => tensor([1]).expand(3).exp_()).toThrow(ShapeError);
  });
});

describe('uniform_ and normal_', () => {
  it('fill in place with samples drawn from the generator, reproducibly', () => {
    const a = zeros([1000]);
    const v = a.version;
    expect(a.uniform_(-2, 3, { generator: new Generator(5) })).toBe(a);
    expect(a.version).toBe(v + 1);
    expect(a.min().item()).toBeGreaterThanOrEqual(-2);
    expect(a.max().item()).toBeLessThan(3);
    expect(a.mean().item()).toBeCloseTo(0.5, 0);
    const b = zeros([1000]).uniform_(-2, 3, { generator: new Generator(5) });
    expect(b.toArray()).toEqual(a.toArray());
    const n = zeros([100, 100], { dtype: 'float64' }).normal_(3, 0.5, { generator: new Generator(1) });
    expect(n.mean().item()).toBeCloseTo(3, 1);
    expect(n.std().item()).toBeCloseTo(0.5, 1);
    expect(zeros([3]).uniform_().max().item()).toBeLessThan(1);
    expect(zeros([3]).normal_().dtype).toBe('float32');
  });

  it('fill only the elements of a view', () => {
    const base = zeros([3, 4]);
    base.select(1, 2).normal_(10, 1);
    expect(base.select(1, 2).min().item()).toBeGreaterThan(3);
    expect(base.select(1, 0).toArray()).toEqual([0, 0, 0]);
  });

  it('check their arguments, dtype and options', () => {
    expect(() => zeros([2]).uniform_(1, 0)).toThrow('uniform_: expected from <= to, got from=1, to=0');
    expect(() => zeros([2]).normal_(0, -1)).toThrow('normal_: expected std >= 0, got -1');
    expect(() => zeros([2], { dtype: 'int32' }).uniform_()).toThrow(DTypeError);
    expect(() => zeros([2]).uniform_(0, 1, { generator: 3 } as never)).toThrow('uniform_: option generator must be a Generator, got 3 (a number)');
    expect(() => zeros([2]).normal_(0, 1, { gen: new Generator(1) } as never)).toThrow(/^normal_: unknown option 'gen'/);
    expect(() => zeros([2]).normal_(0, 1, { generator: new Generator(1), seed: 1 } as never)).toThrow(/^normal_: unknown option 'seed'/);
    expect(() => tensor([1], { requiresGrad: true }).normal_()).toThrow(AutogradError);
  });
});

describe('registerHook', () => {
  it('returns a handle whose remove() (or the handle itself) removes the hook once', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const hook = (g: Tensor) => g.mul(10);
    const h1 = x.registerHook(hook);
    const h2 = x.registerHook(hook); // the same function twice
    x.sum().backward();
    expect(x.grad!.toArray()).toEqual([100, 100]);
    h1.remove();
    h1.remove(); // a second remove must not take out the other hook
    x.grad = null;
    x.sum().backward();
    expect(x.grad!.toArray()).toEqual([10, 10]);
    h2();
    x.grad = null;
    x.sum().backward();
    expect(x.grad!.toArray()).toEqual([1, 1]);
  });

  it('removes a hook of a non-leaf tensor', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(1);
    const h = y.registerHook((g) => g.mul(0));
    h.remove();
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([1, 1]);
    expect(ones([1]).mul(1)).toBeInstanceOf(Tensor);
  });
});

describe('arguments of the methods Tensor defines itself', () => {
  it('to takes a dtype or a tensor and checks its options', () => {
    const x = tensor([1.5, 2]);
    expect(x.to(zeros([1], { dtype: 'float64' })).dtype).toBe('float64');
    expect(x.to('float32')).toBe(x);
    const c = x.to('float32', { copy: true });
    expect(c).not.toBe(x);
    expect(c.storage).not.toBe(x.storage);
    expect(c.toArray()).toEqual([1.5, 2]);
    expect(x.to('float32', { copy: false })).toBe(x);
    expect(x.to('float32', { nonBlocking: false })).toBe(x);
    expect(() => x.to('float32', { cpoy: true } as never)).toThrow("to: unknown option 'cpoy' (did you mean 'copy'?); to takes copy, nonBlocking");
    expect(() => x.to('float32', { copy: 1 } as never)).toThrow('to: option copy must be a boolean, got 1 (a number)');
    expect(() => x.to('float32', true as never)).toThrow(/^to: expected an options object such as \{ copy: \.\.\. \}, got true \(a boolean\)/);
    expect(() => x.to('float32', { nonBlocking: true })).toThrow('to: nonBlocking is not supported: tapegrad has no devices to copy between');
  });

  it('to with copy keeps the gradient path', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.to('float32', { copy: true }).mul(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([3, 3]);
  });

  it('requiresGrad_ and the requiresGrad setter take only a boolean', () => {
    expect(() => zeros([2]).requiresGrad_('false' as never)).toThrow("requiresGrad: expected true or false, got 'false' (a string)");
    expect(() => zeros([2]).requiresGrad_(1 as never)).toThrow(ValueError);
    const x = zeros([2]);
    expect(() => { x.requiresGrad = 'yes' as never; }).toThrow(ValueError);
    expect(x.requiresGrad).toBe(false);
    expect(x.requiresGrad_(true).requiresGrad).toBe(true);
  });

  it('size takes an integer dim, registerHook a function, uniform_ and normal_ numbers', () => {
    expect(() => zeros([2, 3]).size(0.5)).toThrow('size: dim must be an integer, got 0.5 (a number)');
    expect(() => tensor([1], { requiresGrad: true }).registerHook('g' as never)).toThrow("registerHook: expected a function, got 'g' (a string)");
    expect(() => zeros([2]).uniform_('0' as never, 1)).toThrow("uniform_: from must be a number, got '0' (a string)");
    expect(() => zeros([2]).normal_(0, null as never)).toThrow('normal_: std must be a number, got null');
  });
});
