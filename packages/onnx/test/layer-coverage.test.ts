import { describe, expect, it } from 'vitest';
import { Tensor, manualSeed, noGrad, rand, randint, randn } from '@tapegrad/core';
import * as nn from '@tapegrad/nn';
import { Module, type AnyModule } from '@tapegrad/nn';
import { exportOnnx } from '@tapegrad/onnx';
import { maxAbsDiff, onnxCheckerTest, runOrt } from './ort.js';

/**
 * Issue 22: every layer @tapegrad/nn ships exports to ONNX and ONNX Runtime gives its outputs,
 * or the export refuses it with an error naming the op. One entry per exported Module subclass.
 */
interface Entry {
  /** Builds the layer with small arguments. */
  make: () => AnyModule;
  /** The forward inputs for batch size n. */
  inputs: (n: number) => Tensor[];
  /** Why the batch axis is not dynamic (losses reduce over it, the layer has none); absent: axis 0 of every input is dynamic. */
  fixed?: string;
  /** The batch axis of every input, when not 0. */
  batchAxis?: number;
  /** The export fails with this error (which names the op), instead of writing a graph. */
  refuses?: RegExp;
}

/** Exported Module subclasses that are not layers to export on their own, and why. */
const NOT_LAYERS: Record<string, string> = {
  Sequential: 'a container (its children are the layers covered here)',
  ModuleList: 'a container without a forward',
  ModuleDict: 'a container without a forward',
  BatchNormBase: 'the abstract base of BatchNorm1d/2d',
  InstanceNormBase: 'the abstract base of InstanceNorm1d/2d',
  RNNBase: 'the base of RNN/LSTM/GRU (covered through them)',
  RNNCellBase: 'the base of RNNCell/LSTMCell/GRUCell (covered through them)',
};

const x2 = (d = 6) => (n: number) => [randn([n, d])];
const img = (c = 4, h = 6, w = 6) => (n: number) => [randn([n, c, h, w])];
const seq = (c = 4, l = 6) => (n: number) => [randn([n, c, l])];
const vol = (c = 2, s = 4) => (n: number) => [randn([n, c, s, s, s])];
const probs = (n: number) => rand([n, 5]).mul(0.9).add(0.05);
const sign = (n: number) => randint(0, 2, [n]).mul(2).sub(1).to('float32');
const LOSS = 'a loss reduces over the batch (its mean divides by N)';

