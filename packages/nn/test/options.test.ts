import { describe, expect, it } from 'vitest';
import { Generator, ValueError, ones, randn, tensor, zeros } from '@tapegrad/core';
import {
  F, init, summary, AvgPool2d, BatchNorm1d, BatchNorm2d, BCELoss, BCEWithLogitsLoss, Conv2d, CrossEntropyLoss, Dropout, ELU,
  Embedding, Flatten, GELU, Heaviside, HuberLoss, KLDivLoss, L1Loss, LeakyReLU, Linear, LogSoftmax, MaxPool2d, MSELoss,
  NLLLoss, Parameter, Sequential, Softmax, Softplus,
} from '@tapegrad/nn';

/** Calls `fn` and returns the message of the ValueError it throws. */
function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValueError);
    return (e as Error).message;
  }
  throw new Error('expected a ValueError, nothing was thrown');
}

// Plain JavaScript callers pass PyTorch's positional arguments; each must be refused, not ignored.
const untyped = (f: unknown) => f as (...args: unknown[]) => unknown;
const construct = (C: unknown, ...args: unknown[]) => new (C as new (...a: unknown[]) => unknown)(...args);

describe('options of layers', () => {
  it('refuses positional booleans and numbers where an options object goes, naming the keys', () => {
    expect(message(() => construct(Conv2d, 1, 32, 3, 2))).toBe(
      'Conv2d: expected an options object such as { stride: ... }, got 2 (a number); Conv2d takes stride, padding, dilation, groups, bias, dtype, generator, paddingMode',
    );
    expect(message(() => construct(Linear, 3, 2, false))).toMatch(/^Linear: expected an options object such as \{ bias: \.\.\. \}, got false \(a boolean\)/);
    expect(message(() => construct(MaxPool2d, 2, 2))).toMatch(/^MaxPool2d: expected an options object/);
    expect(message(() => construct(AvgPool2d, 2, 2))).toMatch(/^AvgPool2d: expected an options object/);
    expect(message(() => construct(BatchNorm1d, 4, 1e-5))).toMatch(/^BatchNorm1d: expected an options object such as \{ eps: \.\.\. \}/);
    expect(message(() => construct(BatchNorm2d, 4, 1e-5))).toMatch(/^BatchNorm2d: expected an options object/);
    expect(message(() => construct(Embedding, 10, 3, 0))).toMatch(/^Embedding: expected an options object such as \{ paddingIdx: \.\.\. \}/);
    expect(message(() => construct(Dropout, 0.5, true))).toMatch(/^Dropout: expected an options object/);
    expect(message(() => construct(GELU, 'tanh'))).toMatch(/^GELU: expected an options object such as \{ approximate: \.\.\. \}, got 'tanh' \(a string\)/);
    expect(message(() => construct(Softplus, 2))).toMatch(/^Softplus: expected an options object/);
    expect(message(() => construct(Heaviside, 0))).toMatch(/^Heaviside: expected an options object/);
  });

  it('refuses a misspelt option, suggesting the close spelling', () => {
    expect(message(() => new Linear(3, 2, { bais: false } as never))).toBe(
      "Linear: unknown option 'bais' (did you mean 'bias'?); Linear takes bias, dtype, generator",
    );
    expect(message(() => new Conv2d(1, 2, 3, { strides: 2 } as never))).toMatch(/unknown option 'strides' \(did you mean 'stride'\?\)/);
    expect(message(() => new BatchNorm1d(4, { track_running_stats: false } as never))).toMatch(/did you mean 'trackRunningStats'/);
    expect(message(() => new Embedding(4, 2, { padding_idx: 0 } as never))).toMatch(/did you mean 'paddingIdx'/);
  });

  it('refuses a wrong-typed option and the PyTorch options it does not support', () => {
    expect(message(() => new Linear(3, 2, { bias: 'no' } as never))).toBe("Linear: option bias must be a boolean, got 'no' (a string)");
    expect(message(() => new Conv2d(1, 2, 3, { padding: 'full' } as never))).toMatch(
      /Conv2d: option padding must be an integer, an array of integers, 'valid' or 'same', got 'full'/,
    );
    expect(message(() => new Linear(3, 2, { generator: 0 } as never))).toMatch(/^Linear: option generator must be a [gG]enerator, got 0 \(a number\)$/);
    expect(message(() => new Linear(3, 2).resetParameters({ generator: {} } as never))).toMatch(/^resetParameters: option generator must be a [gG]enerator, got an object$/);
    expect(message(() => new Dropout(0.5, { generator: 1 } as never))).toMatch(/^Dropout: option generator must be a [gG]enerator/);
    expect(message(() => F.dropout(ones([2]), { generator: 1 } as never))).toMatch(/^dropout: option generator must be a [gG]enerator/);
    expect(message(() => init.normal_(zeros([2]), 0, 1, { generator: 1 } as never))).toMatch(/^normal_: option generator must be a [gG]enerator/);
    expect(message(() => new MaxPool2d(2, { ceilMode: 'yes' } as never))).toMatch(/^MaxPool2d: option ceilMode must be a boolean/);
    expect(new MaxPool2d(2, { ceilMode: true }).ceilMode).toBe(true);
    expect(message(() => new AvgPool2d(2, { divisorOverride: 0 }))).toBe('AvgPool2d: divisorOverride must not be 0, got 0');
    expect(message(() => new AvgPool2d(2, { divisorOverride: 1.5 }))).toMatch(/^AvgPool2d: option divisorOverride must be an integer/);
    expect(message(() => new Conv2d(1, 2, 3, { paddingMode: 'mirror' } as never))).toMatch(/^Conv2d: option paddingMode must be/);
    expect(message(() => new Embedding(4, 2, { scaleGradByFreq: true } as never))).toBe('Embedding: scaleGradByFreq is not supported');
    // A Generator instance passes, and positional numbers are checked.
    expect(new Linear(3, 2, { generator: new Generator(0) }).weight.shape).toEqual([2, 3]);
    expect(message(() => construct(LeakyReLU, { negativeSlope: 0.1 }))).toBe('LeakyReLU: negativeSlope must be a number, got an object');
    expect(message(() => construct(ELU, '1'))).toMatch(/^ELU: alpha must be a number/);
    expect(message(() => construct(Softmax, 1.5))).toBe('Softmax: dim must be an integer, got 1.5 (a number)');
    expect(message(() => construct(LogSoftmax, 'last'))).toMatch(/^LogSoftmax: dim must be an integer/);
    expect(message(() => construct(Flatten, { startDim: 1 }))).toMatch(/^Flatten: startDim must be an integer/);
    expect(message(() => new Linear(3, 2).resetParameters({ genrator: new Generator(0) } as never))).toMatch(/did you mean 'generator'/);
  });
});

