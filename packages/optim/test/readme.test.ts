import { describe, expect, it } from 'vitest';
import { Generator, randn, tensor, zeros } from '@tapegrad/core';
import { Adam, CosineAnnealingLR, clipGradNorm_ } from '@tapegrad/optim';

// The training loop of README.md, as written there, must run and learn XOR.
describe('README example', () => {
  it('trains XOR with Adam, cosine annealing and gradient clipping, then resumes from a checkpoint', () => {
    const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const Y = tensor([[0], [1], [1], [0]]);
    const g = new Generator(0);
    const W1 = randn([2, 4], { generator: g, requiresGrad: true });
    const b1 = zeros([4], { requiresGrad: true });
    const W2 = randn([4, 1], { generator: g, requiresGrad: true });
    const b2 = zeros([1], { requiresGrad: true });
    const params = [W1, b1, W2, b2];

    const opt = new Adam(params, { lr: 0.05 });
    const sched = new CosineAnnealingLR(opt, { tMax: 300, etaMin: 1e-3 });
    let loss = 0;
    for (let step = 0; step < 300; step++) {
      opt.zeroGrad();
      const out = X.matmul(W1).add(b1).tanh().matmul(W2).add(b2).sigmoid();
      const l = out.sub(Y).pow(2).mean();
      l.backward();
      clipGradNorm_(params, 1.0);
      opt.step();
      sched.step();
      loss = l.item();
    }
    expect(loss).toBeLessThan(0.01);

    const checkpoint = { opt: opt.stateDict(), sched: sched.stateDict() };
    const opt2 = new Adam(params, { lr: 0.05 });
    const sched2 = new CosineAnnealingLR(opt2, { tMax: 300, etaMin: 1e-3 });
    opt2.loadStateDict(checkpoint.opt);
    sched2.loadStateDict(checkpoint.sched);
    expect(sched2.getLastLr()).toEqual(sched.getLastLr());
    expect(opt2.paramGroups[0]!.lr).toBe(opt.paramGroups[0]!.lr);
  });
});
