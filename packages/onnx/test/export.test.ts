import { describe, expect, it } from 'vitest';
import { Tensor, manualSeed, noGrad, randn, randint } from '@tapegrad/core';
import {
  BatchNorm1d, Conv2d, Dropout, ELU, Flatten, GELU, GroupNorm, Hardsigmoid, Hardswish, Hardtanh, LayerNorm, LeakyReLU, Linear,
  LogSigmoid, MaxPool2d, Mish, Module, ReLU, ReLU6, SELU, Sequential, SiLU, Sigmoid, Softmax, Softplus, Softsign, Tanh,
  TransformerEncoderLayer, type AnyModule,
} from '@tapegrad/nn';
import { assertValidModel, checkModel, decodeModel, exportModelProto, exportOnnx, onnx } from '@tapegrad/onnx';
import { maxAbsDiff, onnxCheckerTest, runOrt } from './ort.js';

const mlp = (sizes: number[], act: () => AnyModule, last?: () => AnyModule) => {
  const layers: AnyModule[] = [];
  for (let l = 1; l < sizes.length; l++) {
    layers.push(new Linear(sizes[l - 1]!, sizes[l]!));
    if (l < sizes.length - 1) layers.push(act());
  }
  if (last) layers.push(last());
  return new Sequential(...layers);
};

/** A small transformer-style block: LayerNorm, attention written with matmul/reshape/softmax, GELU MLP. */
class Block extends Module {
  norm = new LayerNorm(8);
  qkv = new Linear(8, 24);
  proj = new Linear(8, 8);
  ff = new Sequential(new Linear(8, 16), new GELU(), new Linear(16, 8));
  forward(x: Tensor): Tensor {
    const [n, t, d] = x.shape as [number, number, number];
    const h = this.qkv.call(this.norm.call(x)).reshape([n, t, 3, 2, d / 2]).permute([2, 0, 3, 1, 4]);
    const [q, k, v] = [0, 1, 2].map((i) => h.select(0, i));
    const att = q!.matmul(k!.transpose(-2, -1)).mul(1 / Math.sqrt(d / 2)).softmax(-1).matmul(v!);
    const y = x.add(this.proj.call(att.permute([0, 2, 1, 3]).reshape([n, t, d])));
    return y.add(this.ff.call(y));
  }
}

interface Case {
  name: string;
  make: () => AnyModule;
  shape: number[];
}

const CASES: Case[] = [
  { name: 'the mnist-small MLP 784-16-16-10 (ReLU)', make: () => mlp([784, 16, 16, 10], () => new ReLU()), shape: [3, 784] },
  { name: 'the mnist-sigmoid MLP 784-100-10 (Sigmoid, Sigmoid)', make: () => mlp([784, 100, 10], () => new Sigmoid(), () => new Sigmoid()), shape: [3, 784] },
  { name: 'the deep-nn MLP (Tanh)', make: () => mlp([2, 16, 16, 1], () => new Tanh()), shape: [3, 2] },
  { name: 'the deep-nn MLP (ReLU, Sigmoid)', make: () => mlp([2, 16, 16, 1], () => new ReLU(), () => new Sigmoid()), shape: [3, 2] },
  {
    name: 'the mnist-mlp 784-512-512-10 with dropout',
    make: () => new Sequential(new Linear(784, 512), new ReLU(), new Dropout(0.2), new Linear(512, 512), new ReLU(), new Dropout(0.2), new Linear(512, 10)),
    shape: [3, 784],
  },
  {
    name: 'the Keras MNIST convnet',
    make: () =>
      new Sequential(
        new Conv2d(1, 32, 3), new ReLU(), new MaxPool2d(2),
        new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
        new Conv2d(64, 64, 3), new ReLU(),
        new Flatten(),
        new Linear(3 * 3 * 64, 64), new ReLU(),
        new Linear(64, 10),
      ),
    shape: [3, 1, 28, 28],
  },
  { name: 'an MLP with BatchNorm1d and Softmax', make: () => new Sequential(new Linear(5, 6), new BatchNorm1d(6), new ReLU(), new Linear(6, 4), new Softmax(-1)), shape: [3, 5] },
  { name: 'a transformer block (LayerNorm, attention, GELU)', make: () => new Block(), shape: [3, 4, 8] },
  { name: 'nn.TransformerEncoderLayer (MultiheadAttention decomposed)', make: () => new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }), shape: [3, 5, 8] },
  { name: 'GroupNorm (decomposed)', make: () => new GroupNorm(2, 4), shape: [3, 4, 3, 3] },
  {
    name: 'twelve activations (SiLU, Hardswish, Mish, ELU, LeakyReLU, Softplus, LogSigmoid, ReLU6, Hardtanh, Softsign, SELU, Hardsigmoid)',
    make: () => new Sequential(new SiLU(), new Hardswish(), new Mish(), new ELU(), new LeakyReLU(0.1), new Softplus(), new LogSigmoid(), new ReLU6(), new Hardtanh(), new Softsign(), new SELU(), new Hardsigmoid()),
    shape: [3, 6],
  },
];