describe('options of losses', () => {
  const x = tensor([[0.2, 0.8]]), y = tensor([1], { dtype: 'int32' });

  it('refuses positional values, misspelt keys and wrong types in every loss and its module', () => {
    expect(message(() => untyped(F.mseLoss)(x, x, 'sum'))).toMatch(/^mseLoss: expected an options object such as \{ reduction: \.\.\. \}, got 'sum'/);
    expect(message(() => construct(MSELoss, 'sum'))).toMatch(/^MSELoss: expected an options object/);
    expect(message(() => F.crossEntropy(x, y, { ignore_index: 0 } as never))).toMatch(
      /^crossEntropy: unknown option 'ignore_index' \(did you mean 'ignoreIndex'\?\); crossEntropy takes reduction, weight, ignoreIndex, labelSmoothing/,
    );
    expect(message(() => new CrossEntropyLoss({ labelSmoothing: '0.1' } as never))).toBe(
      "CrossEntropyLoss: option labelSmoothing must be a number, got '0.1' (a string)",
    );
    expect(message(() => F.nllLoss(x.log(), y, { ignoreIndex: 0.5 }))).toMatch(/^nllLoss: option ignoreIndex must be an integer/);
    expect(message(() => construct(NLLLoss, null))).toMatch(/^NLLLoss: expected an options object/);
    expect(message(() => F.l1Loss(x, x, { reduce: false } as never))).toMatch(/^l1Loss: unknown option 'reduce'/);
    expect(message(() => new L1Loss({ reduction: 'avg' } as never))).toMatch(/^L1Loss: option reduction must be 'mean', 'sum' or 'none'/);
    expect(message(() => F.huberLoss(x, x, { delta: '1' } as never))).toMatch(/^huberLoss: option delta must be a number/);
    expect(message(() => new HuberLoss({ detla: 1 } as never))).toMatch(/did you mean 'delta'/);
    expect(message(() => F.binaryCrossEntropy(x, x, { weight: [1, 2] } as never))).toMatch(
      /^binaryCrossEntropy: option weight must be a tensor or null, got an array \[1, 2\]/,
    );
    expect(message(() => new BCELoss({ wieght: null } as never))).toMatch(/did you mean 'weight'/);
    expect(message(() => F.binaryCrossEntropyWithLogits(x, x, { pos_weight: x } as never))).toMatch(/did you mean 'posWeight'/);
    expect(message(() => construct(BCEWithLogitsLoss, x))).toMatch(/^BCEWithLogitsLoss: expected an options object such as \{ reduction: \.\.\. \}, got a Tensor/);
    expect(message(() => F.klDiv(x, x, { logTarget: 1 } as never))).toMatch(/^klDiv: option logTarget must be a boolean/);
    expect(message(() => new KLDivLoss({ log_target: true } as never))).toMatch(/did you mean 'logTarget'/);
  });
});

