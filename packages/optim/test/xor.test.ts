import { describe, expect, it } from 'vitest';
import { Generator, randn, tensor, zeros, type Tensor } from '@tapegrad/core';
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer } from '@tapegrad/optim';

// The XOR network: 2 inputs -> 4 tanh units -> 1 sigmoid output, mean squared error, full batch,
// seeded initialisation and a fixed number of steps, trained with each optimizer.

const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]], { dtype: 'float64' });
const Y = tensor([[0], [1], [1], [0]], { dtype: 'float64' });

function network(seed: number) {
  const g = new Generator(seed);
  const W1 = randn([2, 4], { dtype: 'float64', generator: g, requiresGrad: true });
  const b1 = zeros([4], { dtype: 'float64', requiresGrad: true });
  const W2 = randn([4, 1], { dtype: 'float64', generator: g, requiresGrad: true });
  const b2 = zeros([1], { dtype: 'float64', requiresGrad: true });
  const forward = (x: Tensor) => x.matmul(W1).add(b1).tanh().matmul(W2).add(b2).sigmoid();
  return { params: [W1, b1, W2, b2], forward };
}

function train(makeOpt: (params: Tensor[]) => Optimizer<any, any>, steps: number, seed: number) {
  const net = network(seed);
  const opt = makeOpt(net.params);
  const mse = () => {
    const d = net.forward(X).sub(Y);
    return d.mul(d).mean();
  };
  const first = mse().item();
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    mse().backward();
    opt.step();
  }
  return { first, last: mse().item(), out: net.forward(X) };
}

const cases: Array<[string, (p: Tensor[]) => Optimizer<any, any>, number]> = [
  ['SGD with momentum', (p) => new SGD(p, { lr: 0.5, momentum: 0.9 }), 300],
  ['Adam', (p) => new Adam(p, { lr: 0.05 }), 300],
  ['AdamW', (p) => new AdamW(p, { lr: 0.05 }), 300],
  ['RMSprop', (p) => new RMSprop(p, { lr: 0.01 }), 300],
  ['Adagrad', (p) => new Adagrad(p, { lr: 0.5 }), 300],
];

describe('XOR', () => {
  for (const [name, make, steps] of cases)
    it(`${name} trains the 2-4-1 tanh/sigmoid network to an MSE under 0.01 in ${steps} steps`, () => {
      const r = train(make, steps, 0);
      expect(r.first).toBeGreaterThan(0.2);
      expect(r.last).toBeLessThan(0.01);
      expect(Array.from(r.out.data, (v) => (v > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
    });

  it('is deterministic: the same seed and steps give the same loss to the last bit', () => {
    const a = train((p) => new Adam(p, { lr: 0.05 }), 50, 0);
    const b = train((p) => new Adam(p, { lr: 0.05 }), 50, 0);
    expect(b.last).toBe(a.last);
  });
});
