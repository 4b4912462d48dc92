import { describe, expect, it } from 'vitest';
import {
  tensor, zeros, ones, full, zerosLike, onesLike, fullLike, arange, linspace, eye, rand, randn, randint, randperm,
  Generator, prod, max, min, amax, amin, argmax, argmin, logsumexp, add, sub, mul, div, neg, abs, exp, log, sqrt,
  rsqrt, tanh, sigmoid, relu, gelu, softplus, conv2d, maxPool2d, avgPool2d, elu, leakyRelu, oneHot, softmax,
  logSoftmax, cat, gather, type Tensor,
} from '@tapegrad/core';
import { messageOf } from '../../../test/errors.js';


/** Calls `f` with options that the type system would refuse, as JavaScript callers may. */
const any = (v: unknown) => v as never;

describe('options of the creation functions', () => {
  const calls: Array<[string, (opts: unknown) => Tensor]> = [
    ['tensor', (o) => tensor([1, 2], any(o))],
    ['full', (o) => full([2], 3, any(o))],
    ['zeros', (o) => zeros([2], any(o))],
    ['ones', (o) => ones([2], any(o))],
    ['zerosLike', (o) => zerosLike(ones([2]), any(o))],
    ['onesLike', (o) => onesLike(ones([2]), any(o))],
    ['fullLike', (o) => fullLike(ones([2]), 3, any(o))],
    ['arange', (o) => arange(0, 2, 1, any(o))],
    ['linspace', (o) => linspace(0, 1, 2, any(o))],
    ['eye', (o) => eye(2, 2, any(o))],
    ['rand', (o) => rand([2], any(o))],
    ['randn', (o) => randn([2], any(o))],
    ['randint', (o) => randint(0, 5, [2], any(o))],
    ['randperm', (o) => randperm(2, any(o))],
  ];

  it('refuse a positional boolean or string where the options object belongs', () => {
    for (const [op, f] of calls) {
      expect(messageOf(() => f(true))).toMatch(new RegExp(`^${op}: expected an options object such as \\{ dtype: ... \\}, got true \\(a boolean\\)`));
      expect(messageOf(() => f('float64'))).toMatch(new RegExp(`^${op}: expected an options object .* got 'float64' \\(a string\\)`));
    }
  });

  it('refuse an unknown option, suggesting the close spelling', () => {
    for (const [op, f] of calls) expect(messageOf(() => f({ requires_grad: true }))).toMatch(new RegExp(`^${op}: unknown option 'requires_grad' \\(did you mean 'requiresGrad'\\?\\); ${op} takes dtype, requiresGrad, pinMemory`));
    expect(messageOf(() => zeros([2], any({ dtpye: 'float64' })))).toBe(
      "zeros: unknown option 'dtpye' (did you mean 'dtype'?); zeros takes dtype, requiresGrad, pinMemory",
    );
    expect(messageOf(() => randn([2], any({ device: 'cpu' })))).toBe(
      "randn: unknown option 'device'; randn takes dtype, requiresGrad, pinMemory, generator",
    );
    expect(messageOf(() => tensor([1], any({ shap: [1] })))).toMatch(/did you mean 'shape'/);
  });

  it('refuse a wrongly typed option value', () => {
    for (const [op, f] of calls) expect(messageOf(() => f({ requiresGrad: 'yes' }))).toBe(`${op}: option requiresGrad must be a boolean, got 'yes' (a string)`);
    expect(messageOf(() => zeros([2], any({ dtype: 3 })))).toBe('zeros: option dtype must be a string, got 3 (a number)');
    expect(messageOf(() => randn([2], any({ generator: 42 })))).toBe('randn: option generator must be a Generator, got 42 (a number)');
    expect(messageOf(() => randperm(2, any({ generator: new Generator(1), dtyp: 'int32' })))).toMatch(/^randperm: unknown option 'dtyp'/);
    expect(messageOf(() => tensor([1, 2], any({ shape: 2 })))).toBe('tensor: option shape must be an array, got 2 (a number)');
  });

  it('still take valid options', () => {
    expect(zeros([2], { dtype: 'float64', requiresGrad: true }).requiresGrad).toBe(true);
    expect(tensor([1, 2, 3, 4], { shape: [2, 2] }).shape).toEqual([2, 2]);
    const a = randn([3], { generator: new Generator(5), dtype: 'float64' });
    const b = randn([3], { generator: new Generator(5), dtype: 'float64' });
    expect(a.toArray()).toEqual(b.toArray());
    expect(randint(0, 5, [2], { generator: new Generator(1) }).dtype).toBe('int32');
    expect(arange(0, 4, 2, { dtype: undefined }).toArray()).toEqual([0, 2]);
    for (const [, f] of calls) expect(f(undefined).numel()).toBeGreaterThan(0);
  });
});

