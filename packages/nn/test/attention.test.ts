import { describe, expect, it } from 'vitest';
import {
  Tensor, tensor, randn, zeros, gradcheck, Generator, ShapeError, ValueError, DTypeError, manualSeed, setTracer,
} from '@tapegrad/core';
import {
  EmbeddingBag, F, MultiheadAttention, ReLU, Transformer, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer,
} from '@tapegrad/nn';

const f64 = (shape: number[], seed = 1, requiresGrad = true) =>
  randn(shape, { dtype: 'float64', requiresGrad, generator: new Generator(seed) });

/** Plain-loop attention for one [L, E] x [S, E] x [S, Ev] problem with an additive mask. */
function reference(q: number[][], k: number[][], v: number[][], add: (i: number, j: number) => number, scale: number): number[][] {
  return q.map((qi, i) => {
    const s = k.map((kj, j) => qi.reduce((a, x, d) => a + x * kj[d]!, 0) * scale + add(i, j));
    const m = Math.max(...s);
    const e = s.map((x) => Math.exp(x - m));
    const z = e.reduce((a, b) => a + b, 0);
    return v[0]!.map((_, c) => e.reduce((a, w, j) => a + (w / z) * v[j]![c]!, 0));
  });
}

describe('scaledDotProductAttention', () => {
  it('computes softmax(q kᵀ / √E + mask) v as a plain loop does, with a bool mask meaning attend', () => {
    const q = f64([3, 4], 1, false), k = f64([5, 4], 2, false), v = f64([5, 2], 3, false);
    const mask = tensor([[true, false, true, true, false], [true, true, true, true, true], [false, false, true, false, false]]);
    const out = F.scaledDotProductAttention(q, k, v, { attnMask: mask });
    const m = mask.toArray() as boolean[][];
    const want = reference(q.toArray() as number[][], k.toArray() as number[][], v.toArray() as number[][], (i, j) => (m[i]![j] ? 0 : -Infinity), 0.5);
    expect(out).toBeAllClose(tensor(want, { dtype: 'float64' }), { rtol: 1e-12, atol: 1e-12 });
  });

  it('gives the same result for isCausal and the equivalent bool and additive masks', () => {
    const q = f64([2, 4, 3], 4), k = f64([2, 4, 3], 5), v = f64([2, 4, 3], 6);
    const causal = F.scaledDotProductAttention(q, k, v, { isCausal: true });
    const lower = tensor([[1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]]).gt(0);
    expect(F.scaledDotProductAttention(q, k, v, { attnMask: lower })).toBeAllClose(causal);
    expect(F.scaledDotProductAttention(q, k, v, { attnMask: Transformer.generateSquareSubsequentMask(4, { dtype: 'float64' }) })).toBeAllClose(causal);
  });

  it('passes gradcheck in float64 with a mask and a scale', () => {
    const q = f64([2, 3, 4], 7), k = f64([2, 5, 4], 8), v = f64([2, 5, 3], 9);
    const mask = f64([3, 5], 10, false);
    expect(gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, { attnMask: mask, scale: 0.7 }), [q, k, v]).ok).toBe(true);
  });

  it('runs one fused primitive without a mask tensor or dropout, and the composite otherwise or while an ONNX trace records', () => {
    const q = f64([2, 3, 4], 11), k = f64([2, 5, 4], 12), v = f64([2, 5, 3], 13);
    const fused = F.scaledDotProductAttention(q, k, v, { isCausal: true, scale: 0.3 });
    expect(fused.gradFn!.name).toBe('scaledDotProductAttention');
    const masked = F.scaledDotProductAttention(q, k, v, { attnMask: tensor([[1, 0, 0, 0, 0], [1, 1, 0, 0, 0], [1, 1, 1, 0, 0]]).gt(0), scale: 0.3 });
    expect(masked.gradFn!.name).not.toBe('scaledDotProductAttention');
    expect(fused).toBeAllClose(masked, { rtol: 1e-12, atol: 1e-12 });
    // broadcast batch dims and mixed dtypes take the composite too
    expect(F.scaledDotProductAttention(q, f64([1, 5, 4], 14), f64([1, 5, 3], 15)).gradFn!.name).not.toBe('scaledDotProductAttention');
    expect(F.scaledDotProductAttention(q, k.float(), v).dtype).toBe('float64');
    const seen: string[] = [];
    const prev = setTracer({ primitive: (name) => void seen.push(name) });
    try {
      F.scaledDotProductAttention(q, k, v, { isCausal: true });
    } finally {
      setTracer(prev);
    }
    expect(seen).toContain('softmax');
    expect(seen).not.toContain('scaledDotProductAttention');
  });

  it('applies seeded dropout to the weights only when dropoutP > 0', () => {
    const q = f64([4, 3], 1, false);
    const a = F.scaledDotProductAttention(q, q, q, { dropoutP: 0.5, generator: new Generator(3) });
    const b = F.scaledDotProductAttention(q, q, q, { dropoutP: 0.5, generator: new Generator(3) });
    expect(a).toBeAllClose(b, { rtol: 0, atol: 0 });
    expect(a).not.toBeAllClose(F.scaledDotProductAttention(q, q, q));
  });

  it('refuses isCausal with a mask, mismatched shapes, integer masks and enableGqa', () => {
    const q = zeros([3, 4]);
    expect(() => F.scaledDotProductAttention(q, q, q, { isCausal: true, attnMask: zeros([3, 3]) })).toThrow(ValueError);
    expect(() => F.scaledDotProductAttention(q, zeros([3, 5]), q)).toThrow(/scaledDotProductAttention: query.shape=\[3,4\] and key.shape=\[3,5\] differ in their last dim/);
    expect(() => F.scaledDotProductAttention(q, q, zeros([2, 4]))).toThrow(ShapeError);
    expect(() => F.scaledDotProductAttention(q, q, q, { attnMask: zeros([3, 3], { dtype: 'int32' }) })).toThrow(DTypeError);
    expect(() => F.scaledDotProductAttention(q, q, q, { attnMask: tensor([true, false]) })).toThrow(ShapeError);
    expect(() => F.scaledDotProductAttention(q, q, q, { enableGqa: true } as never)).toThrow(/enableGqa is not supported/);
    expect(() => F.scaledDotProductAttention(q, q, q, { dropoutP: 2 })).toThrow(ValueError);
  });
});

