import type { Tensor } from '../tensor.js';
import { where } from './where.js';

/**
 * Gradients of an elementwise choice between `a` and `b` (maximum, minimum): the chosen input
 * gets `g`, ties split it in halves, and where either input is NaN neither comparison holds, so
 * both get the whole `g`, as in PyTorch. `aLoses` marks where `a` was not chosen, `bLoses`
 * where `b` was not. Written with `where`, so it differentiates again. @internal
 */
export function pickGrads(g: Tensor, a: Tensor, b: Tensor, aLoses: Tensor, bLoses: Tensor): [Tensor, Tensor] {
  const base = where(a.eq(b), g.mul(0.5), g);
  return [where(aLoses, 0, base), where(bLoses, 0, base)];
}