describe('options of the reductions', () => {
  const x = tensor([[1, 5, 2], [7, 0, 7]]);
  const calls: Array<[string, (opts: unknown) => unknown]> = [
    ['prod', (o) => prod(x, 1, any(o))],
    ['max', (o) => max(x, 1, any(o))],
    ['min', (o) => min(x, 1, any(o))],
    ['amax', (o) => amax(x, 1, any(o))],
    ['amin', (o) => amin(x, 1, any(o))],
    ['argmax', (o) => argmax(x, 1, any(o))],
    ['argmin', (o) => argmin(x, 1, any(o))],
    ['logsumexp', (o) => logsumexp(x, 1, any(o))],
  ];

  it('refuse a positional keepdim boolean (PyTorch passes it third)', () => {
    for (const [op, f] of calls)
      expect(messageOf(() => f(true))).toBe(`${op}: expected an options object such as { keepdim: ... }, got true (a boolean); ${op} takes keepdim`);
  });

  it('refuse an unknown option, suggesting the close spelling, and a wrongly typed keepdim', () => {
    for (const [op, f] of calls) {
      expect(messageOf(() => f({ keepDim: true }))).toBe(`${op}: unknown option 'keepDim' (did you mean 'keepdim'?); ${op} takes keepdim`);
      expect(messageOf(() => f({ keepdim: 1 }))).toBe(`${op}: option keepdim must be a boolean, got 1 (a number)`);
    }
  });

  it('still take keepdim', () => {
    expect(prod(x, 1, { keepdim: true }).shape).toEqual([2, 1]);
    expect(max(x, 1, { keepdim: true }).values.shape).toEqual([2, 1]);
    expect(amin(x, 0, { keepdim: true }).toArray()).toEqual([[1, 0, 2]]);
    expect(argmax(x, 1, { keepdim: true }).toArray()).toEqual([[1], [0]]);
    expect(logsumexp(x, 1, { keepdim: false }).shape).toEqual([2]);
    expect(x.amax(1, { keepdim: true }).shape).toEqual([2, 1]); // the methods delegate here
  });
});

describe('options of the element-wise ops (out, alpha)', () => {
  const a = tensor([1, 4]);
  const unary: Array<[string, (opts: unknown) => Tensor]> = [
    ['neg', (o) => neg(a, any(o))], ['abs', (o) => abs(a, any(o))], ['exp', (o) => exp(a, any(o))],
    ['log', (o) => log(a, any(o))], ['sqrt', (o) => sqrt(a, any(o))], ['rsqrt', (o) => rsqrt(a, any(o))],
    ['tanh', (o) => tanh(a, any(o))], ['sigmoid', (o) => sigmoid(a, any(o))], ['relu', (o) => relu(a, any(o))],
    ['mul', (o) => mul(a, a, any(o))], ['div', (o) => div(a, a, any(o))],
  ];

  it('refuse a positional value, an unknown option and an out that is not a tensor', () => {
    for (const [op, f] of unary) {
      const takes = op === 'div' ? 'out, roundingMode' : 'out';
      expect(messageOf(() => f(false))).toBe(`${op}: expected an options object such as { out: ... }, got false (a boolean); ${op} takes ${takes}`);
      expect(messageOf(() => f({ Out: zeros([2]) }))).toBe(`${op}: unknown option 'Out' (did you mean 'out'?); ${op} takes ${takes}`);
      expect(messageOf(() => f({ out: [0, 0] }))).toBe(`${op}: option out must be a tensor, got an array [0, 0]`);
    }
  });

  it('check add and sub: a positional alpha is refused, alpha must be a number', () => {
    expect(messageOf(() => add(a, a, any(2)))).toBe(
      'add: expected an options object such as { alpha: ... }, got 2 (a number); add takes alpha, out',
    );
    expect(messageOf(() => sub(a, a, any({ Alpha: 2 })))).toMatch(/^sub: unknown option 'Alpha' \(did you mean 'alpha'\?\)/);
    expect(messageOf(() => add(a, a, any({ alpha: '2' })))).toBe("add: option alpha must be a number, got '2' (a string)");
  });

  it('still take out and alpha', () => {
    const c = zeros([2]);
    expect(exp(tensor([0, 0]), { out: c })).toBe(c);
    expect(c.toArray()).toEqual([1, 1]);
    expect(add(a, a, { alpha: 2 }).toArray()).toEqual([3, 12]);
    expect(sub(a, a, { alpha: 2, out: undefined }).toArray()).toEqual([-1, -4]);
    expect(a.add(a, { alpha: 3 }).toArray()).toEqual([4, 16]); // the methods delegate here
  });
});