describe('MultiheadAttention', () => {
  it("has PyTorch's parameter names and shapes, packed or separate", () => {
    expect(Object.entries(new MultiheadAttention(8, 2).stateDict()).map(([k, t]) => [k, t.shape])).toEqual([
      ['in_proj_weight', [24, 8]], ['in_proj_bias', [24]], ['out_proj.weight', [8, 8]], ['out_proj.bias', [8]],
    ]);
    const sep = new MultiheadAttention(8, 2, { kdim: 3, vdim: 5, bias: false, addBiasKv: true });
    expect(Object.entries(sep.stateDict()).map(([k, t]) => [k, t.shape])).toEqual([
      ['q_proj_weight', [8, 8]], ['k_proj_weight', [8, 3]], ['v_proj_weight', [8, 5]], ['bias_k', [1, 1, 8]], ['bias_v', [1, 1, 8]],
      ['out_proj.weight', [8, 8]],
    ]);
  });

  it('initialises as PyTorch: Xavier uniform projections and zero biases', () => {
    const mha = new MultiheadAttention(8, 2, { generator: new Generator(0) });
    const bound = Math.sqrt(6 / (24 + 8));
    expect(mha.in_proj_weight!.abs().max().item()).toBeLessThanOrEqual(bound);
    expect(mha.in_proj_weight!.abs().max().item()).toBeGreaterThan(bound * 0.8);
    expect(mha.in_proj_bias!.abs().sum().item()).toBe(0);
    expect(mha.out_proj.bias!.abs().sum().item()).toBe(0);
  });

  it('treats bool true as masked, the opposite of scaledDotProductAttention, and isCausal as the causal mask', () => {
    const mha = new MultiheadAttention(4, 2).double();
    const x = f64([3, 1, 4], 2, false);
    const masked = tensor([[false, true, true], [false, false, true], [false, false, false]]);
    const [a, wa] = mha.call(x, x, x, { attnMask: masked });
    const [b] = mha.call(x, x, x, { isCausal: true });
    expect(a).toBeAllClose(b);
    expect(wa!.select(1, 0).toArray()).toEqual([[1, 0, 0]]);
  });

  it('returns weights averaged or per head, and null without needWeights', () => {
    const mha = new MultiheadAttention(6, 3, { batchFirst: true });
    const q = randn([2, 4, 6]), kv = randn([2, 5, 6]);
    expect(mha.call(q, kv, kv)[1]!.shape).toEqual([2, 4, 5]);
    expect(mha.call(q, kv, kv, { averageAttnWeights: false })[1]!.shape).toEqual([2, 3, 4, 5]);
    expect(mha.call(q, kv, kv, { needWeights: false })[1]).toBeNull();
    expect(mha.call(q, kv, kv)[0].shape).toEqual([2, 4, 6]);
  });

  it('passes gradcheck in float64 with kdim/vdim, a key padding mask, addBiasKv and addZeroAttn', () => {
    const mha = new MultiheadAttention(4, 2, { kdim: 3, vdim: 2, addBiasKv: true, addZeroAttn: true, generator: new Generator(1) }).double();
    const q = f64([2, 2, 4], 3), k = f64([3, 2, 3], 4), v = f64([3, 2, 2], 5);
    const kpm = tensor([[false, false, true], [false, false, false]]);
    const f = (a: Tensor, b: Tensor, c: Tensor) => mha.call(a, b, c, { keyPaddingMask: kpm })[0];
    expect(gradcheck(f, [q, k, v, mha.q_proj_weight!, mha.bias_k!]).ok).toBe(true);
  });

  it('drops attention weights in training mode only, reproducibly from its generator', () => {
    const x = f64([4, 1, 4], 3, false);
    const make = () => new MultiheadAttention(4, 2, { dropout: 0.5, generator: new Generator(7) }).double();
    const [a, wa] = make().call(x, x, x);
    const [b] = make().call(x, x, x);
    expect(a).toBeAllClose(b, { rtol: 0, atol: 0 });
    expect(wa!.eq(0).any().item()).toBeTruthy();
    const m = make().eval();
    const [, we] = m.call(x, x, x);
    expect(we!.sum(-1)).toBeAllClose(tensor([[1, 1, 1, 1]], { dtype: 'float64' }));
  });

  it('refuses bad sizes, shapes and options', () => {
    expect(() => new MultiheadAttention(5, 2)).toThrow(/MultiheadAttention: embedDim must be divisible by numHeads, got embedDim=5, numHeads=2/);
    expect(() => new MultiheadAttention(4, 2, { dropout: 1.5 })).toThrow(ValueError);
    expect(() => new MultiheadAttention(4, 2, { batch_first: true } as never)).toThrow(ValueError);
    const mha = new MultiheadAttention(4, 2);
    const x = zeros([3, 2, 4]);
    expect(() => mha.call(zeros([3, 2, 5]), x, x)).toThrow(/MultiheadAttention: query.shape=\[3,2,5\] must end in embedDim=4/);
    expect(() => mha.call(x, x, x, { attnMask: zeros([3, 4]) })).toThrow(/the 2-D attnMask has shape \[3,4\], but should be \[3, 3\]/);
    expect(() => mha.call(x, x, x, { keyPaddingMask: zeros([2, 2]).gt(0) })).toThrow(ShapeError);
    expect(() => mha.call(x, x, x, { attnMask: zeros([3, 3], { dtype: 'int32' }) })).toThrow(DTypeError);
  });
});

