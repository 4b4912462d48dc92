import { describe, expect, it } from 'vitest';
import { tensor, randn, gradcheck, Generator, type Tensor } from '@tapegrad/core';
import {
  Sigmoid, Tanh, ReLU, LeakyReLU, ELU, GELU, Softplus, Softmax, LogSoftmax, Heaviside, Step, F, type Module,
} from '@tapegrad/nn';

const xs = [-3, -1.5, -0.2, 0.3, 1, 2.5];
const x64 = () => tensor(xs, { dtype: 'float64', requiresGrad: true });

/** erf by its Maclaurin series (accurate to ~1e-15 for |x| < 3). */
function erf(x: number): number {
  let sum = 0;
  let term = x;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const cases: Array<[string, Module, (v: number) => number]> = [
  ['Sigmoid', new Sigmoid(), (v) => 1 / (1 + Math.exp(-v))],
  ['Tanh', new Tanh(), Math.tanh],
  ['ReLU', new ReLU(), (v) => Math.max(v, 0)],
  ['LeakyReLU', new LeakyReLU(0.2), (v) => (v > 0 ? v : 0.2 * v)],
  ['ELU', new ELU(1.5), (v) => (v > 0 ? v : 1.5 * (Math.exp(v) - 1))],
  ['GELU', new GELU(), (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))],
  [
    'GELU tanh',
    new GELU({ approximate: 'tanh' }),
    (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
  ],
  ['Softplus', new Softplus(), (v) => Math.log1p(Math.exp(v))],
  ['Softplus beta', new Softplus({ beta: 2, threshold: 3 }), (v) => (2 * v > 3 ? v : Math.log1p(Math.exp(2 * v)) / 2)],
];

for (const [name, mod, ref] of cases) {
  describe(name, () => {
    it('matches its formula element-wise', () => {
      expect(mod.call(x64())).toBeAllClose(xs.map(ref), { rtol: 1e-12, atol: 1e-12 });
    });
    it('passes gradcheck', () => {
      expect(gradcheck((x) => mod.call(x), [x64()]).ok).toBe(true);
    });
  });
}

describe('Softmax', () => {
  it('normalises along the given dim', () => {
    const x = randn([2, 3], { dtype: 'float64', generator: new Generator(1) });
    const X = x.toArray() as number[][];
    const ref = X.map((r) => {
      const e = r.map(Math.exp);
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    });
    expect(new Softmax(1).call(x)).toBeAllClose(ref, { rtol: 1e-12, atol: 1e-12 });
    const col = X[0]!.map((_, j) => [Math.exp(X[0]![j]!), Math.exp(X[1]![j]!)]);
    const refCols = [0, 1].map((i) => col.map((c) => c[i]! / (c[0]! + c[1]!)));
    expect(new Softmax(0).call(x)).toBeAllClose(refCols, { rtol: 1e-12, atol: 1e-12 });
    expect(new Softmax(1).toString()).toBe('Softmax(dim=1)');
  });

  it('passes gradcheck', () => {
    const x = randn([2, 3], { dtype: 'float64', requiresGrad: true, generator: new Generator(2) });
    expect(gradcheck((t) => new Softmax(1).call(t), [x]).ok).toBe(true);
  });
});

describe('LogSoftmax', () => {
  it('is stable for logits of +-1000', () => {
    const y = new LogSoftmax(1).call(tensor([[1000, -1000, 0]], { dtype: 'float64' }));
    expect(y).toBeAllClose([[0, -2000, -1000]], { rtol: 1e-15, atol: 0 });
  });

  it('passes gradcheck', () => {
    const x = randn([3, 2], { dtype: 'float64', requiresGrad: true, generator: new Generator(3) });
    expect(gradcheck((t) => new LogSoftmax(0).call(t), [x]).ok).toBe(true);
  });
});

describe('Heaviside', () => {
  it('steps from 0 to 1 at 0, with the chosen value at 0', () => {
    const x = tensor([-2, -0.1, 0, 0.1, 3]);
    expect(new Heaviside().call(x).toArray()).toEqual([0, 0, 1, 1, 1]);
    expect(F.heaviside(x, { value: 0.5 }).toArray()).toEqual([0, 0, 0.5, 1, 1]);
    expect(new Step()).toBeInstanceOf(Heaviside);
  });

  it('has zero gradient everywhere but stays on the tape', () => {
    const x = tensor([-1, 0, 2], { requiresGrad: true });
    const y = F.heaviside(x);
    expect(y.requiresGrad).toBe(true);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([0, 0, 0]);
  });
});

describe('F activations', () => {
  it('match their formulas with the default arguments', () => {
    const tight = { rtol: 1e-12, atol: 1e-12 };
    const expSum = xs.reduce((a, v) => a + Math.exp(v), 0);
    const refs: Array<[Tensor, (v: number) => number]> = [
      [F.relu(x64()), (v) => Math.max(v, 0)],
      [F.sigmoid(x64()), (v) => 1 / (1 + Math.exp(-v))],
      [F.tanh(x64()), Math.tanh],
      [F.leakyRelu(x64()), (v) => (v > 0 ? v : 0.01 * v)],
      [F.leakyRelu(x64(), 0.1), (v) => (v > 0 ? v : 0.1 * v)],
      [F.elu(x64()), (v) => (v > 0 ? v : Math.exp(v) - 1)],
      [F.gelu(x64()), (v) => 0.5 * v * (1 + erf(v / Math.SQRT2))],
      [F.softplus(x64()), (v) => Math.log1p(Math.exp(v))],
      [F.softmax(x64()), (v) => Math.exp(v) / expSum],
      [F.logSoftmax(x64()), (v) => v - Math.log(expSum)],
    ];
    for (const [out, ref] of refs) expect(out).toBeAllClose(xs.map(ref), tight);
  });
});