describe('exportOnnx', () => {
  for (const c of CASES) {
    it(`exports ${c.name}; ONNX Runtime gives its outputs at another batch size`, async () => {
      manualSeed(1);
      const model = c.make();
      // Non-trivial running statistics, so that BatchNormalization is checked on them.
      noGrad(() => model.buffers().forEach((b) => b.dtype === 'float32' && b.add_(randn(b.shape).abs().mul(0.3))));
      const bytes = exportOnnx(model, randn(c.shape), { dynamicAxes: { input: { 0: 'batch' } } });
      expect(checkModel(bytes)).toEqual([]);
      model.eval();
      for (const n of [c.shape[0]!, 5]) {
        const x = randn([n, ...c.shape.slice(1)]);
        const { output } = await runOrt(bytes, { input: x });
        const want = noGrad(() => model.call(x) as Tensor);
        expect(output!.shape).toEqual(want.shape);
        expect(maxAbsDiff(output!, want)).toBeLessThan(1e-5);
      }
      const graph = decodeModel(bytes).graph!;
      expect(graph.input![0]!.type!.tensorType!.shape!.dim![0]!.dimParam).toBe('batch');
      expect(graph.output![0]!.type!.tensorType!.shape!.dim![0]!.dimParam).toBe('batch');
      const keys = Object.keys(model.stateDict()).filter((k) => !k.endsWith('num_batches_tracked'));
      expect(graph.initializer!.map((t) => t.name!).filter((k) => !k.startsWith('onnx::')).sort()).toEqual(keys.sort());
    });
  }

  it('exports more layers (norms, masked activations, adaptive pooling, upsampling, 1-D pools, Conv3d, decoder layer, ...) that ONNX Runtime runs at another batch size', async () => {
    const nn = await import('@tapegrad/nn');
    const img = [2, 4, 6, 6];
    const layers: Array<[string, () => AnyModule, number[]]> = [
      ['RMSNorm', () => new nn.RMSNorm(6), [2, 3, 6]],
      ['InstanceNorm2d', () => new nn.InstanceNorm2d(4), img],
      ['LocalResponseNorm', () => new nn.LocalResponseNorm(2), img],
      ['PReLU', () => new nn.PReLU(), [2, 6]],
      ['Hardshrink', () => new nn.Hardshrink(), [2, 6]],
      ['Softshrink', () => new nn.Softshrink(), [2, 6]],
      ['Threshold', () => new nn.Threshold(0.1, 2), [2, 6]],
      ['RReLU (eval)', () => new nn.RReLU(), [2, 6]],
      ['CELU', () => new nn.CELU(), [2, 6]],
      ['Tanhshrink', () => new nn.Tanhshrink(), [2, 6]],
      ['GLU', () => new nn.GLU(), [2, 6]],
      ['Softmin', () => new nn.Softmin(-1), [2, 6]],
      ['Softmax2d', () => new nn.Softmax2d(), img],
      ['AdaptiveAvgPool2d(1)', () => new nn.AdaptiveAvgPool2d(1), img],
      ['AdaptiveAvgPool2d(3)', () => new nn.AdaptiveAvgPool2d(3), img],
      ['Upsample', () => new nn.Upsample({ scaleFactor: 2 }), img],
      ['PixelShuffle', () => new nn.PixelShuffle(2), img],
      ['MaxPool1d', () => new nn.MaxPool1d(2), [2, 4, 6]],
      ['AvgPool1d', () => new nn.AvgPool1d(2), [2, 4, 6]],
      ['Unflatten', () => new nn.Unflatten(1, [2, 3]), [2, 6]],
      ['Unfold', () => new nn.Unfold(2), img],
      ['Conv3d', () => new nn.Conv3d(2, 3, 2), [2, 2, 4, 4, 4]],
      ['Dropout2d (eval)', () => new nn.Dropout2d(), img],
      ['Identity', () => new nn.Identity(), [2, 6]],
    ];
    for (const [name, make, shape] of layers) {
      manualSeed(9);
      const m = make();
      const bytes = exportOnnx(m, randn(shape), { dynamicAxes: { input: [0] } });
      const x = randn([3, ...shape.slice(1)]);
      m.eval();
      const { output } = await runOrt(bytes, { input: x });
      expect(maxAbsDiff(output!, noGrad(() => m.call(x))), name).toBeLessThan(1e-5);
    }
  });

  it('refuses a constant that changes with the input values (made by something the tracer does not see), even without dynamic axes', () => {
    class DataShift extends Module {
      forward(x: Tensor): Tensor {
        const firstRow = Tensor.fromData(Float32Array.from((x.contiguous().data as Float32Array).slice(0, 3)), [3], 'float32');
        return x.add(firstRow);
      }
    }
    expect(() => exportOnnx(new DataShift(), randn([4, 3]))).toThrow(/a constant \(float32\[3\]:.*\) depends on the input values \(op 'add' in the model \(DataShift\)\)/);
  });

  it('exports argmax/argmin (as ArgMax/ArgMin cast to int32) and max(x, dim), so AdaptiveMaxPool2d', async () => {
    const { AdaptiveMaxPool2d } = await import('@tapegrad/nn');
    const { importOnnx } = await import('@tapegrad/onnx');
    class Args extends Module<[Tensor], Tensor[]> {
      forward(x: Tensor): Tensor[] {
        return [x.argmax(-1), x.argmin(0, { keepdim: true }), x.argmax(), x.max(1).values, x.min(0, { keepdim: true }).values];
      }
    }
    const x = randn([4, 5]);
    const m = new Args();
    const bytes = exportOnnx(m, randn([3, 5]), { dynamicAxes: { input: [0] } });
    const out = await runOrt(bytes, { input: x });
    const want = m.call(x);
    want.forEach((w, i) => {
      expect(out[`output_${i}`]!.dtype).toBe(w.dtype);
      expect(maxAbsDiff(out[`output_${i}`]!, w)).toBe(0);
    });
    (importOnnx(bytes).call(x) as Tensor[]).forEach((g, i) => expect(maxAbsDiff(g, want[i]!)).toBe(0));
    const pool = new AdaptiveMaxPool2d(2);
    const p = randn([3, 2, 6, 6]);
    const { output } = await runOrt(exportOnnx(pool, randn([2, 2, 6, 6]), { dynamicAxes: { input: [0] } }), { input: p });
    expect(maxAbsDiff(output!, pool.call(p))).toBe(0);
  });

  it('writes Linear as Gemm, the conv layers as Conv and Flatten as Flatten, with names from the stateDict', () => {
    const m = exportModelProto(CASES[5]!.make(), randn([1, 1, 28, 28]));
    expect(m.graph!.node!.map((n) => n.opType)).toEqual(['Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'Flatten', 'Gemm', 'Relu', 'Gemm']);
    expect(m.graph!.node![0]!.input).toEqual(['input', '0.weight', '0.bias']);
    expect(m.graph!.input![0]!.type!.tensorType!.shape!.dim!.map((d) => Number(d.dimValue))).toEqual([1, 1, 28, 28]);
  });

  it('puts the model back in training mode after exporting it in eval mode', () => {
    const model = new Sequential(new Linear(2, 2), new Dropout(0.5));
    exportOnnx(model, randn([2, 2]));
    expect(model.modules().every((m) => m.training)).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(model.get(1), 'forward')).toBe(false);
  });

  it('names the op and the module path of an op without an ONNX mapping', () => {
    class Cum extends Module {
      forward(x: Tensor): Tensor {
        return x.cumprod(1);
      }
    }
    const model = new Sequential(new Linear(3, 3), new Sequential(new ReLU(), new Cum()));
    expect(() => exportOnnx(model, randn([2, 3]))).toThrow("exportOnnx: op 'cumprod' has no ONNX mapping (called op 'cumprod' in '1.1' (Cum))");
  });

  it('refuses a dynamic axis that a constant of the graph depends on, naming the op', () => {
    class MeanOverBatch extends Module {
      forward(x: Tensor): Tensor {
        return x.sub(x.mean(0));
      }
    }
    expect(() => exportOnnx(new MeanOverBatch(), randn([4, 3]), { dynamicAxes: { input: [0] } })).toThrow(/changes with the size of the dynamic axes \(op 'div' in the model \(MeanOverBatch\)\)/);
    expect(() => exportOnnx(new MeanOverBatch(), randn([4, 3]))).not.toThrow();
  });

  it('writes a batch-dependent reshape relative to the input', async () => {
    class Fold extends Module {
      forward(x: Tensor): Tensor {
        return x.reshape([x.shape[0]!, 2, -1]).sum(1);
      }
    }
    const bytes = exportOnnx(new Fold(), randn([2, 6]), { dynamicAxes: { input: { 0: 'n' } } });
    const x = randn([7, 6]);
    const { output } = await runOrt(bytes, { input: x });
    expect(maxAbsDiff(output!, x.reshape([7, 2, 3]).sum(1))).toBeLessThan(1e-6);
  });

  it('takes several inputs and outputs with their names', async () => {
    class Two extends Module<[Tensor, Tensor], Tensor[]> {
      forward(a: Tensor, b: Tensor): Tensor[] {
        return [a.add(b), a.mul(b).tanh()];
      }
    }
    const a = randn([2, 3]), b = randn([2, 3]);
    const bytes = exportOnnx(new Two(), [a, b], { inputNames: ['a', 'b'], outputNames: ['sum', 'prod'] });
    const out = await runOrt(bytes, { a, b });
    expect(maxAbsDiff(out.sum!, a.add(b))).toBeLessThan(1e-6);
    expect(maxAbsDiff(out.prod!, a.mul(b).tanh())).toBeLessThan(1e-6);
  });

  it('exports an embedding lookup as Gather of int32 indices', async () => {
    const { Embedding } = await import('@tapegrad/nn');
    const model = new Sequential(new Embedding(10, 4), new Flatten(), new Linear(12, 2));
    const idx = randint(0, 10, [2, 3]);
    const bytes = exportOnnx(model, idx, { dynamicAxes: { input: [0] } });
    const x = randint(0, 10, [5, 3]);
    const { output } = await runOrt(bytes, { input: x });
    expect(maxAbsDiff(output!, noGrad(() => model.call(x)))).toBeLessThan(1e-6);
  });

  it('refuses an opset outside 13 to 17 and unknown options', () => {
    expect(() => exportOnnx(new ReLU(), randn([2]), { opsetVersion: 12 })).toThrow('exportOnnx: opsetVersion 12 is not supported (13 to 17 are)');
    expect(() => exportOnnx(new ReLU(), randn([2]), { dynamicAxes: { x: [0] } })).toThrow("exportOnnx: dynamicAxes names 'x', which is not an input");
    expect(() => exportOnnx(new ReLU(), randn([2]), { opset: 17 } as never)).toThrow(/opset/);
  });

  it('exports LSTM and GRU unrolled with a dynamic batch (slice bounds t * N computed from the input shape), not a dynamic time axis', async () => {
    const { LSTM, GRU } = await import('@tapegrad/nn');
    const { importOnnx } = await import('@tapegrad/onnx');
    for (const make of [() => new LSTM(3, 4, { batchFirst: true, numLayers: 2 }), () => new GRU(3, 4, { batchFirst: true })]) {
      class Rnn extends Module {
        rnn: AnyModule = make();
        forward(x: Tensor): Tensor {
          return (this.rnn.call(x) as [Tensor])[0];
        }
      }
      manualSeed(3);
      const m = new Rnn();
      const bytes = exportOnnx(m, randn([2, 5, 3]), { dynamicAxes: { input: { 0: 'batch' } } });
      expect(checkModel(bytes)).toEqual([]);
      for (const n of [2, 7]) {
        const x = randn([n, 5, 3]);
        const want = noGrad(() => m.call(x));
        const { output } = await runOrt(bytes, { input: x });
        expect(maxAbsDiff(output!, want)).toBeLessThan(1e-5);
        expect(maxAbsDiff(importOnnx(bytes).call(x) as Tensor, want)).toBeLessThan(1e-5);
      }
      // The unrolled loop has one set of nodes per step.
      expect(() => exportOnnx(m, randn([2, 5, 3]), { dynamicAxes: { input: [1] } })).toThrow(/changes with the size of the dynamic axes/);
    }
  });

  it('refuses an integer constant that is not affine in the dynamic axis (checked on a third trace)', () => {
    class Square extends Module {
      forward(x: Tensor): Tensor {
        const n = x.shape[0]!;
        return x.reshape([-1]).narrow(0, 0, n * n); // 9, 16, 25: affine on two traces, not on three
      }
    }
    expect(() => exportOnnx(new Square(), randn([3, 16]), { dynamicAxes: { input: [0] } })).toThrow(/a constant \(int64:.*\) changes with the size of the dynamic axes \(op 'slice'/);
  });

  it('writes a constant filled with one value whose shape follows the batch as ConstantOfShape of the input shape', async () => {
    const { importOnnx, checkModel: check } = await import('@tapegrad/onnx');
    const { zeros, ones } = await import('@tapegrad/core');
    class State extends Module {
      fc = new Linear(3, 4);
      forward(x: Tensor): Tensor {
        const h0 = zeros([2, x.shape[0]!, 4]);
        return this.fc.call(x).add(h0.select(0, 1)).add(ones([x.shape[0]!, 1]).mul(0.5));
      }
    }
    manualSeed(8);
    const m = new State();
    const bytes = exportOnnx(m, randn([2, 3]), { dynamicAxes: { input: { 0: 'n' } } });
    expect(decodeModel(bytes).graph!.node!.filter((n) => n.opType === 'ConstantOfShape')).toHaveLength(2);
    expect(check(bytes)).toEqual([]);
    const x = randn([5, 3]);
    const want = noGrad(() => m.call(x));
    expect(maxAbsDiff((await runOrt(bytes, { input: x })).output!, want)).toBeLessThan(1e-6);
    expect(maxAbsDiff(importOnnx(bytes).call(x) as Tensor, want)).toBeLessThan(1e-6);
  });

  it('exports Conv1d (conv2d on an unsqueezed input) with a dynamic batch', async () => {
    const { Conv1d } = await import('@tapegrad/nn');
    const m = new Conv1d(2, 3, 3, { padding: 1 });
    const bytes = exportOnnx(m, randn([2, 2, 7]), { dynamicAxes: { input: [0] } });
    const x = randn([4, 2, 7]);
    const { output } = await runOrt(bytes, { input: x });
    expect(maxAbsDiff(output!, noGrad(() => m.call(x)))).toBeLessThan(1e-5);
  });

  it('exports ConvTranspose2d and ConvTranspose1d as ConvTranspose, and imports them back', async () => {
    const { ConvTranspose1d, ConvTranspose2d } = await import('@tapegrad/nn');
    const { importOnnx } = await import('@tapegrad/onnx');
    manualSeed(7);
    const cases: Array<[AnyModule, number[]]> = [
      [new Sequential(new ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1, outputPadding: 1 }), new ReLU()), [2, 2, 4, 5]],
      [new ConvTranspose2d(4, 4, [2, 3], { stride: [2, 1], dilation: [1, 2], groups: 2, bias: false }), [1, 4, 3, 3]],
      [new ConvTranspose1d(2, 3, 4, { stride: 3, padding: 1 }), [2, 2, 6]],
    ];
    for (const [m, shape] of cases) {
      const bytes = exportOnnx(m, randn(shape), { dynamicAxes: { input: [0] } });
      expect(decodeModel(bytes).graph!.node![0]!.opType).toBe('ConvTranspose');
      const x = randn([3, ...shape.slice(1)]);
      const want = noGrad(() => m.call(x) as Tensor);
      const { output } = await runOrt(bytes, { input: x });
      expect(maxAbsDiff(output!, want)).toBeLessThan(1e-5);
      expect(maxAbsDiff(importOnnx(bytes).call(x) as Tensor, want)).toBeLessThan(1e-5);
    }
  });

  it('writes F.linear in a custom forward as Gemm (2-D) or MatMul + Add, and F.layerNorm as LayerNormalization', async () => {
    const { F, Parameter } = await import('@tapegrad/nn');
    class Custom extends Module {
      w1 = new Parameter(randn([6, 4]));
      b1 = new Parameter(randn([6]));
      w2 = new Parameter(randn([3, 6]));
      g = new Parameter(randn([6]));
      forward(x: Tensor): Tensor {
        const h = F.linear(x, this.w1, this.b1); // [N, 6]: Gemm
        const z = F.layerNorm(h.reshape([-1, 2, 3]).reshape([-1, 6]), 6, { weight: this.g });
        return F.linear(z.unsqueeze(1), this.w2); // [N, 1, 3]: MatMul without bias
      }
    }
    manualSeed(4);
    const m = new Custom();
    const bytes = exportOnnx(m, randn([2, 4]), { dynamicAxes: { input: [0] } });
    expect(decodeModel(bytes).graph!.node!.map((n) => n.opType)).toEqual(['Gemm', 'Reshape', 'Reshape', 'LayerNormalization', 'Reshape', 'Transpose', 'MatMul']);
    const x = randn([5, 4]);
    const { output } = await runOrt(bytes, { input: x });
    expect(maxAbsDiff(output!, noGrad(() => m.call(x)))).toBeLessThan(1e-5);
  });

  it('exports cumsum, gather, scatter (write, add, multiply), log1p, logsumexp and a bare F.convTranspose2d, which ONNX Runtime and importOnnx run at another batch size', async () => {
    const { F, Parameter } = await import('@tapegrad/nn');
    const { tensor } = await import('@tapegrad/core');
    class Ops extends Module<[Tensor], Tensor[]> {
      w = new Parameter(randn([3, 2, 3, 3]));
      forward(x: Tensor): Tensor[] {
        const flat = x.reshape([x.shape[0]!, -1]); // [N, 12]
        const idx = flat.narrow(1, 0, 2).mul(0).to('int32').add(tensor([3, 1], { dtype: 'int32' })); // [N, 2] of 3, 1, made by traced ops
        const src = flat.narrow(1, 0, 2);
        return [
          flat.cumsum(1),
          flat.gather(1, idx),
          flat.scatter(1, idx, src),
          flat.scatterAdd(1, idx, src),
          flat.scatter(1, idx, src, { reduce: 'multiply' }),
          flat.abs().log1p(),
          flat.logsumexp(1),
          F.convTranspose2d(x, this.w, null, { stride: 2, padding: 1, outputPadding: 1 }),
        ];
      }
    }
    manualSeed(6);
    const m = new Ops();
    const bytes = exportOnnx(m, randn([2, 3, 2, 2]), { dynamicAxes: { input: [0] } });
    expect(checkModel(bytes)).toEqual([]);
    const x = randn([4, 3, 2, 2]);
    const got = await runOrt(bytes, { input: x });
    const want = noGrad(() => m.call(x));
    want.forEach((w, i) => expect(maxAbsDiff(got[`output_${i}`]!, w), `output ${i}`).toBeLessThan(1e-5));
    const { importOnnx } = await import('@tapegrad/onnx');
    (importOnnx(bytes).call(x) as Tensor[]).forEach((g, i) => expect(maxAbsDiff(g, want[i]!), `imported output ${i}`).toBeLessThan(1e-5));
    expect(() => exportOnnx(m, randn([2, 3, 2, 2]), { opsetVersion: 15 })).toThrow(/a scatter with reduce 'sum' needs opset 16 .*op 'scatterAdd'/);
  });

  it('decomposes LayerNorm below opset 17', async () => {
    manualSeed(2);
    const model = new Sequential(new Linear(4, 6), new LayerNorm(6));
    const bytes = exportOnnx(model, randn([2, 4]), { opsetVersion: 13, dynamicAxes: { input: [0] } });
    expect(decodeModel(bytes).graph!.node!.map((n) => n.opType)).not.toContain('LayerNormalization');
    const x = randn([3, 4]);
    const { output } = await runOrt(bytes, { input: x });
    expect(maxAbsDiff(output!, noGrad(() => model.call(x)))).toBeLessThan(1e-5);
  });
});