describe('Transformer layers', () => {
  it("have PyTorch's state dict keys", () => {
    const keys = Object.keys(new TransformerEncoderLayer(4, 2, { dimFeedforward: 8 }).stateDict());
    expect(keys).toEqual([
      'self_attn.in_proj_weight', 'self_attn.in_proj_bias', 'self_attn.out_proj.weight', 'self_attn.out_proj.bias',
      'linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias', 'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias',
    ]);
    const dec = Object.keys(new TransformerDecoder(new TransformerDecoderLayer(4, 2, { dimFeedforward: 8 }), 2).stateDict());
    expect(dec).toContain('layers.1.multihead_attn.in_proj_weight');
    expect(dec).toContain('layers.0.norm3.bias');
    const t = Object.keys(new Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8 }).stateDict());
    expect(t).toContain('encoder.norm.weight');
    expect(t).toContain('decoder.layers.0.self_attn.out_proj.bias');
  });

  it('copy the given layer into each stacked layer, as independent parameters', () => {
    const layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
    const enc = new TransformerEncoder(layer, 2);
    const [a, b] = enc.layers.children() as TransformerEncoderLayer[];
    expect(a!.linear1.weight).toBeAllClose(layer.linear1.weight, { rtol: 0, atol: 0 });
    expect(a!.linear1.weight).not.toBe(b!.linear1.weight);
    expect(enc.parameters().length).toBe(2 * layer.parameters().length);
  });

  it('are causal with isCausal: an output position does not depend on later inputs', () => {
    manualSeed(0);
    const layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 8, dropout: 0, normFirst: true, batchFirst: true }).double();
    const x = f64([1, 4, 4], 1, false);
    const y = x.clone();
    y.select(1, 3).add_(1);
    const a = layer.call(x, { isCausal: true }), b = layer.call(y, { isCausal: true });
    expect(a.narrow(1, 0, 3)).toBeAllClose(b.narrow(1, 0, 3));
    expect(a.narrow(1, 3, 1)).not.toBeAllClose(b.narrow(1, 3, 1));
  });

  it('pass gradcheck in float64 (decoder layer, post-norm, gelu)', () => {
    const layer = new TransformerDecoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, activation: 'gelu', generator: new Generator(2) }).double();
    const tgt = f64([3, 1, 4], 1), mem = f64([2, 1, 4], 2);
    expect(gradcheck((a, b) => layer.call(a, b, { tgtIsCausal: true }), [tgt, mem, layer.linear1.weight]).ok).toBe(true);
  });

  it('accept an activation function or module', () => {
    const x = randn([3, 2, 4]);
    expect(new TransformerEncoderLayer(4, 2, { activation: new ReLU() }).call(x).shape).toEqual([3, 2, 4]);
    expect(new TransformerEncoderLayer(4, 2, { activation: (t) => t.tanh() }).call(x).shape).toEqual([3, 2, 4]);
  });

  it('refuse bad options and shapes', () => {
    expect(() => new TransformerEncoderLayer(4, 2, { activation: 'swish' as never })).toThrow(/activation should be 'relu', 'gelu'/);
    expect(() => new TransformerEncoderLayer(4, 3)).toThrow(/embedDim must be divisible by numHeads/);
    expect(() => new TransformerEncoderLayer(4, 2, { dropout: -1 })).toThrow(ValueError);
    expect(() => new TransformerEncoder({} as never, 2)).toThrow(ValueError);
    const layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
    expect(() => new TransformerEncoder(layer, 1, { norm: 3 } as never)).toThrow(/TransformerEncoder: option norm must be a Module or null, got 3/);
    expect(() => new TransformerEncoderLayer(4, 2, { activation: 3 } as never)).toThrow(/option activation must be 'relu', 'gelu', a function or a Module/);
    const model = new Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8 });
    expect(() => model.call(randn([3, 2, 4]), randn([3, 1, 4]))).toThrow(/Transformer: the batch sizes of src.shape=\[3,2,4\] and tgt.shape=\[3,1,4\] must be equal/);
    expect(() => model.call(randn([3, 2, 5]), randn([3, 2, 4]))).toThrow(ShapeError);
  });
});

