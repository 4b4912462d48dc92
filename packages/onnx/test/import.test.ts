import { describe, expect, it } from 'vitest';
import { Tensor, cat, conv2d, gradcheck, manualSeed, maxPool2d, noGrad, randn } from '@tapegrad/core';
import {
  F, AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Flatten, GELU, LayerNorm, Linear, MaxPool2d, Module, ReLU, Sequential, Sigmoid, Softmax, Tanh,
  type AnyModule,
} from '@tapegrad/nn';
import { SGD } from '@tapegrad/optim';
import { OnnxModule, exportModelProto, exportOnnx, importOnnx, onnx } from '@tapegrad/onnx';
import { maxAbsDiff, onnxCheckerTest, runOrt } from './ort.js';

const convnet = () =>
  new Sequential(
    new Conv2d(1, 32, 3), new ReLU(), new MaxPool2d(2),
    new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
    new Conv2d(64, 64, 3), new ReLU(),
    new Flatten(),
    new Linear(3 * 3 * 64, 64), new ReLU(),
    new Linear(64, 10),
  );

class Attention extends Module {
  norm = new LayerNorm(4);
  qkv = new Linear(4, 12);
  forward(x: Tensor): Tensor {
    const [q, k, v] = this.qkv.call(this.norm.call(x)).chunk(3, -1) as [Tensor, Tensor, Tensor];
    return q.matmul(k.transpose(-2, -1)).mul(0.5).softmax(-1).matmul(v).add(x);
  }
}

/** A ResNet basic block: conv-bn-relu-conv-bn plus the input, relu. */
class BasicBlock extends Module {
  c1 = new Conv2d(4, 4, 3, { padding: 1, bias: false });
  b1 = new BatchNorm2d(4);
  c2 = new Conv2d(4, 4, 3, { padding: 1, bias: false });
  b2 = new BatchNorm2d(4);
  forward(x: Tensor): Tensor {
    return this.b2.call(this.c2.call(this.b1.call(this.c1.call(x)).relu())).add(x).relu();
  }
}

/** A SqueezeNet Fire module: squeeze 1x1, then expand 1x1 and 3x3 concatenated. */
class Fire extends Module {
  squeeze = new Conv2d(4, 2, 1);
  e1 = new Conv2d(2, 3, 1);
  e3 = new Conv2d(2, 3, 3, { padding: 1 });
  forward(x: Tensor): Tensor {
    const s = this.squeeze.call(x).relu();
    return cat([this.e1.call(s).relu(), this.e3.call(s).relu()], 1);
  }
}

const CASES: Array<{ name: string; make: () => AnyModule; shape: number[] }> = [
  {
    name: 'a ResNet-18-style net (stem, residual basic block, global average pool, fc)',
    make: () => new Sequential(new Conv2d(3, 4, 3, { stride: 2, padding: 1, bias: false }), new BatchNorm2d(4), new ReLU(), new MaxPool2d(3, { stride: 2, padding: 1 }), new BasicBlock(), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(4, 5)),
    shape: [2, 3, 16, 16],
  },
  { name: 'a SqueezeNet-style net (Fire modules with Concat)', make: () => new Sequential(new Conv2d(3, 4, 3), new ReLU(), new Fire(), new Conv2d(6, 4, 1), new Fire(), new AdaptiveAvgPool2d(1), new Flatten()), shape: [2, 3, 9, 9] },
  { name: 'the 784-512-512-10 MLP', make: () => new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 512), new ReLU(), new Linear(512, 10)), shape: [2, 784] },
  { name: 'the Keras convnet', make: convnet, shape: [2, 1, 28, 28] },
  { name: 'a conv/batch-norm/avg-pool net', make: () => new Sequential(new Conv2d(2, 3, 3, { padding: 1 }), new BatchNorm2d(3), new Tanh(), new AvgPool2d(2), new Flatten(), new Linear(12, 2), new Softmax(-1)), shape: [2, 2, 4, 4] },
  { name: 'an attention block', make: () => new Attention(), shape: [2, 3, 4] },
];

