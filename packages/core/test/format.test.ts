import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { tensor, zeros, ones, arange, noGrad } from '@tapegrad/core';

// Expected strings are PyTorch's (torch/_tensor_str.py, default print options) with tapegrad's
// spelling of the suffixes: dtype=float64 for dtype=torch.float64, size=[0, 3] for size=(0, 3),
// requiresGrad=true for requires_grad=True, gradFn=<MulBackward> for grad_fn=<MulBackward0>.

describe('toString', () => {
  it('prints integral floats as 1. and aligns them', () => {
    expect(tensor([1, 2, 3]).toString()).toBe('tensor([1., 2., 3.])');
    expect(tensor([1, -10]).toString()).toBe('tensor([  1., -10.])');
    expect(tensor([[1, 2], [3, 4]]).toString()).toBe('tensor([[1., 2.],\n        [3., 4.]])');
    expect(tensor([-0, 1]).toString()).toBe('tensor([-0., 1.])');
    expect(zeros([3]).toString()).toBe('tensor([0., 0., 0.])');
  });

  it('prints other floats with 4 decimals, rounding exact ties to even as Python does', () => {
    expect(tensor([1.5, 2]).toString()).toBe('tensor([1.5000, 2.0000])');
    expect(tensor([0.03125, 1.5]).toString()).toBe('tensor([0.0312, 1.5000])');
    expect(tensor([0.1, -0.25]).toString()).toBe('tensor([ 0.1000, -0.2500])');
    expect(tensor([NaN, Infinity, -1, 0.5]).toString()).toBe('tensor([    nan,     inf, -1.0000,  0.5000])');
  });

  it('switches to scientific notation for a wide range, huge or tiny values', () => {
    expect(tensor([1e-5, 1]).toString()).toBe('tensor([1.0000e-05, 1.0000e+00])');
    expect(tensor([1e10, 1]).toString()).toBe('tensor([1.0000e+10, 1.0000e+00])');
    expect(tensor([1, 2000]).toString()).toBe('tensor([1.0000e+00, 2.0000e+03])');
    expect(tensor([1, 1000]).toString()).toBe('tensor([   1., 1000.])');
    expect(tensor([0.5, 0.00005]).toString()).toBe('tensor([5.0000e-01, 5.0000e-05])');
  });

  it('prints 0-d tensors, ints with their dtype and bools as True/False', () => {
    expect(tensor(2.5).toString()).toBe('tensor(2.5000)');
    expect(tensor(2).toString()).toBe('tensor(2.)');
    expect(tensor([1, 2], { dtype: 'int32' }).toString()).toBe('tensor([1, 2], dtype=int32)');
    expect(tensor([-5, 10], { dtype: 'int32' }).toString()).toBe('tensor([-5, 10], dtype=int32)');
    expect(tensor([true, false]).toString()).toBe('tensor([ True, False])');
    expect(tensor([1, 2], { dtype: 'float64' }).toString()).toBe('tensor([1., 2.], dtype=float64)');
  });

  it('prints empty tensors with their size unless [0] and their dtype unless float32', () => {
    expect(zeros([0]).toString()).toBe('tensor([])');
    expect(zeros([0, 3]).toString()).toBe('tensor([], size=[0, 3])');
    expect(zeros([0], { dtype: 'int32' }).toString()).toBe('tensor([], dtype=int32)');
    expect(zeros([2, 0], { dtype: 'bool' }).toString()).toBe('tensor([], size=[2, 0], dtype=bool)');
  });

  it('shows requiresGrad and the gradFn, wrapping a suffix that passes 80 columns', () => {
    expect(tensor([[1, 2], [3, 4]], { requiresGrad: true }).toString()).toBe(
      'tensor([[1., 2.],\n        [3., 4.]], requiresGrad=true)',
    );
    const x = tensor([1], { requiresGrad: true });
    expect(x.mul(2).toString()).toBe('tensor([2.], gradFn=<MulBackward>)');
    expect(noGrad(() => x.mul(2)).toString()).toBe('tensor([2.])');
    expect(arange(10).to('float64').requiresGrad_().toString()).toBe(
      'tensor([0., 1., 2., 3., 4., 5., 6., 7., 8., 9.], dtype=float64,\n       requiresGrad=true)',
    );
  });

  it('wraps rows at 80 columns', () => {
    expect(arange(30).float().toString()).toBe(
      'tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n' +
        '        14., 15., 16., 17., 18., 19., 20., 21., 22., 23., 24., 25., 26., 27.,\n' +
        '        28., 29.])',
    );
    const s = ones([2, 10]).mul(1.5).toString();
    expect(s).toBe(
      'tensor([[1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000,\n' +
        '         1.5000],\n' +
        '        [1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000, 1.5000,\n' +
        '         1.5000]])',
    );
    for (const line of s.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('separates blocks of 3-D tensors by a blank line', () => {
    expect(arange(8).float().reshape([2, 2, 2]).toString()).toBe(
      'tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]])',
    );
  });

  it('summarises more than 1000 elements with ..., formatting only the values shown', () => {
    expect(zeros([2000]).toString()).toBe('tensor([0., 0., 0.,  ..., 0., 0., 0.])');
    const big = arange(1000, 3000).float();
    big.data[1000] = 0.5; // not shown, so the values stay integral and within a 1000x range
    expect(big.toString()).toBe('tensor([1000., 1001., 1002.,  ..., 2997., 2998., 2999.])');
    expect(arange(2000).float().toString()).toBe(
      'tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])',
    );
    expect(zeros([100, 100]).toString()).toBe(
      'tensor([[0., 0., 0.,  ..., 0., 0., 0.],\n' +
        '        [0., 0., 0.,  ..., 0., 0., 0.],\n' +
        '        [0., 0., 0.,  ..., 0., 0., 0.],\n' +
        '        ...,\n' +
        '        [0., 0., 0.,  ..., 0., 0., 0.],\n' +
        '        [0., 0., 0.,  ..., 0., 0., 0.],\n' +
        '        [0., 0., 0.,  ..., 0., 0., 0.]])',
    );
  });

  it('prints a strided view by its own elements', () => {
    expect(arange(6).float().reshape([2, 3]).T.toString()).toBe('tensor([[0., 3.],\n        [1., 4.],\n        [2., 5.]])');
  });
});

describe('console.log and JSON', () => {
  it('util.inspect (console.log) shows the tensor as String(t) does, also inside objects', () => {
    const t = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    expect(inspect(t)).toBe(String(t));
    expect(inspect({ w: tensor([1, 2]) })).toBe('{ w: tensor([1., 2.]) }');
    expect(`${tensor([0.5])}`).toBe('tensor([0.5000])');
  });

  it('JSON.stringify writes the nested values', () => {
    expect(JSON.stringify({ w: tensor([[1, 2], [3, 4]]) })).toBe('{"w":[[1,2],[3,4]]}');
    expect(JSON.stringify(tensor([true, false]))).toBe('[true,false]');
    expect(tensor(3).toJSON()).toBe(3);
  });
});
