import type { View } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { isF32, sizeOf } from './layout.js';
import { contiguous, contiguousInts, MIN_ELEMENTWISE, takeF32, withRuntime } from './staging.js';

function scatterAdd(x: View, dim: number, index: View, src: View): View {
  const nd = x.shape.length;
  const fits =
    isF32(x) && isF32(src) && index.data instanceof Int32Array && nd > 0 && dim === nd - 1 && index.size >= MIN_ELEMENTWISE &&
    index.shape.every((d, i) => i === nd - 1 || d === x.shape[i]);
  if (!fits) return jsBackend.scatterAdd(x, dim, index, src);
  return withRuntime((rt) => {
    const D = x.shape[nd - 1]!;
    const L = index.shape[nd - 1]!;
    const outer = sizeOf(x.shape) / Math.max(D, 1);
    // the kernel adds into `out` in place: it must be a copy of x, also when x is pinned
    let out = contiguous(rt, x);
    if (rt.addressOf(x.data) !== undefined) {
      const n = sizeOf(x.shape);
      const copy = rt.alloc(n * 4);
      rt.exports.copyBytes(copy, out, n * 4);
      out = copy;
    }
    const pi = contiguousInts(rt, index);
    const ps = contiguous(rt, src);
    if (rt.exports.scatterAddLastF32(outer, D, L, out, pi, ps) !== 0) return jsBackend.scatterAdd(x, dim, index, src);
    return takeF32(rt, out, x.shape);
  });
}

/** The indexing kernels of the wasm backend. @internal */
export const indexingKernels = { scatterAdd };
