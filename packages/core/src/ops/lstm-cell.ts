import { isGradEnabled } from '../autograd/grad-mode.js';
import { primitive } from '../autograd/primitive.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { isFloating } from '../dtype.js';
import { K } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { cat } from './cat.js';
import { requireTensor } from './operands.js';

// One LSTM step's pointwise part as one primitive: from the gates' two halves gi, gh [b, 4H]
// (PyTorch's order i, f, g, o) and the cell state c [b, H], the packed [b, 2H] of h1 and c1:
//   a = gi + gh, i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o), c1 = f c + i g, h1 = o tanh(c1).
// The forward keeps the activated gates; the first-order backward is one kernel from them. When
// the backward itself records (createGraph), the rule writes the same gradients in tensor ops
// of gi, gh and c, so gradients of any order are exact.

const lstmCellPrimitive = primitive('lstmCell', {
  forward: (gi: Tensor, gh: Tensor, c: Tensor) => {
    const r = K().lstmCell(gi.nd, gh.nd, c.nd);
    return { out: Tensor.fromView(r.out, c.dtype), saved: [gi, gh, c, Tensor.fromView(r.act, c.dtype)] };
  },
  backward: (g, saved, _ctx, needs) => {
    const [gi, gh, c, act] = saved as [Tensor, Tensor, Tensor, Tensor];
    const H = c.shape[1]!;
    let dgates: Tensor, dc: Tensor;
    if (isGradEnabled()) {
      // recording: the gradients as tensor ops (dc = dc1 + dh1 o (1 - tanh²(c1)), then each gate's)
      const [ai, af, ag, ao] = gi.add(gh).chunk(4, 1) as [Tensor, Tensor, Tensor, Tensor];
      const [i, f, gg, o] = [ai.sigmoid(), af.sigmoid(), ag.tanh(), ao.sigmoid()];
      const tc = f.mul(c).add(i.mul(gg)).tanh();
      const dh1 = g.narrow(1, 0, H), dc1 = g.narrow(1, H, H);
      const dcs = dc1.add(dh1.mul(o).mul(tc.square().neg().add(1)));
      const dSigmoid = (s: Tensor) => s.mul(s.neg().add(1));
      dgates = cat([dcs.mul(gg).mul(dSigmoid(i)), dcs.mul(c).mul(dSigmoid(f)), dcs.mul(i).mul(gg.square().neg().add(1)), dh1.mul(tc).mul(dSigmoid(o))], 1);
      dc = dcs.mul(f);
    } else {
      const r = K().lstmCellBackward(g.nd, act.nd, c.nd);
      dgates = Tensor.fromView(r.dgates, c.dtype);
      dc = Tensor.fromView(r.dc, c.dtype);
    }
    // gi and gh enter as a sum: both get the gates' gradient
    return [needs[0] ? dgates : null, needs[1] ? dgates : null, needs[2] ? dc : null];
  },
});

/**
 * One LSTM step's pointwise part in one kernel each way (nn's LSTM and LSTMCell run it when the
 * operands share a float dtype): the gates' two halves gi, gh `[b, 4H]` (i, f, g, o) and the cell
 * state c `[b, H]` give `[h1, c1]`, each `[b, H]`, with `a = gi + gh`,
 * `c1 = σ(a_f) c + σ(a_i) tanh(a_g)`, `h1 = σ(a_o) tanh(c1)`. @internal
 *
 * @throws ValueError when an argument is not a tensor
 * @throws ShapeError when the shapes are not [b, 4H], [b, 4H], [b, H]
 * @throws DTypeError unless all three have one float dtype
 * @example
 * // b = 1, H = 1; gates (i, f, g, o) saturated open, open, at tanh 1, open
 * const [h1, c1] = fusedLstmCell(tensor([[20, 20, 20, 20]]), zeros([1, 4]), tensor([[0.5]]));
 * c1.item(); // 1.5 (0.5 kept + 1 written)
 * h1.item().toFixed(4); // '0.9051' (tanh 1.5)
 */
export function fusedLstmCell(gi: Tensor, gh: Tensor, c: Tensor): [Tensor, Tensor] {
  const op = 'fusedLstmCell';
  requireTensor(op, 'gi', gi);
  requireTensor(op, 'gh', gh);
  requireTensor(op, 'c', c);
  if (gi.dtype !== gh.dtype || gi.dtype !== c.dtype || !isFloating(c.dtype))
    throw new DTypeError(`${op}: gi, gh and c must have one float dtype, got ${gi.dtype}, ${gh.dtype}, ${c.dtype}`);
  const [b, H] = c.shape as [number, number];
  const gates = (t: Tensor) => t.ndim === 2 && t.shape[0] === b && t.shape[1] === 4 * H;
  if (c.ndim !== 2 || !gates(gi) || !gates(gh))
    throw new ShapeError(`${op}: expected gi and gh [b, 4H] and c [b, H], got gi.shape=${fmtShape(gi.shape)}, gh.shape=${fmtShape(gh.shape)}, c.shape=${fmtShape(c.shape)}`);
  const out = lstmCellPrimitive(gi, gh, c);
  return [out.narrow(1, 0, H), out.narrow(1, H, H)];
}