const LAYERS: Record<string, Entry> = {
  // Linear and convolution layers
  Identity: { make: () => new nn.Identity(), inputs: x2() },
  Linear: { make: () => new nn.Linear(6, 3), inputs: x2() },
  Bilinear: { make: () => new nn.Bilinear(3, 4, 2), inputs: (n) => [randn([n, 3]), randn([n, 4])] },
  Conv1d: { make: () => new nn.Conv1d(4, 3, 3, { padding: 1 }), inputs: seq() },
  Conv2d: { make: () => new nn.Conv2d(4, 3, 3, { padding: 1 }), inputs: img() },
  Conv3d: { make: () => new nn.Conv3d(2, 3, 2), inputs: vol() },
  ConvTranspose1d: { make: () => new nn.ConvTranspose1d(4, 3, 3, { stride: 2 }), inputs: seq() },
  ConvTranspose2d: { make: () => new nn.ConvTranspose2d(4, 3, 3, { stride: 2 }), inputs: img() },
  Embedding: { make: () => new nn.Embedding(10, 4), inputs: (n) => [randint(0, 10, [n, 3])] },
  EmbeddingBag: { make: () => new nn.EmbeddingBag(10, 4), inputs: (n) => [randint(0, 10, [n, 3])] },
  Flatten: { make: () => new nn.Flatten(), inputs: img() },
  Unflatten: { make: () => new nn.Unflatten(1, [2, 3]), inputs: x2() },
  Unfold: { make: () => new nn.Unfold(2), inputs: img() },
  Fold: { make: () => new nn.Fold([3, 3], 2), inputs: (n) => [randn([n, 8, 4])] },
  // Pooling and resampling
  MaxPool1d: { make: () => new nn.MaxPool1d(2), inputs: seq() },
  MaxPool2d: { make: () => new nn.MaxPool2d(2), inputs: img() },
  MaxPool3d: { make: () => new nn.MaxPool3d(2, { padding: 1, ceilMode: true }), inputs: vol(2, 5) },
  AvgPool1d: { make: () => new nn.AvgPool1d(2), inputs: seq() },
  AvgPool2d: { make: () => new nn.AvgPool2d(2), inputs: img() },
  AvgPool3d: { make: () => new nn.AvgPool3d(2), inputs: vol() },
  AdaptiveAvgPool1d: { make: () => new nn.AdaptiveAvgPool1d(4), inputs: seq() },
  AdaptiveAvgPool2d: { make: () => new nn.AdaptiveAvgPool2d(4), inputs: img() },
  AdaptiveMaxPool1d: { make: () => new nn.AdaptiveMaxPool1d(4), inputs: seq() },
  AdaptiveMaxPool2d: { make: () => new nn.AdaptiveMaxPool2d(4), inputs: img() },
  MaxUnpool1d: { make: () => new nn.MaxUnpool1d(2), inputs: (n) => { const r = nn.F.maxPool1d(randn([n, 2, 6]), 2, { returnIndices: true }) as unknown as [Tensor, Tensor]; return [r[0], r[1]]; } },
  MaxUnpool2d: { make: () => new nn.MaxUnpool2d(2), inputs: (n) => { const r = nn.F.maxPool2d(randn([n, 2, 4, 4]), 2, { returnIndices: true }) as unknown as [Tensor, Tensor]; return [r[0], r[1]]; } },
  MaxUnpool3d: { make: () => new nn.MaxUnpool3d(2), inputs: (n) => { const r = nn.F.maxPool3d(randn([n, 2, 4, 4, 4]), 2, { returnIndices: true }) as unknown as [Tensor, Tensor]; return [r[0], r[1]]; } },
  Upsample: { make: () => new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' }), inputs: img(2, 3, 3) },
  PixelShuffle: { make: () => new nn.PixelShuffle(2), inputs: img() },
  PixelUnshuffle: { make: () => new nn.PixelUnshuffle(2), inputs: img() },
  // Normalization
  BatchNorm1d: { make: () => new nn.BatchNorm1d(6), inputs: x2() },
  BatchNorm2d: { make: () => new nn.BatchNorm2d(4), inputs: img() },
  InstanceNorm1d: { make: () => new nn.InstanceNorm1d(4), inputs: seq() },
  InstanceNorm2d: { make: () => new nn.InstanceNorm2d(4), inputs: img() },
  GroupNorm: { make: () => new nn.GroupNorm(2, 4), inputs: img() },
  LayerNorm: { make: () => new nn.LayerNorm(6), inputs: x2() },
  RMSNorm: { make: () => new nn.RMSNorm(6), inputs: x2() },
  LocalResponseNorm: { make: () => new nn.LocalResponseNorm(2), inputs: img() },
  // Dropout (eval mode: the identity)
  Dropout: { make: () => new nn.Dropout(), inputs: x2() },
  Dropout1d: { make: () => new nn.Dropout1d(), inputs: seq() },
  Dropout2d: { make: () => new nn.Dropout2d(), inputs: img() },
  Dropout3d: { make: () => new nn.Dropout3d(), inputs: vol() },
  AlphaDropout: { make: () => new nn.AlphaDropout(), inputs: x2() },
  FeatureAlphaDropout: { make: () => new nn.FeatureAlphaDropout(), inputs: img() },
  // Activations
  Sigmoid: { make: () => new nn.Sigmoid(), inputs: x2() },
  Tanh: { make: () => new nn.Tanh(), inputs: x2() },
  ReLU: { make: () => new nn.ReLU(), inputs: x2() },
  ReLU6: { make: () => new nn.ReLU6(), inputs: x2() },
  LeakyReLU: { make: () => new nn.LeakyReLU(0.1), inputs: x2() },
  PReLU: { make: () => new nn.PReLU(), inputs: x2() },
  RReLU: { make: () => new nn.RReLU(), inputs: x2() },
  ELU: { make: () => new nn.ELU(), inputs: x2() },
  CELU: { make: () => new nn.CELU(), inputs: x2() },
  SELU: { make: () => new nn.SELU(), inputs: x2() },
  GELU: { make: () => new nn.GELU(), inputs: x2() },
  SiLU: { make: () => new nn.SiLU(), inputs: x2() },
  Mish: { make: () => new nn.Mish(), inputs: x2() },
  Softplus: { make: () => new nn.Softplus(), inputs: x2() },
  Softsign: { make: () => new nn.Softsign(), inputs: x2() },
  Softshrink: { make: () => new nn.Softshrink(), inputs: x2() },
  Hardshrink: { make: () => new nn.Hardshrink(), inputs: x2() },
  Tanhshrink: { make: () => new nn.Tanhshrink(), inputs: x2() },
  Hardtanh: { make: () => new nn.Hardtanh(), inputs: x2() },
  Hardsigmoid: { make: () => new nn.Hardsigmoid(), inputs: x2() },
  Hardswish: { make: () => new nn.Hardswish(), inputs: x2() },
  LogSigmoid: { make: () => new nn.LogSigmoid(), inputs: x2() },
  Threshold: { make: () => new nn.Threshold(0.1, 2), inputs: x2() },
  Heaviside: { make: () => new nn.Heaviside({ value: 0.5 }), inputs: (n) => [randn([n, 6]).mul(randint(0, 2, [n, 6]))] },
  Step: { make: () => new nn.Step(), inputs: (n) => [randn([n, 6]).mul(randint(0, 2, [n, 6]))] },
  GLU: { make: () => new nn.GLU(), inputs: x2() },
  Softmax: { make: () => new nn.Softmax(-1), inputs: x2() },
  Softmin: { make: () => new nn.Softmin(-1), inputs: x2() },
  LogSoftmax: { make: () => new nn.LogSoftmax(-1), inputs: x2() },
  Softmax2d: { make: () => new nn.Softmax2d(), inputs: img() },
  // Distances
  CosineSimilarity: { make: () => new nn.CosineSimilarity(), inputs: (n) => [randn([n, 5]), randn([n, 5])] },
  PairwiseDistance: { make: () => new nn.PairwiseDistance(), inputs: (n) => [randn([n, 5]), randn([n, 5])] },
  // Recurrent layers and cells (the time axis is unrolled, so only the batch is dynamic)
  RNN: { make: () => new nn.RNN(3, 4, { batchFirst: true }), inputs: (n) => [randn([n, 4, 3])] },
  LSTM: { make: () => new nn.LSTM(3, 4, { batchFirst: true }), inputs: (n) => [randn([n, 4, 3])] },
  GRU: { make: () => new nn.GRU(3, 4, { batchFirst: true }), inputs: (n) => [randn([n, 4, 3])] },
  RNNCell: { make: () => new nn.RNNCell(3, 4), inputs: (n) => [randn([n, 3])] },
  LSTMCell: { make: () => new nn.LSTMCell(3, 4), inputs: (n) => [randn([n, 3])] },
  GRUCell: { make: () => new nn.GRUCell(3, 4), inputs: (n) => [randn([n, 3])] },
  // Attention and transformers
  MultiheadAttention: { make: () => new nn.MultiheadAttention(8, 2, { batchFirst: true }), inputs: (n) => [randn([n, 3, 8]), randn([n, 3, 8]), randn([n, 3, 8])] },
  TransformerEncoderLayer: { make: () => new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }), inputs: (n) => [randn([n, 3, 8])] },
  TransformerDecoderLayer: { make: () => new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }), inputs: (n) => [randn([n, 3, 8]), randn([n, 4, 8])] },
  TransformerEncoder: { make: () => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }), 2), inputs: (n) => [randn([n, 3, 8])] },
  TransformerDecoder: { make: () => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }), 2), inputs: (n) => [randn([n, 3, 8]), randn([n, 4, 8])] },
  Transformer: {
    make: () => new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, batchFirst: true }),
    inputs: (n) => [randn([n, 4, 8]), randn([n, 3, 8])],
  },
  // Losses
  MSELoss: { make: () => new nn.MSELoss(), inputs: (n) => [randn([n, 5]), randn([n, 5])], fixed: LOSS },
  L1Loss: { make: () => new nn.L1Loss(), inputs: (n) => [randn([n, 5]), randn([n, 5])], fixed: LOSS },
  HuberLoss: { make: () => new nn.HuberLoss(), inputs: (n) => [randn([n, 5]), randn([n, 5])], fixed: LOSS },
  SmoothL1Loss: { make: () => new nn.SmoothL1Loss(), inputs: (n) => [randn([n, 5]), randn([n, 5])], fixed: LOSS },
  SoftMarginLoss: { make: () => new nn.SoftMarginLoss(), inputs: (n) => [randn([n, 5]), randn([n, 5]).sign()], fixed: LOSS },
  BCELoss: { make: () => new nn.BCELoss(), inputs: (n) => [probs(n), probs(n)], fixed: LOSS },
  BCEWithLogitsLoss: { make: () => new nn.BCEWithLogitsLoss(), inputs: (n) => [randn([n, 5]), probs(n)], fixed: LOSS },
  CrossEntropyLoss: { make: () => new nn.CrossEntropyLoss(), inputs: (n) => [randn([n, 5]), randint(0, 5, [n])], fixed: LOSS },
  NLLLoss: { make: () => new nn.NLLLoss(), inputs: (n) => [randn([n, 5]).logSoftmax(-1), randint(0, 5, [n])], fixed: LOSS },
  KLDivLoss: { make: () => new nn.KLDivLoss({ reduction: 'batchmean' }), inputs: (n) => [randn([n, 5]).logSoftmax(-1), probs(n)], fixed: LOSS },
  PoissonNLLLoss: { make: () => new nn.PoissonNLLLoss(), inputs: (n) => [randn([n, 5]), rand([n, 5]).mul(3)], fixed: LOSS },
  GaussianNLLLoss: { make: () => new nn.GaussianNLLLoss(), inputs: (n) => [randn([n, 5]), randn([n, 5]), rand([n, 5]).add(0.1)], fixed: LOSS },
  MarginRankingLoss: { make: () => new nn.MarginRankingLoss(), inputs: (n) => [randn([n]), randn([n]), sign(n)], fixed: LOSS },
  HingeEmbeddingLoss: { make: () => new nn.HingeEmbeddingLoss(), inputs: (n) => [randn([n, 5]), randn([n, 5]).sign()], fixed: LOSS },
  CosineEmbeddingLoss: { make: () => new nn.CosineEmbeddingLoss(), inputs: (n) => [randn([n, 5]), randn([n, 5]), sign(n)], fixed: LOSS },
  MultiMarginLoss: { make: () => new nn.MultiMarginLoss(), inputs: (n) => [randn([n, 5]), randint(0, 5, [n])], fixed: LOSS },
  MultiLabelMarginLoss: { make: () => new nn.MultiLabelMarginLoss(), inputs: (n) => [randn([n, 5]), randint(-1, 5, [n, 5])], fixed: LOSS },
  MultiLabelSoftMarginLoss: { make: () => new nn.MultiLabelSoftMarginLoss(), inputs: (n) => [randn([n, 5]), randint(0, 2, [n, 5]).to('float32')], fixed: LOSS },
  TripletMarginLoss: { make: () => new nn.TripletMarginLoss(), inputs: (n) => [randn([n, 5]), randn([n, 5]), randn([n, 5])], fixed: LOSS },
  CTCLoss: {
    make: () => new nn.CTCLoss(),
    inputs: (n) => [randn([6, n, 4]).logSoftmax(-1), randint(1, 4, [n, 3]), Tensor.fromData(new Int32Array(n).fill(6), [n], 'int32'), Tensor.fromData(new Int32Array(n).fill(3), [n], 'int32')],
    fixed: LOSS,
    // Its alignment indices are read from the targets' values (a dynamic-programming loop on the data).
    refuses: /depends on the input values \(op 'indexSelect' in 'inner' \(CTCLoss\)\)/,
  },
};