describe('dtype options', () => {
  it("take PyTorch's dtype names (DTypeLike) in every layer, summary and Module.to", () => {
    expect(new Linear(3, 2, { dtype: 'double' }).weight.dtype).toBe('float64');
    expect(new Conv2d(1, 2, 3, { dtype: 'float' }).weight.dtype).toBe('float32');
    expect(new Embedding(4, 2, { dtype: 'double' }).weight.dtype).toBe('float64');
    expect(new BatchNorm1d(3, { dtype: 'double' }).runningMean!.dtype).toBe('float64');
    expect(new BatchNorm2d(3, { dtype: 'double' }).weight!.dtype).toBe('float64');
    expect(new Linear(3, 2).to('double').weight.dtype).toBe('float64');
    expect(summary(new Sequential(new Linear(2, 2).to('double')), [1, 2], { dtype: 'double' }).totals.total).toBe(6);
  });

  it('refuses an unknown dtype, naming the layer or function', () => {
    expect(message(() => new Linear(3, 2, { dtype: 'float16' } as never))).toMatch(/^Linear: unknown dtype 'float16'/);
    expect(message(() => new Conv2d(1, 2, 3, { dtype: 'half' } as never))).toMatch(/^Conv2d: unknown dtype 'half'/);
    expect(message(() => new Embedding(4, 2, { dtype: 'f32' } as never))).toMatch(/^Embedding: unknown dtype 'f32'/);
    expect(message(() => new BatchNorm2d(3, { dtype: 'float16' } as never))).toMatch(/^BatchNorm2d: unknown dtype 'float16'/);
    expect(message(() => new Linear(3, 2).to('float16' as never))).toMatch(/^to: unknown dtype 'float16'/);
    expect(message(() => summary(new Linear(2, 2), [1, 2], { dtype: 'int8' } as never))).toMatch(/^summary: unknown dtype 'int8'/);
  });

  it("F.maxPool2d and F.avgPool2d take core's pooling options types", () => {
    const x = randn([1, 1, 4, 4]);
    // returnIndices: false and countIncludePad: true type-check: they are in core's MaxPool2dOptions / AvgPool2dOptions.
    expect(F.maxPool2d(x, 2, { returnIndices: false }).shape).toEqual([1, 1, 2, 2]);
    expect(F.avgPool2d(x, 2, { countIncludePad: true, divisorOverride: null, dilation: 1 }).shape).toEqual([1, 1, 2, 2]);
    expect(message(() => F.avgPool2d(x, 2, { dilation: 2 } as never))).toMatch(/^avgPool2d: dilation must be 1/);
  });
});

