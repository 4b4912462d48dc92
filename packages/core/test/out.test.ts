import { afterEach, describe, expect, it } from 'vitest';
import {
  Tensor, Generator, AutogradError, DTypeError, ShapeError, randn, tensor, zeros, noGrad, setBackend,
  add, sub, mul, div, neg, abs, exp, log, sqrt, rsqrt, tanh, sigmoid, relu,
} from '@tapegrad/core';

// The `out` option of element-wise ops (PyTorch's out=): the result lands in the given tensor,
// which is returned; values as without it, on both backends, for plain, pinned, offset and
// strided destinations; clear errors for every misuse.

afterEach(() => setBackend('wasm'));

const seeded = (shape: number[], seed: number, positive = false) => {
  const t = randn(shape, { generator: new Generator(seed) });
  return positive ? abs(t).add(0.1) : t;
};

/** The elements of `t` in row-major order (any layout). */
const flat = (t: Tensor) => Array.from(t.contiguous().data as Float32Array);

/** Expects the same elements, bit for bit (NaN equal to NaN), with a short message on the first difference. */
function expectSameValues(actual: Tensor, expected: Tensor, what: string): void {
  expect(actual.shape, what).toEqual(expected.shape);
  const a = flat(actual);
  const b = flat(expected);
  const i = a.findIndex((v, k) => !Object.is(v, b[k]));
  expect(i === -1 ? 'same' : `element ${i}: ${a[i]} != ${b[i]}`, what).toBe('same');
}

type Unary = (x: Tensor, opts?: { out?: Tensor }) => Tensor;
const UNARY: Array<[string, Unary, boolean]> = [
  ['neg', neg, false], ['abs', abs, false], ['exp', exp, false], ['log', log, true], ['sqrt', sqrt, true],
  ['rsqrt', rsqrt, true], ['tanh', tanh, false], ['sigmoid', sigmoid, false], ['relu', relu, false],
];
type Binary = (a: Tensor, b: Tensor, opts?: { out?: Tensor }) => Tensor;
const BINARY: Array<[string, Binary]> = [['add', add], ['sub', sub], ['mul', mul], ['div', div]];

/** Destinations of `shape`: a plain tensor, a pinned one, a contiguous slice of a larger one, a transposed view. */
function destinations(shape: [number, number]): Array<[string, Tensor]> {
  const [r, c] = shape;
  return [
    ['plain', zeros(shape)],
    ['pinned', zeros(shape, { pinMemory: true })],
    ['slice', zeros([r + 2, c]).narrow(0, 1, r)],
    ['transposed', zeros([c, r]).T],
  ];
}

describe.each(['wasm', 'js'])('out option on the %s backend', (backend) => {
  // 400 x 700 = 280,000 elements: above the wasm kernels' chunk of 131,072, so several chunks run
  const shapes: Array<[number, number]> = [[3, 5], [400, 700]];

  it('unary ops write what they return without out, and return out', () => {
    setBackend(backend);
    for (const shape of shapes)
      for (const [name, f, positive] of UNARY)
        for (const [kind, out] of destinations(shape)) {
          const x = seeded(shape, 1, positive);
          const before = out.storage.version;
          expect(f(x, { out }), `${name} into ${kind}`).toBe(out);
          expect(out.storage.version).toBe(before + 1);
          expectSameValues(out, f(x), `${name} into ${kind}`);
        }
  });

  it('binary ops write what they return without out, broadcasting included', () => {
    setBackend(backend);
    for (const shape of shapes)
      for (const [name, f] of BINARY)
        for (const [kind, out] of destinations(shape)) {
          const a = seeded(shape, 2);
          const pinned = seeded(shape, 3, true).pinMemory();
          const row = seeded([shape[1]], 4, true);
          for (const [b, what] of [[pinned, 'pinned'], [row, 'a broadcast row']] as const) {
            expect(f(a, b, { out }), `${name} into ${kind} with ${what}`).toBe(out);
            expectSameValues(out, f(a, b), `${name} into ${kind} with ${what}`);
          }
        }
  });

  it('out may be an input itself (an in-place update)', () => {
    setBackend(backend);
    const a = seeded([400, 700], 5);
    const b = seeded([400, 700], 6);
    const want = add(a, b);
    expect(add(a, b, { out: a })).toBe(a);
    expectSameValues(a, want, 'add into its first input');
    const x = seeded([400, 700], 7);
    const sq = mul(x, x);
    mul(x, x, { out: x });
    expectSameValues(x, sq, 'mul of x by itself into x');
  });

  it('keeps add and sub alpha, and integer dtypes', () => {
    setBackend(backend);
    const a = tensor([1, 2, 3]);
    const out = zeros([3]);
    add(a, tensor([1, 1, 1]), { alpha: 2, out });
    expect(out.toArray()).toEqual([3, 4, 5]);
    sub(a, 1, { alpha: 3, out });
    expect(out.toArray()).toEqual([-2, -1, 0]);
    const i = tensor([1, -2, 3], { dtype: 'int32' });
    const io = zeros([3], { dtype: 'int32' });
    expect(neg(i, { out: io }).toArray()).toEqual([-1, 2, -3]);
    const fo = zeros([3]);
    expect(exp(tensor([0, 1, 2], { dtype: 'int32' }), { out: fo }).toArray()).toEqual(exp(tensor([0, 1, 2])).toArray());
  });
});