describe('options of the activations (gelu, softplus)', () => {
  const x = tensor([-1, 0, 1]);

  it('refuse positional values, unknown options and wrong types', () => {
    expect(messageOf(() => gelu(x, any('tanh')))).toBe(
      "gelu: expected an options object such as { approximate: ... }, got 'tanh' (a string); gelu takes approximate",
    );
    expect(messageOf(() => gelu(x, any({ aproximate: 'tanh' })))).toMatch(/^gelu: unknown option 'aproximate' \(did you mean 'approximate'\?\)/);
    expect(messageOf(() => gelu(x, any({ approximate: 'fast' })))).toBe(
      "gelu: option approximate must be 'none' or 'tanh', got 'fast' (a string)",
    );
    expect(messageOf(() => softplus(x, any(2)))).toMatch(/^softplus: expected an options object .* got 2 \(a number\); softplus takes beta, threshold/);
    expect(messageOf(() => softplus(x, any({ betta: 2 })))).toMatch(/did you mean 'beta'/);
    expect(messageOf(() => softplus(x, any({ threshold: '20' })))).toBe("softplus: option threshold must be a number, got '20' (a string)");
  });

  it('still take valid options', () => {
    expect(gelu(tensor([1]), { approximate: 'tanh' }).item()).toBeCloseTo(0.841192, 5);
    expect(gelu(tensor([1]), { approximate: 'none' }).item()).toBeCloseTo(0.841345, 5);
    expect(softplus(tensor([0]), { beta: 2, threshold: 10 }).item()).toBeCloseTo(Math.log(2) / 2, 6);
  });
});

