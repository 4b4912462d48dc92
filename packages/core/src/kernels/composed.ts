import type { DType } from '../dtype.js';
import type { Backend, FloatArray, View } from './backend.js';
import { makeView } from './view.js';

// Kernels that backends without a fused version build from their own simpler kernels (the js
// reference, wasm): attention, and a product with a bias. Each runs the kernels, in the order, of
// the same computation written in tensor ops (attention: matmul, mul by the scale, where for the
// causal mask, softmax, matmul, and softmax's gradient for the backward; a linear layer: matmul,
// then add), so on these backends the fused ops give the composites' bits. The native backend
// replaces them with its own kernels.

/** The batch dims of `v` (all but the last two) merged into one: `[Bt, rows, cols]`, or null when its strides do not merge. */
function merged(v: View): View | null {
  const nd = v.shape.length;
  const rows = v.shape[nd - 2]!, cols = v.shape[nd - 1]!;
  let bt = 1, step = 0;
  for (let d = nd - 3; d >= 0; d--) {
    const n = v.shape[d]!;
    if (n === 1) continue;
    if (bt === 1) step = v.stride[d]!;
    else if (v.stride[d] !== step * bt) return null;
    bt *= n;
  }
  return { data: v.data, shape: [bt, rows, cols], stride: [step, v.stride[nd - 2]!, v.stride[nd - 1]!], offset: v.offset, size: v.size };
}

/** `v` as `[Bt, rows, cols]`: a view when its batch dims merge, else a contiguous copy. */
function batched(be: Backend, v: View, dtype: DType): View {
  const m = merged(v);
  if (m !== null) return m;
  return merged(be.unary('copy', v, dtype))!;
}

/** The view `[B, rows, cols]` with its last two dims swapped (no copy). */
function transposed(v: View): View {
  return { data: v.data, shape: [v.shape[0]!, v.shape[2]!, v.shape[1]!], stride: [v.stride[0]!, v.stride[2]!, v.stride[1]!], offset: v.offset, size: v.size };
}

/** A contiguous `[B, rows, cols]` result seen with the batch dims `batch`. */
function unbatched(v: View, batch: readonly number[]): View {
  return makeView(v.data, [...batch, v.shape[1]!, v.shape[2]!]);
}

/** `value` broadcast to `shape` (stride 0 everywhere). */
function scalar(dtype: DType, value: number, shape: readonly number[]): View {
  const data: FloatArray = dtype === 'float64' ? new Float64Array([value]) : new Float32Array([value]);
  return makeView(data, shape, shape.map(() => 0));
}

/** True where key j may be attended by query i (j <= i), [L, S], broadcast over B. */
function causalKeep(B: number, L: number, S: number): View {
  const keep = new Uint8Array(L * S);
  for (let i = 0; i < L; i++) keep.fill(1, i * S, i * S + Math.min(i + 1, S));
  return makeView(keep, [B, L, S], [0, S, 1]);
}

/**
 * `attention`, `attentionBackward` and `matmulBias` of a backend from its matmul, binary, where
 * and softmax kernels (see the module comment); `be` gives the backend whose kernels run. @internal
 */
export function composedKernels(be: () => Backend): Pick<Backend, 'attention' | 'attentionBackward' | 'matmulBias'> {
  return {
    matmulBias(a: View, b: View, bias: View, outDtype: DType): View {
      const K = be();
      const out = K.matmul(a, b, outDtype);
      const [B, M, N] = out.shape as [number, number, number];
      return K.binary('add', out, { data: bias.data, shape: [B, M, N], stride: [0, 0, bias.stride[0]!], offset: bias.offset, size: B * M * N }, outDtype);
    },

    attention(q: View, k: View, v: View, scale: number, causal: boolean): { out: View; weights: View } {
      const K = be();
      const dtype: DType = q.data instanceof Float64Array ? 'float64' : 'float32';
      const batch = q.shape.slice(0, -2);
      const q3 = batched(K, q, dtype), k3 = batched(K, k, dtype), v3 = batched(K, v, dtype);
      const [B, L] = q3.shape as [number, number];
      const S = k3.shape[1]!;
      let s = K.matmul(q3, transposed(k3), dtype);
      s = K.binary('mul', s, scalar(dtype, scale, s.shape), dtype);
      if (causal) s = K.where(causalKeep(B, L, S), s, scalar(dtype, -Infinity, s.shape), dtype);
      const w = K.softmax(s, 2, false);
      const out = K.matmul(w, v3, dtype);
      return { out: unbatched(out, batch), weights: unbatched(w, batch) };
    },

    attentionBackward(g: View, q: View, k: View, v: View, weights: View, scale: number): { dq: View; dk: View; dv: View } {
      const K = be();
      const dtype: DType = q.data instanceof Float64Array ? 'float64' : 'float32';
      const g3 = batched(K, g, dtype), q3 = batched(K, q, dtype), k3 = batched(K, k, dtype), v3 = batched(K, v, dtype);
      const w3 = batched(K, weights, dtype);
      const dv = K.matmul(transposed(w3), g3, dtype);
      const dp = K.matmul(g3, transposed(v3), dtype);
      let ds = K.softmaxBackward(dp, w3, 2, false);
      ds = K.binary('mul', ds, scalar(dtype, scale, ds.shape), dtype);
      const dq = K.matmul(ds, k3, dtype);
      const dk = K.matmul(transposed(ds), q3, dtype);
      return { dq: unbatched(dq, q.shape.slice(0, -2)), dk: unbatched(dk, k.shape.slice(0, -2)), dv: unbatched(dv, v.shape.slice(0, -2)) };
    },
  };
}
