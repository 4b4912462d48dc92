import type { Tensor } from '../tensor.js';
import { where } from './where.js';

/**
 * Gradients of an elementwise choice between `a` and `b` (`'max'` for maximum, `'min'` for
 * minimum): the chosen input gets `g`, ties split it in halves, and where either input is NaN
 * neither comparison holds, so both get the whole `g`, as in PyTorch. Only the inputs marked in
 * `needsGrad` get one. Written with `where`, so it differentiates again. @internal
 */
export function pickGrads(
  pick: 'max' | 'min', g: Tensor, a: Tensor, b: Tensor, [needA, needB]: readonly boolean[],
): [Tensor | null, Tensor | null] {
  const base = where(a.eq(b), g.mul(0.5), g);
  // x loses to y where y is strictly the better choice.
  const loses = (x: Tensor, y: Tensor) => (pick === 'max' ? x.lt(y) : x.gt(y));
  return [needA ? where(loses(a, b), 0, base) : null, needB ? where(loses(b, a), 0, base) : null];
}
