// Round trips of the modern-models examples (issue 18): the char-gpt GPT, the lstm example's
// CharLSTM and the MNIST autoencoder, imported from examples/src (a test-only import: examples is
// no tsconfig project reference of this package, so there is no cycle). Each is exported with a
// dynamic batch axis, run by ONNX Runtime at another batch size and imported back.
import { describe, expect, it } from 'vitest';
import { Tensor, gradcheck, manualSeed, noGrad, rand, randint, randn } from '@tapegrad/core';
import { Module, type AnyModule } from '@tapegrad/nn';
import { checkModel, decodeModel, exportOnnx, importOnnx, type ExportOnnxOptions } from '@tapegrad/onnx';
import { GPT } from '../../../examples/src/gpt-model.js';
import { CharLSTM } from '../../../examples/src/lstm.js';
import { ConvAutoencoder } from '../../../examples/src/autoencoder.js';
import { maxAbsDiff, onnxCheckerTest, runOrt } from './ort.js';

/** The logits of the lstm example's model without packing (the state dropped: outputs are flat). */
class CharLSTMLogits extends Module<[Tensor], Tensor> {
  constructor(readonly model = new CharLSTM(11, 6, 8)) {
    super();
  }
  forward(x: Tensor): Tensor {
    return this.model.call(x)[0];
  }
}

interface Case {
  name: string;
  make: () => AnyModule;
  /** Example input at the traced batch size, then at another one. */
  input: (batch: number) => Tensor;
  batchAxis: number;
  ops: string[];
}

const CASES: Case[] = [
  {
    name: 'the char-gpt GPT (2 blocks, causal attention, tied LM head)',
    make: () => new GPT({ vocabSize: 13, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8 }),
    input: (b) => randint(0, 13, [b, 6]),
    batchAxis: 0,
    ops: ['Gather', 'LayerNormalization', 'MatMul', 'Softmax', 'Tanh'],
  },
  {
    // LSTM exports unrolled (one set of nodes per step), so the sequence length (axis 0) is fixed at 5.
    name: "the lstm example's CharLSTM (Embedding, LSTM unrolled over 5 steps, Linear)",
    make: () => new CharLSTMLogits(),
    input: (b) => randint(0, 11, [5, b]),
    batchAxis: 1,
    ops: ['Gather', 'Sigmoid', 'Tanh', 'MatMul'],
  },
  {
    name: 'the MNIST ConvAutoencoder (Conv2d down, ConvTranspose2d up, Sigmoid)',
    make: () => new ConvAutoencoder(),
    input: (b) => rand([b, 1, 28, 28]),
    batchAxis: 0,
    ops: ['Conv', 'ConvTranspose', 'Sigmoid'],
  },
];

describe('exportOnnx and importOnnx on the modern-models examples', () => {
  for (const c of CASES) {
    it(`exports ${c.name}; ONNX Runtime and the imported module give its outputs at another batch size`, async () => {
      manualSeed(5);
      const model = c.make();
      const opts: ExportOnnxOptions = { dynamicAxes: { input: { [c.batchAxis]: 'batch' } } };
      const bytes = exportOnnx(model, c.input(2), opts);
      expect(checkModel(bytes)).toEqual([]);
      const opTypes = new Set(decodeModel(bytes).graph!.node!.map((n) => n.opType!));
      for (const op of c.ops) expect(opTypes, op).toContain(op);
      model.eval();
      const imported = importOnnx(bytes);
      for (const n of [2, 3]) {
        const x = c.input(n);
        const want = noGrad(() => model.call(x) as Tensor);
        const { output } = await runOrt(bytes, { input: x });
        expect(output!.shape).toEqual(want.shape);
        expect(maxAbsDiff(output!, want)).toBeLessThan(1e-5);
        expect(maxAbsDiff(noGrad(() => imported.call(x) as Tensor), want)).toBeLessThan(1e-5);
      }
    });
  }

  it('gives gradients of the imported models that pass gradcheck in float64 (GPT and CharLSTM: every parameter; autoencoder: the input)', () => {
    manualSeed(6);
    const gpt = new GPT({ vocabSize: 5, blockSize: 4, nLayer: 1, nHead: 2, nEmbd: 4 });
    const lstm = new CharLSTMLogits(new CharLSTM(5, 3, 4));
    for (const [model, idx] of [[gpt, randint(0, 5, [1, 3])], [lstm, randint(0, 5, [3, 1])]] as const) {
      const m = importOnnx(exportOnnx(model, idx)).double();
      expect(gradcheck((i) => m.call(i) as Tensor, [idx, ...m.parameters()]).ok).toBe(true);
    }
    const ae = importOnnx(exportOnnx(new ConvAutoencoder(), rand([1, 1, 28, 28]))).double();
    ae.parameters().forEach((p) => (p.requiresGrad = false));
    const x = randn([1, 1, 28, 28], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((xi) => ae.call(xi) as Tensor, [x]).ok).toBe(true);
  });

  onnxCheckerTest();
});