describe('importOnnx', () => {
  for (const c of CASES) {
    it(`runs ${c.name} exported by exportOnnx with the same outputs as tapegrad and ONNX Runtime, at another batch size`, async () => {
      manualSeed(4);
      const model = c.make();
      noGrad(() => model.buffers().forEach((b) => b.dtype === 'float32' && b.add_(randn(b.shape).abs().mul(0.3))));
      const bytes = exportOnnx(model, randn(c.shape), { dynamicAxes: { input: [0] } });
      const m = importOnnx(bytes);
      model.eval();
      const x = randn([3, ...c.shape.slice(1)]);
      const want = noGrad(() => model.call(x));
      expect(maxAbsDiff(m.call(x) as Tensor, want)).toBeLessThan(1e-5);
      expect(maxAbsDiff((await runOrt(bytes, { input: x })).output!, want)).toBeLessThan(1e-5);
      // The stateDict keys come back (but num_batches_tracked, which the graph does not use).
      expect(Object.keys(m.stateDict())).toEqual(Object.keys(model.stateDict()).filter((k) => !k.endsWith('num_batches_tracked')));
    });
  }

  const small: Array<{ name: string; make: () => AnyModule; shape: number[] }> = [
    { name: 'an MLP with Sigmoid and Tanh', make: () => new Sequential(new Linear(3, 4), new Sigmoid(), new Linear(4, 2), new Tanh()), shape: [2, 3] },
    { name: 'a small convnet with batch norm and max pooling', make: () => new Sequential(new Conv2d(1, 2, 3, { padding: 1 }), new BatchNorm2d(2), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8, 2)), shape: [1, 1, 4, 4] },
    { name: 'an attention block with GELU', make: () => new Sequential(new Attention(), new GELU()), shape: [1, 2, 4] },
  ];
  for (const c of small) {
    it(`gives gradients of ${c.name} that pass gradcheck in float64, for the input and the parameters`, () => {
      manualSeed(5);
      const model = c.make();
      const m = importOnnx(exportOnnx(model, randn(c.shape))).double();
      const x = randn(c.shape, { dtype: 'float64', requiresGrad: true });
      const params = m.parameters();
      expect(params.length).toBeGreaterThan(0);
      expect(gradcheck((xi) => m.call(xi) as Tensor, [x, ...params]).ok).toBe(true);
    });
  }

  it('can be fine-tuned: its parameters train with an optimizer and load back into the source model', () => {
    manualSeed(6);
    const model = new Sequential(new Linear(2, 8), new ReLU(), new Linear(8, 1));
    const m = importOnnx(exportOnnx(model, randn([4, 2]), { dynamicAxes: { input: [0] } }));
    const x = randn([32, 2]);
    const y = x.select(1, 0).mul(x.select(1, 1)).unsqueeze(1);
    const opt = new SGD(m.parameters(), { lr: 0.1 });
    const loss = () => (m.call(x) as Tensor).sub(y).square().mean();
    const first = loss().item();
    for (let i = 0; i < 50; i++) {
      opt.zeroGrad();
      loss().backward();
      opt.step();
    }
    expect(loss().item()).toBeLessThan(first / 2);
    model.loadStateDict(m.stateDict());
    expect(maxAbsDiff(noGrad(() => model.call(x)), m.call(x) as Tensor)).toBeLessThan(1e-6);
  });

  it('returns an array for several outputs and takes inputs by position', () => {
    class Two extends Module<[Tensor, Tensor], Tensor[]> {
      forward(a: Tensor, b: Tensor): Tensor[] {
        return [a.sub(b), a.mul(b)];
      }
    }
    const a = randn([2]), b = randn([2]);
    const m: OnnxModule = importOnnx(exportOnnx(new Two(), [a, b], { inputNames: ['a', 'b'] }));
    expect(m.inputNames).toEqual(['a', 'b']);
    const [d, p] = m.call(a, b) as Tensor[];
    expect(maxAbsDiff(d!, a.sub(b)) + maxAbsDiff(p!, a.mul(b))).toBe(0);
    expect(() => m.call(a)).toThrow('OnnxModule: the graph takes 2 inputs (a, b), got 1');
  });

  it('reads the classic vision operators a model zoo graph uses (pads, GlobalAveragePool, Concat, Clip, Shape/Gather/Unsqueeze/Reshape)', () => {
    const f = (name: string, dims: number[], data: number[]) => ({ name, dims, dataType: 1, floatData: data });
    const i64 = (name: string, data: number[]) => ({ name, dims: [data.length], dataType: 7, int64Data: data });
    const node = (opType: string, input: string[], output: string[], attribute: object[] = []) => ({ opType, input, output, name: output[0], attribute });
    const ints = (name: string, v: number[]) => ({ name, type: 7, ints: v });
    const int = (name: string, v: number) => ({ name, type: 2, i: v });
    const w = Array.from({ length: 2 * 1 * 3 * 3 }, (_, i) => (i % 5) / 10 - 0.2);
    const model = onnx.ModelProto.create({
      irVersion: 7,
      opsetImport: [{ domain: '', version: 13 }],
      graph: {
        name: 'zoo',
        initializer: [f('W', [2, 1, 3, 3], w), f('B', [2], [0.1, -0.1]), f('lo', [], [0]), f('hi', [], [0.5]), i64('zero', [0]), i64('minus1', [-1])],
        node: [
          node('Conv', ['x', 'W', 'B'], ['c'], [ints('pads', [0, 0, 1, 1]), ints('kernel_shape', [3, 3])]),
          node('Clip', ['c', 'lo', 'hi'], ['r']),
          node('MaxPool', ['r'], ['p'], [ints('kernel_shape', [2, 2]), ints('strides', [1, 1]), { name: 'auto_pad', type: 3, s: new TextEncoder().encode('SAME_UPPER') }]),
          node('GlobalAveragePool', ['p'], ['g']),
          node('Concat', ['g', 'g'], ['cat'], [int('axis', 1)]),
          node('Shape', ['cat'], ['s']),
          node('Gather', ['s', 'zero'], ['n'], [int('axis', 0)]),
          node('Concat', ['n', 'minus1'], ['shape'], [int('axis', 0)]),
          node('Reshape', ['cat', 'shape'], ['y']),
        ],
        input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 1 }, { dimValue: 5 }, { dimValue: 5 }] } } } }],
        output: [{ name: 'y', type: { tensorType: { elemType: 1 } } }],
      },
    });
    const m = importOnnx(onnx.ModelProto.encode(model).finish());
    const x = randn([2, 1, 5, 5]);
    const W = Tensor.fromData(Float32Array.from(w), [2, 1, 3, 3], 'float32');
    // pads [0, 0, 1, 1] are bottom and right only; SAME_UPPER with kernel 2, stride 1 pads right and bottom by 1.
    const conv = conv2d(F.pad(x, [0, 1, 0, 1]), W, Tensor.fromData(Float32Array.of(0.1, -0.1), [2], 'float32'));
    const pooled = maxPool2d(F.pad(conv.clamp(0, 0.5), [0, 1, 0, 1], { value: -Infinity }), 2, { stride: 1 });
    const want = pooled.mean([2, 3]);
    const got = m.call(x) as Tensor;
    expect(got.shape).toEqual([2, 4]);
    expect(maxAbsDiff(got, cat([want, want], 1))).toBeLessThan(1e-6);
  });

  it('names an unsupported operator and an unsupported attribute', () => {
    const m = exportModelProto(new Sequential(new Linear(2, 2), new ReLU()), randn([1, 2]));
    m.graph!.node![1]!.opType = 'NonMaxSuppression';
    expect(() => importOnnx(m)).toThrow(`importOnnx: operator NonMaxSuppression (node '${m.graph!.node![1]!.name}') is not supported`);
    const n = exportModelProto(new Sequential(new Conv2d(1, 1, 3), new MaxPool2d(2)), randn([1, 1, 6, 6]));
    n.graph!.node![1]!.attribute!.push({ name: 'ceil_mode', type: 2, i: 1 });
    expect(() => importOnnx(n).call(randn([1, 1, 6, 6]))).toThrow(`importOnnx: MaxPool (node '${n.graph!.node![1]!.name}'): ceil_mode 1 is not supported`);
    n.graph!.node![1]!.attribute!.push({ name: 'frobnicate', type: 2, i: 1 });
    expect(() => importOnnx(n)).toThrow(`importOnnx: attribute 'frobnicate' of MaxPool (node '${n.graph!.node![1]!.name}') is not supported`);
  });
});

describe('the models these tests exported', () => {
  onnxCheckerTest();
});
