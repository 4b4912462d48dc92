import { describe, expect, it } from 'vitest';
import { ValueError, tensor } from '@tapegrad/core';
import { Adagrad, Adam, AdamW, RMSprop, SGD, clipGradNorm_, clipGradValue_ } from '@tapegrad/optim';

const param = () => tensor([1, 2], { requiresGrad: true });
const construct = (C: unknown, ...args: unknown[]) => () => new (C as new (...a: unknown[]) => unknown)(...args);

describe('optimizer options', () => {
  it('refuses a positional learning rate, showing the options object to write', () => {
    // new SGD(params, 0.1) used to run with lr 0.001.
    expect(construct(SGD, [param()], 0.1)).toThrow(ValueError);
    expect(construct(SGD, [param()], 0.1)).toThrow(
      'SGD: expected an options object such as { lr: ... }, got 0.1 (a number); SGD takes lr, momentum, dampening, nesterov, weightDecay, maximize',
    );
    for (const C of [Adam, AdamW, Adagrad, RMSprop]) expect(construct(C, [param()], 0.01)).toThrow(/expected an options object such as \{ lr: \.\.\. \}/);
  });

  it('refuses a misspelt option with a suggestion, in the options and in a param group', () => {
    expect(construct(SGD, [param()], { lr: 0.1, weight_decay: 1e-4 })).toThrow(
      "SGD: unknown option 'weight_decay' (did you mean 'weightDecay'?); SGD takes lr, momentum, dampening, nesterov, weightDecay, maximize",
    );
    expect(construct(Adam, [param()], { beta: [0.9, 0.99] })).toThrow(/Adam: unknown option 'beta' \(did you mean 'betas'\?\)/);
    expect(construct(AdamW, [param()], { amsGrad: true })).toThrow(/did you mean 'amsgrad'/);
    expect(construct(Adagrad, [param()], { lr_decay: 0.1 })).toThrow(/did you mean 'lrDecay'/);
    expect(construct(RMSprop, [param()], { centred: true })).toThrow(/did you mean 'centered'/);
    expect(construct(SGD, [{ params: [param()], momentun: 0.9 }], { lr: 0.1 })).toThrow(
      "SGD param group: unknown option 'momentun' (did you mean 'momentum'?)",
    );
    const opt = new SGD([param()], { lr: 0.1 });
    expect(() => opt.addParamGroup({ params: [param()], lrr: 0.1 } as never)).toThrow(/did you mean 'lr'/);
  });

  it('refuses a wrong-typed option, keeping the range checks', () => {
    expect(construct(SGD, [param()], { lr: '0.1' })).toThrow("SGD: option lr must be a number, got '0.1' (a string)");
    expect(construct(Adam, [param()], { betas: 0.9 })).toThrow('Adam: option betas must be an array of numbers, got 0.9 (a number)');
    expect(construct(RMSprop, [param()], { centered: 1 })).toThrow('RMSprop: option centered must be a boolean, got 1 (a number)');
    expect(construct(SGD, [param()], { lr: -1 })).toThrow('SGD: invalid learning rate: -1 (lr must be >= 0)');
    expect(() => new SGD([param()], { lr: 0.1 }).zeroGrad(false as never)).toThrow(
      /^SGD.zeroGrad: expected an options object such as \{ setToNone: \.\.\. \}, got false/,
    );
  });
});

describe('gradient clipping options', () => {
  it('refuses a positional normType and misspelt keys', () => {
    const w = param();
    w.sum().backward();
    expect(() => (clipGradNorm_ as (...a: unknown[]) => number)([w], 1, 2)).toThrow(
      'clipGradNorm_: expected an options object such as { normType: ... }, got 2 (a number); clipGradNorm_ takes normType, errorIfNonfinite',
    );
    expect(() => clipGradNorm_([w], 1, { norm_type: 2 } as never)).toThrow(/did you mean 'normType'/);
    expect(() => clipGradNorm_([w], 1, { errorIfNonfinite: 'yes' } as never)).toThrow(/option errorIfNonfinite must be a boolean/);
    expect(() => clipGradValue_(5 as never, 1)).toThrow('clipGradValue_: params must be a Tensor or an iterable of Tensors, got 5');
  });
});