describe('options of F, init, summary and Module methods', () => {
  it('refuses positional values, misspelt keys and wrong types', () => {
    const x = randn([1, 1, 4, 4]);
    expect(message(() => untyped(F.dropout)(x, 0.5, false))).toMatch(/^dropout: expected an options object such as \{ p: \.\.\. \}, got 0.5 \(a number\)/);
    expect(message(() => F.dropout(x, { probability: 0.5 } as never))).toMatch(/^dropout: unknown option 'probability'/);
    expect(message(() => F.dropout(x, { training: 'yes' } as never))).toMatch(/^dropout: option training must be a boolean/);
    expect(message(() => F.maxPool2d(x, 2, { ceilMode: 1 } as never))).toMatch(/^maxPool2d: option ceilMode must be a boolean/);
    expect(message(() => untyped(F.avgPool2d)(x, 2, 2))).toMatch(/^avgPool2d: expected an options object/);
    expect(message(() => F.conv2d(x, randn([1, 1, 3, 3]), null, { stide: 1 } as never))).toMatch(/did you mean 'stride'/);
    expect(message(() => F.batchNorm(randn([4, 2]), null, null, { trainng: true } as never))).toMatch(/did you mean 'training'/);
    expect(message(() => F.embedding(tensor([0], { dtype: 'int32' }), randn([2, 2]), { padding_idx: 0 } as never))).toMatch(/did you mean 'paddingIdx'/);
    expect(message(() => F.gelu(x, { approximate: true } as never))).toMatch(/^gelu: option approximate must be 'none' or 'tanh'/);
    expect(message(() => untyped(F.softplus)(x, 2))).toMatch(/^softplus: expected an options object such as \{ beta: \.\.\. \}/);
    expect(message(() => F.heaviside(x, { value: '1' } as never))).toMatch(/^heaviside: option value must be a number/);
    expect(message(() => untyped(F.leakyRelu)(x, { negativeSlope: 0.1 }))).toMatch(/^leakyRelu: negativeSlope must be a number/);

    const w = zeros([3, 4]);
    expect(message(() => untyped(init.uniform_)(w, -1, 1, new Generator(0)))).toMatch(/^uniform_: expected an options object such as \{ generator: \.\.\. \}, got a Generator/);
    expect(message(() => init.kaimingUniform_(w, { nonlinearty: 'relu' } as never))).toMatch(/did you mean 'nonlinearity'/);
    expect(message(() => init.xavierNormal_(w, { gain: '1' } as never))).toMatch(/^xavierNormal_: option gain must be a number/);
    expect(message(() => untyped(init.normal_)(w, { std: 1 }))).toMatch(/^normal_: mean must be a number, got an object/);
    expect(init.xavierUniform_(w, { gain: 2, generator: new Generator(1) }).shape).toEqual([3, 4]);

    const model = new Sequential(new Linear(2, 2));
    expect(message(() => untyped(summary)(model, [1, 2], true))).toMatch(/^summary: expected an options object such as \{ print: \.\.\. \}/);
    expect(message(() => model.loadStateDict(model.stateDict(), { strct: false } as never))).toMatch(/did you mean 'strict'/);
    expect(message(() => untyped(model.loadStateDict.bind(model))(model.stateDict(), false))).toMatch(/^loadStateDict: expected an options object such as \{ strict: \.\.\. \}/);
    expect(message(() => model.loadStateDict(model.stateDict(), { assign: true } as never))).toMatch(/^loadStateDict: assign: true is not supported/);
    expect(message(() => model.parameters({ recursive: false } as never))).toMatch(/did you mean 'recurse'/);
    expect(message(() => untyped(model.zeroGrad.bind(model))(false))).toMatch(/^zeroGrad: expected an options object such as \{ setToNone: \.\.\. \}/);
    expect(message(() => untyped(model.train.bind(model))('eval'))).toMatch(/^train: mode must be a boolean/);
    expect(message(() => model.numParameters({ trainableOnyl: true } as never))).toMatch(/did you mean 'trainableOnly'/);
  });
});

describe('non-Tensor arguments', () => {
  it('names the function and says a Tensor was expected', () => {
    const t = ones([2]);
    expect(message(() => untyped(F.mseLoss)([1, 2], t))).toBe('mseLoss: input must be a Tensor, got an array [1, 2]');
    expect(message(() => untyped(F.mseLoss)(t, 3))).toBe('mseLoss: target must be a Tensor, got 3 (a number)');
    expect(message(() => new MSELoss().call(t, [1, 2] as never))).toBe('mseLoss: target must be a Tensor, got an array [1, 2]');
    expect(message(() => untyped(F.crossEntropy)([[1, 2]], tensor([0], { dtype: 'int32' })))).toMatch(/^crossEntropy: input must be a Tensor, got an array/);
    expect(message(() => untyped(F.nllLoss)(randn([1, 2]), [0]))).toMatch(/^nllLoss: target must be a Tensor, got an array \[0\]/);
    expect(message(() => new Linear(2, 3).call([1, 2] as never))).toBe('linear: input must be a Tensor, got an array [1, 2]');
    expect(message(() => untyped(F.relu)(1))).toBe('relu: input must be a Tensor, got 1 (a number)');
    expect(message(() => untyped(F.softmax)([1, 2], 0))).toMatch(/^softmax: input must be a Tensor/);
    expect(message(() => untyped(init.zeros_)([1, 2]))).toMatch(/^zeros_: tensor must be a Tensor, got an array/);
    expect(message(() => construct(Parameter, [1, 2]))).toBe('Parameter: data must be a Tensor, got an array [1, 2]');
    expect(message(() => construct(Parameter, t, { requiresGrad: false }))).toBe('Parameter: requiresGrad must be a boolean, got an object');
  });

  it('says what call expected when it gets no input', () => {
    expect(message(() => untyped(new Linear(2, 3).call.bind(new Linear(2, 3)))())).toBe('Linear.call: expected an input (usually a Tensor), got none');
    const loss = new MSELoss();
    expect(message(() => untyped(loss.call.bind(loss))())).toBe('MSELoss.call: expected 2 inputs (usually Tensors), got none');
  });
});
