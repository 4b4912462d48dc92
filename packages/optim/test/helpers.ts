import { tensor, type Tensor } from '@tapegrad/core';
import type { Optimizer } from '@tapegrad/optim';

// The test objective: f(x) = Σ a·x² + b·x⁴ + c·x, a quadratic plus a quartic plus a linear term,
// over a float64 vector of 5 elements, so that the gradient changes non-linearly along the path.
export const A = [1.0, 0.5, 2.0, 0.8, 1.5];
export const B = [0.1, 0.3, 0.05, 0.2, 0.15];
export const C = [-3.0, -2.0, -4.0, -2.5, -3.5];
export const X0 = [2.5, 0.3, 3.0, 0.6, 2.0];

/** The objective on the tape, times `sign` (-1 to test `maximize`). */
export function objective(x: Tensor, sign = 1): Tensor {
  const a = tensor(A, { dtype: 'float64' });
  const b = tensor(B, { dtype: 'float64' });
  const c = tensor(C, { dtype: 'float64' });
  const x2 = x.mul(x);
  const f = x2.mul(a).add(x2.mul(x2).mul(b)).add(x.mul(c)).sum();
  return sign === 1 ? f : f.mul(sign);
}

/** The gradient of `sign · f` in plain numbers: sign · (2a·x + 4b·x³ + c). */
export function gradient(x: number[], sign = 1): number[] {
  return x.map((xi, i) => sign * (2 * A[i]! * xi + 4 * B[i]! * xi ** 3 + C[i]!));
}

/** f(x) in plain numbers. */
export function value(x: number[]): number {
  return x.reduce((s, xi, i) => s + A[i]! * xi * xi + B[i]! * xi ** 4 + C[i]! * xi, 0);
}

/** A fresh float64 parameter at `start`. */
export function param(start: number[] = X0): Tensor {
  return tensor(start, { dtype: 'float64', requiresGrad: true });
}

/** Runs `steps` optimizer steps on `x` (zeroGrad, backward of the objective, step); returns x after each step. */
export function run(opt: Optimizer<any, any>, x: Tensor, steps: number, sign = 1, after?: () => void): number[][] {
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    objective(x, sign).backward();
    opt.step();
    after?.();
    out.push(Array.from(x.data));
  }
  return out;
}