describe('checkModel', () => {
  const model = () => exportModelProto(new Sequential(new Linear(3, 4), new LayerNorm(4), new ReLU()), randn([2, 3]));

  it('passes an exported model', () => {
    expect(checkModel(model())).toEqual([]);
    expect(() => assertValidModel(model())).not.toThrow();
  });

  it('finds a node input that is not defined', () => {
    const m = model();
    m.graph!.node![2]!.input = ['dangling'];
    expect(checkModel(m)).toEqual(["node 2 (Relu) reads 'dangling', which is not defined before it"]);
    expect(() => assertValidModel(m)).toThrow("checkModel: 1 problem: node 2 (Relu) reads 'dangling'");
  });

  it('finds a missing initializer', () => {
    const m = model();
    m.graph!.initializer = m.graph!.initializer!.filter((t) => t.name !== '0.weight');
    expect(checkModel(m)).toEqual(["node 0 (Gemm) reads '0.weight', which is not defined before it"]);
  });

  it('finds an operator the model opset does not have yet, and a missing default opset', () => {
    const m = model();
    m.opsetImport = [{ domain: '', version: 13 }];
    expect(checkModel(m)).toEqual(['node 1 (LayerNormalization): operator LayerNormalization (as tapegrad writes it) needs opset 17, the model imports opset 13']);
    m.opsetImport = [];
    expect(checkModel(m)).toContain('no opset_import for the default domain');
  });

  it('finds nodes out of order, values defined twice, undefined outputs and short initializers', () => {
    const m = model();
    m.graph!.node!.reverse();
    m.graph!.initializer![0]!.rawData = new Uint8Array(4);
    m.graph!.output![0]!.name = 'nothing';
    const p = checkModel(m);
    expect(p).toContain("node 0 (Relu) reads '/1/LayerNormalization_1_output_0', which is not defined before it");
    expect(p).toContain("initializer '0.weight' holds 1 values for dims [4,3] (12)");
    expect(p).toContain("graph output 'nothing' is not defined");
    const d = model();
    d.graph!.node![1]!.output = ['input'];
    expect(checkModel(d)).toContain("node 1 (LayerNormalization) defines 'input', which is already defined");
  });

  it('finds an unknown operator and a wrong number of inputs', () => {
    const m = model();
    m.graph!.node![2]!.opType = 'Frobnicate';
    m.graph!.node![0]!.input!.push('input', 'input');
    expect(checkModel(onnx.ModelProto.encode(m).finish())).toEqual([
      'node 0 (Gemm): 5 inputs, Gemm takes 2 to 3',
      'node 2 (Frobnicate): operator Frobnicate is not one tapegrad knows',
    ]);
  });
});

describe('the models these tests exported', () => {
  onnxCheckerTest();
});
