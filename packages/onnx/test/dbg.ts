import { randn, noGrad, Tensor, manualSeed } from '@tapegrad/core';
import * as nn from '@tapegrad/nn';
import { exportOnnx } from '@tapegrad/onnx';
import { runOrt, maxAbsDiff } from './ort.js';
manualSeed(0);
const cands: Array<[string, () => nn.AnyModule, number[]]> = [
  ['mha', () => { const a = new nn.MultiheadAttention(8, 2, { batchFirst: true }); return new (class extends nn.Module { a = a; forward(x: Tensor) { return (this.a.call(x, x, x) as any)[0]; } })(); }, [2, 5, 8]],
  ['enc', () => new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true, dropout: 0 }), [2, 5, 8]],
  ['gn', () => new nn.GroupNorm(2, 4), [2, 4, 3, 3]],
  ['emb', () => new nn.Embedding(10, 3), [2, 4]],
  ['acts', () => new nn.Sequential(new nn.SiLU(), new nn.Hardswish(), new nn.Mish(), new nn.ELU(), new nn.LeakyReLU(0.1), new nn.Softplus(), new nn.LogSigmoid(), new nn.ReLU6(), new nn.Hardtanh(), new nn.Softsign(), new nn.SELU(), new nn.Hardsigmoid()), [2, 6]],
];
for (const [name, make, shape] of cands) {
  const m = make();
  try {
    const x0 = name === 'emb' ? (await import('@tapegrad/core')).randint(0, 10, shape) : randn(shape);
    const b = exportOnnx(m, x0, { dynamicAxes: { input: [0] } });
    const x = name === 'emb' ? (await import('@tapegrad/core')).randint(0, 10, [3, ...shape.slice(1)]) : randn([3, ...shape.slice(1)]);
    const { output } = await runOrt(b, { input: x });
    m.eval();
    console.log(name, 'ok', maxAbsDiff(output!, noGrad(() => m.call(x) as Tensor)));
  } catch (e) { console.log(name, 'fail', (e as Error).message.slice(0, 250)); }
}