describe('EmbeddingBag', () => {
  const i32 = (v: number[] | number[][]) => tensor(v, { dtype: 'int32' });

  it('reduces bags from a 2-D input or from offsets, an empty bag giving zeros', () => {
    const w = tensor([[1, 1], [2, 4], [3, 0]], { dtype: 'float64' });
    expect(F.embeddingBag(i32([[0, 1], [1, 2]]), w, { mode: 'sum' }).toArray()).toEqual([[3, 5], [5, 4]]);
    expect(F.embeddingBag(i32([0, 1, 2]), w, { offsets: i32([0, 0, 2]), mode: 'mean' }).toArray()).toEqual([[0, 0], [1.5, 2.5], [3, 0]]);
    expect(F.embeddingBag(i32([0, 1, 2]), w, { offsets: i32([0, 1, 3]), includeLastOffset: true, mode: 'max' }).toArray()).toEqual([[1, 1], [3, 4]]);
  });

  it('passes gradcheck in float64 for the table and the per-sample weights', () => {
    const w = f64([5, 3], 1), psw = f64([6], 2);
    const f = (a: Tensor, b: Tensor) => F.embeddingBag(i32([0, 3, 3, 1, 4, 2]), a, { offsets: i32([0, 2, 4]), mode: 'sum', perSampleWeights: b });
    expect(gradcheck(f, [w, psw]).ok).toBe(true);
  });

  it('refuses bad offsets, per-sample weights outside sum mode, and unsupported options', () => {
    const w = zeros([4, 2]);
    expect(() => F.embeddingBag(i32([0, 1]), w)).toThrow(/embeddingBag: offsets are required for a 1-D input/);
    expect(() => F.embeddingBag(i32([0, 1]), w, { offsets: i32([1]) })).toThrow(/offsets\[0\] must be 0, got 1/);
    expect(() => F.embeddingBag(i32([[0, 1]]), w, { offsets: i32([0]) })).toThrow(ValueError);
    expect(() => F.embeddingBag(i32([[0, 1]]), w, { perSampleWeights: zeros([1, 2]) })).toThrow(/only supported for mode 'sum'/);
    expect(() => F.embeddingBag(tensor([0, 1]), w, { offsets: i32([0]) })).toThrow(DTypeError);
    expect(() => new EmbeddingBag(4, 2, { sparse: true } as never)).toThrow(/sparse gradients are not supported/);
    expect(() => new EmbeddingBag(4, 2, { paddingIdx: 4 })).toThrow(ValueError);
  });
});