/** Options the entries above leave at their defaults, each a case of its own. */
const VARIANTS: Record<string, Entry> = {
  'MaxPool2d(3, stride 2, padding 1, ceilMode)': { make: () => new nn.MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }), inputs: img(2, 6, 6) },
  'MaxPool2d(2, dilation 2)': { make: () => new nn.MaxPool2d(2, { dilation: 2 }), inputs: img(2, 6, 6) },
  'AvgPool2d(3, stride 2, padding 1, countIncludePad false)': { make: () => new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }), inputs: img(2, 6, 6) },
  'AvgPool2d(2, ceilMode)': { make: () => new nn.AvgPool2d(2, { ceilMode: true }), inputs: img(2, 5, 5) },
  'AvgPool2d(2, divisorOverride 3)': { make: () => new nn.AvgPool2d(2, { divisorOverride: 3 }), inputs: img(2, 4, 4) },
  'AvgPool3d(2, padding 1, countIncludePad false)': { make: () => new nn.AvgPool3d(2, { padding: 1, countIncludePad: false }), inputs: vol() },
  "Conv2d(paddingMode 'reflect')": { make: () => new nn.Conv2d(2, 3, 3, { padding: 1, paddingMode: 'reflect' }), inputs: img(2, 5, 5) },
  "Conv2d(paddingMode 'replicate')": { make: () => new nn.Conv2d(2, 3, 3, { padding: 1, paddingMode: 'replicate' }), inputs: img(2, 5, 5) },
  "Conv2d(paddingMode 'circular')": { make: () => new nn.Conv2d(2, 3, 3, { padding: 1, paddingMode: 'circular' }), inputs: img(2, 5, 5) },
  "Upsample(mode 'nearest')": { make: () => new nn.Upsample({ scaleFactor: 2 }), inputs: img(2, 3, 3) },
  "Upsample(mode 'bilinear', alignCorners)": { make: () => new nn.Upsample({ size: [5, 4], mode: 'bilinear', alignCorners: true }), inputs: img(2, 3, 3) },
  "Upsample(mode 'bicubic')": { make: () => new nn.Upsample({ scaleFactor: 2, mode: 'bicubic' }), inputs: img(2, 3, 3) },
  'LSTM(2 layers, bidirectional)': { make: () => new nn.LSTM(3, 4, { batchFirst: true, numLayers: 2, bidirectional: true }), inputs: (n) => [randn([n, 4, 3])] },
  'GRU(bidirectional, time first)': { make: () => new nn.GRU(3, 4, { bidirectional: true }), inputs: (n) => [randn([4, n, 3])], batchAxis: 1 },
  "EmbeddingBag(mode 'sum')": { make: () => new nn.EmbeddingBag(10, 4, { mode: 'sum' }), inputs: (n) => [randint(0, 10, [n, 3])] },
  "EmbeddingBag(mode 'max')": { make: () => new nn.EmbeddingBag(10, 4, { mode: 'max' }), inputs: (n) => [randint(0, 10, [n, 3])] },
  // With paddingIdx its bags are reduced one by one (ops per bag): the batch axis cannot be dynamic.
  'EmbeddingBag(paddingIdx 0)': {
    make: () => new nn.EmbeddingBag(10, 4, { paddingIdx: 0 }), inputs: (n) => [randint(0, 10, [n, 3])],
    refuses: /the number of ops \(\d+ vs \d+ vs \d+\) changes with the size of the dynamic axes \(the forward takes another path from op '\w+' in 'inner' \(EmbeddingBag\)\)/,
  },
  'MaxPool2d(2, returnIndices)': { make: () => new nn.MaxPool2d(2, { returnIndices: true }), inputs: img(2, 4, 4) },
  'MaxPool3d(2, returnIndices)': { make: () => new nn.MaxPool3d(2, { returnIndices: true }), inputs: vol() },
  // maxNorm renormalizes the rows looked up, in place, in a loop over the indices' values.
  'Embedding(maxNorm 1)': {
    make: () => new nn.Embedding(10, 4, { maxNorm: 1 }), inputs: (n) => [randint(0, 10, [n, 3])],
    refuses: /a constant \(int64:\d+\) depends on the input values \(op 'slice' in 'inner' \(Embedding\)\)/,
  },
  "MultiLabelMarginLoss(reduction 'none')": { make: () => new nn.MultiLabelMarginLoss({ reduction: 'none' }), inputs: (n) => [randn([n, 5]), randint(-1, 5, [n, 5])] },
  'Embedding(paddingIdx 0)': { make: () => new nn.Embedding(10, 4, { paddingIdx: 0 }), inputs: (n) => [randint(0, 10, [n, 3])] },
};