describe('out option errors', () => {
  it('names the shapes when out has the wrong shape', () => {
    expect(() => add(zeros([2, 3]), zeros([3]), { out: zeros([3, 2]) })).toThrow(ShapeError);
    expect(() => add(zeros([2, 3]), zeros([3]), { out: zeros([3, 2]) })).toThrow('add: out has shape [3,2] but the result has shape [2,3]');
    expect(() => exp(zeros([4]), { out: zeros([1]) })).toThrow('exp: out has shape [1] but the result has shape [4]');
  });
  it('names the dtypes when out has the wrong dtype (no casting)', () => {
    expect(() => exp(zeros([2]), { out: zeros([2], { dtype: 'int32' }) })).toThrow(DTypeError);
    expect(() => exp(zeros([2]), { out: zeros([2], { dtype: 'float64' }) })).toThrow('exp: out has dtype float64 but the result has dtype float32');
    expect(() => div(tensor([1, 2], { dtype: 'int32' }), 2, { out: zeros([2], { dtype: 'int32' }) })).toThrow(
      'div: out has dtype int32 but the result has dtype float32',
    );
  });
  it('refuses inputs that require grad while the tape records, and accepts them under noGrad', () => {
    const w = randn([3], { requiresGrad: true });
    const out = zeros([3]);
    expect(() => mul(w, 2, { out })).toThrow(AutogradError);
    expect(() => relu(w, { out })).toThrow('relu: an input (shape [3]) requires grad, and a result written into out is not recorded on the tape');
    expect(noGrad(() => mul(w, 2, { out }))).toBe(out);
    expect(out.toArray()).toEqual(noGrad(() => mul(w, 2)).toArray());
    expect(out.requiresGrad).toBe(false);
  });
  it('refuses an out that requires grad, an expanded out and a non-tensor', () => {
    const x = randn([4]);
    expect(() => add(x, 1, { out: zeros([4], { requiresGrad: true }) })).toThrow('cannot be modified in place');
    expect(() => add(x, 1, { out: zeros([1]).expand([4]) })).toThrow('is an expanded view');
    expect(() => exp(x, { out: [0, 0, 0, 0] as unknown as Tensor })).toThrow('exp: option out must be a tensor, got an array [0, 0, 0, 0]');
  });
});

describe.each(['wasm', 'js'])('out sharing memory with an input on the %s backend', (backend) => {
  it('gets the result of the inputs as they were before the call (out one element ahead or behind, disjoint slices)', () => {
    setBackend(backend);
    // 200,001 elements: above one wasm chunk, so that a streamed write would corrupt later reads
    const n = 200_001;
    for (const [what, input, out] of [
      ['out one element ahead', (t: Tensor) => t.narrow(0, 0, n), (t: Tensor) => t.narrow(0, 1, n)],
      ['out one element behind', (t: Tensor) => t.narrow(0, 1, n), (t: Tensor) => t.narrow(0, 0, n)],
      ['disjoint halves', (t: Tensor) => t.narrow(0, 0, 100_000), (t: Tensor) => t.narrow(0, 100_001, 100_000)],
    ] as const) {
      const base = seeded([n + 1], 8);
      const x = input(base);
      const y = seeded(x.shape, 9);
      const want = add(x, y);
      const wantExp = exp(want);
      const o = out(base);
      add(x, y, { out: o });
      expectSameValues(o, want, `add, ${what}`);
      exp(o, { out: o });
      expectSameValues(o, wantExp, `exp in place, ${what}`);
    }
  });
});