describe('options of conv2d and the pooling ops', () => {
  const x = ones([1, 1, 4, 4]);
  const w = ones([1, 1, 3, 3]);

  it('refuse a positional value, unknown options and wrong types in conv2d', () => {
    expect(messageOf(() => conv2d(x, w, null, any(1)))).toBe(
      'conv2d: expected an options object such as { stride: ... }, got 1 (a number); conv2d takes stride, padding, dilation, groups',
    );
    expect(messageOf(() => conv2d(x, w, any({ stride: 2 })))).toBe(
      'conv2d: bias must be a Tensor or null, got an object; options come fourth: conv2d(x, weight, null, { stride })',
    );
    expect(messageOf(() => conv2d(x, w, null, any({ strides: 2 })))).toMatch(/^conv2d: unknown option 'strides' \(did you mean 'stride'\?\)/);
    expect(messageOf(() => conv2d(x, w, null, any({ padding: 'same' })))).toBe(
      "conv2d: option padding must be an integer or an array of integers, got 'same' (a string)",
    );
    expect(messageOf(() => conv2d(x, w, null, any({ groups: 1.5 })))).toBe('conv2d: option groups must be an integer, got 1.5 (a number)');
  });

  it('refuse wrongly typed maxPool2d options and let its defaults through', () => {
    expect(messageOf(() => maxPool2d(x, 2, any({ ceilMode: 'yes' })))).toMatch(/^maxPool2d: option ceilMode must be a boolean/);
    expect(messageOf(() => maxPool2d(x, 2, any({ returnIndices: 1 })))).toMatch(/^maxPool2d: option returnIndices must be a boolean/);
    expect(maxPool2d(x, 2, { returnIndices: true }).map((t) => t.shape)).toEqual([[1, 1, 2, 2], [1, 1, 2, 2]]);
    expect(messageOf(() => maxPool2d(x, 2, any(2)))).toMatch(/^maxPool2d: expected an options object such as \{ stride: ... \}, got 2 \(a number\)/);
    expect(messageOf(() => maxPool2d(x, 2, any({ kernelSize: 2 })))).toMatch(/^maxPool2d: unknown option 'kernelSize'; maxPool2d takes stride, padding, dilation, ceilMode, returnIndices/);
    expect(messageOf(() => maxPool2d(x, 2, any({ stride: '2' })))).toMatch(/^maxPool2d: option stride must be an integer or an array of integers/);
    expect(maxPool2d(x, 2, { ceilMode: false, returnIndices: false }).shape).toEqual([1, 1, 2, 2]);
  });

  it('refuse wrongly typed avgPool2d options and a zero divisor, and let its defaults through', () => {
    expect(messageOf(() => avgPool2d(x, 2, any({ ceilMode: 1 })))).toMatch(/^avgPool2d: option ceilMode must be a boolean/);
    expect(messageOf(() => avgPool2d(x, 2, any({ countIncludePad: 'no' })))).toMatch(/^avgPool2d: option countIncludePad must be a boolean/);
    expect(messageOf(() => avgPool2d(x, 2, { divisorOverride: 0 }))).toBe('avgPool2d: divisorOverride must not be 0, got 0');
    expect(messageOf(() => avgPool2d(x, 2, { divisorOverride: 2.5 }))).toMatch(/^avgPool2d: option divisorOverride must be an integer/);
    expect(messageOf(() => avgPool2d(x, 2, any({ count_include_pad: true })))).toMatch(/did you mean 'countIncludePad'/);
    expect(avgPool2d(x, 2, { ceilMode: false, countIncludePad: true, divisorOverride: null }).toArray()).toEqual([[[[1, 1], [1, 1]]]]);
  });

  it('still take valid conv2d options', () => {
    expect(conv2d(x, w, null, { stride: [1, 1], padding: 1, dilation: 1, groups: 1 }).shape).toEqual([1, 1, 4, 4]);
    expect(conv2d(x, w, undefined, {}).shape).toEqual([1, 1, 2, 2]);
  });
});

describe('options objects where a positional number belongs', () => {
  const x = tensor([[1, 2], [3, 4]]);

  it('are refused by name in elu, leakyRelu, oneHot and the ops taking a dim', () => {
    expect(messageOf(() => elu(x, any({ alpha: 1 })))).toBe('elu: alpha must be a number, got an object; it comes second: elu(x, 1.0)');
    expect(messageOf(() => leakyRelu(x, any({ negativeSlope: 0.2 })))).toMatch(/^leakyRelu: negativeSlope must be a number, got an object/);
    expect(messageOf(() => oneHot(tensor([0, 1], { dtype: 'int32' }), any({ numClasses: 3 })))).toBe(
      'oneHot: numClasses must be a non-negative integer or -1, got an object',
    );
    expect(messageOf(() => softmax(x, any({ dim: 1 })))).toBe('softmax: dim must be an integer, got an object');
    expect(messageOf(() => logSoftmax(x, any('1')))).toBe("logSoftmax: dim must be an integer, got '1' (a string)");
    expect(messageOf(() => cat([x, x], any({ dim: 1 })))).toMatch(/^cat: dim must be an integer, got an object/);
    expect(messageOf(() => gather(x, any(true), tensor([[0]], { dtype: 'int32' })))).toMatch(/^gather: dim must be an integer, got true \(a boolean\)/);
  });

  it('leave the positional forms working', () => {
    expect(elu(tensor([-1]), 2).item()).toBeCloseTo(2 * (Math.exp(-1) - 1), 6);
    expect(leakyRelu(tensor([-2]), 0.5).item()).toBe(-1);
    expect(softmax(x, 1).shape).toEqual([2, 2]);
    expect(cat([x, x], 1).shape).toEqual([2, 4]);
  });
});