/** Runs `inner` on the inputs and returns its outputs flattened to a list of tensors (LSTM's [out, [h, c]]). */
class Flat extends Module<Tensor[], Tensor[]> {
  constructor(public inner: AnyModule) {
    super();
  }
  forward(...xs: Tensor[]): Tensor[] {
    const out: Tensor[] = [];
    const walk = (v: unknown): void => {
      if (v instanceof Tensor) out.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
    };
    walk((this.inner.call as (...a: Tensor[]) => unknown)(...xs));
    return out;
  }
}

const layerClasses = Object.entries(nn)
  .filter(([, v]) => typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof Module)
  .map(([k]) => k);

describe('every nn layer exports to ONNX or refuses naming the op', () => {
  it('has an entry (or a reason to be left out) for every Module subclass @tapegrad/nn exports', () => {
    const missing = layerClasses.filter((k) => !(k in LAYERS) && !(k in NOT_LAYERS));
    expect(missing).toEqual([]);
    expect(Object.keys(LAYERS).filter((k) => !layerClasses.includes(k))).toEqual([]);
  });

  for (const [name, e] of [...Object.entries(LAYERS), ...Object.entries(VARIANTS)]) {
    const title = e.refuses ? `refuses to export ${name}, naming the op` : `exports ${name}; ONNX Runtime gives its outputs${e.fixed ? '' : ' at another batch size'}`;
    it(title, async () => {
      manualSeed(5);
      const model = new Flat(e.make());
      noGrad(() => model.buffers().forEach((b) => b.dtype === 'float32' && b.add_(randn(b.shape).abs().mul(0.3))));
      const example = e.inputs(2);
      const names = example.length === 1 ? ['input'] : example.map((_, i) => `input_${i}`);
      const dynamicAxes = e.fixed ? undefined : Object.fromEntries(names.map((k) => [k, [e.batchAxis ?? 0]]));
      if (e.refuses) {
        expect(() => exportOnnx(model, example, { dynamicAxes })).toThrow(e.refuses);
        return;
      }
      const bytes = exportOnnx(model, example, { dynamicAxes });
      model.eval();
      const xs = e.fixed ? example : e.inputs(3);
      const got = await runOrt(bytes, Object.fromEntries(names.map((k, i) => [k, xs[i]!])));
      const want = noGrad(() => model.call(...xs));
      const outs = Object.keys(got).length === 1 ? [got.output!] : want.map((_, i) => got[`output_${i}`]!);
      expect(outs.length).toBe(want.length);
      want.forEach((w, i) => {
        expect(outs[i]!.shape).toEqual(w.shape);
        expect(maxAbsDiff(outs[i]!.to('float32'), w.to('float32'))).toBeLessThan(1e-5);
      });
    });
  }

  onnxCheckerTest();
});
