import { Generator, enableGrad, grad, randn, zeros, type Tensor } from '@tapegrad/core';

// Checking derivatives past the second: the gradients of f, taken with createGraph, summed into
// one scalar function of the same inputs, so gradcheck of it checks f's second derivative and
// gradgradcheck of it the third.

/**
 * `f` differentiated once with createGraph against a fixed float64 output gradient (from `seed`),
 * its input gradients summed with weights 1, 2, 3, ... into a scalar.
 */
export function firstGrad(f: (...xs: Tensor[]) => Tensor, seed = 7): (...xs: Tensor[]) => Tensor {
  // (gradcheck's finite differences call it under noGrad, on inputs that do not require grad)
  return (...xs) => enableGrad(() => {
    const ins = xs.map((x) => (x.requiresGrad ? x : x.detach().requiresGrad_()));
    const y = f(...ins);
    const go = randn(y.shape, { dtype: 'float64', generator: new Generator(seed) });
    const gs = grad(y, ins, { gradOutputs: go, createGraph: true });
    return gs.reduce<Tensor>((acc, g, i) => acc.add(g!.mul(i + 1).sum()), zeros([], { dtype: 'float64' }));
  });
}
