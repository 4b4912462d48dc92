// Times a forward + backward of the ops issue 18 asks to fuse, on the current backend(s):
// LayerNorm over [32, 64, 128], softmax over [32, 4, 64, 64] attention scores, one LSTM step
// (batch 32, hidden 256: the cell, and its pointwise part alone) and bilinear upsampling of
// [16, 32, 32, 32]. Prints the median and the minimum of 15 runs in ms (on a shared machine the
// minimum is the steadier figure).
//
// Run (after `npx tsc -b`): `cd bench && npx tsx src/fused-kernels.ts [js|wasm ...]`.
import { getBackend, randn, setBackend, setNumThreads, type Tensor } from '@tapegrad/core';
import { F, LSTMCell } from '@tapegrad/nn';

function leaf(shape: number[]): Tensor {
  return randn(shape).requiresGrad_();
}

/** Forward, then backward with a fixed upstream gradient, then clears the leaves' grads. */
function fb(leaves: Tensor[], f: () => Tensor, g: Tensor): () => void {
  return () => {
    f().backward(g);
    for (const t of leaves) t.grad = null;
  };
}

function cases(): Array<[string, () => void]> {
  const x = leaf([32, 64, 128]), w = leaf([128]), b = leaf([128]);
  const s = leaf([32, 4, 64, 64]);
  const gates = leaf([32, 1024]), c = leaf([32, 256]);
  const cell = new LSTMCell(256, 256);
  const inp = leaf([32, 256]), h0 = leaf([32, 256]);
  const img = leaf([16, 32, 32, 32]);
  const pointwise = () => {
    const [i, f, gg, o] = gates.chunk(4, 1) as [Tensor, Tensor, Tensor, Tensor];
    const c1 = f.sigmoid().mul(c).add(i.sigmoid().mul(gg.tanh()));
    return o.sigmoid().mul(c1.tanh()).add(c1);
  };
  return [
    ['layerNorm [32,64,128]', fb([x, w, b], () => F.layerNorm(x, 128, { weight: w, bias: b }), randn([32, 64, 128]))],
    ['softmax [32,4,64,64]', fb([s], () => s.softmax(-1), randn([32, 4, 64, 64]))],
    ['logSoftmax [32,4,64,64]', fb([s], () => s.logSoftmax(-1), randn([32, 4, 64, 64]))],
    ['LSTM pointwise b32 h256', fb([gates, c], pointwise, randn([32, 256]))],
    ['LSTMCell step b32 h256', fb([inp, h0, c, ...cell.parameters()], () => { const [h1, c1] = cell.forward(inp, [h0, c]); return h1.add(c1); }, randn([32, 256]))],
    ['bilinear x2 [16,32,32,32]', fb([img], () => F.interpolate(img, { scaleFactor: 2, mode: 'bilinear' }), randn([16, 32, 64, 64]))],
    ['nearest x2 [16,32,32,32]', fb([img], () => F.interpolate(img, { scaleFactor: 2, mode: 'nearest' }), randn([16, 32, 64, 64]))],
  ];
}

/** Median and minimum of `reps` timed runs after 3 warm-up runs, in ms. */
function time(f: () => void, reps = 15): string {
  for (let i = 0; i < 3; i++) f();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const a = performance.now();
    f();
    t.push(performance.now() - a);
  }
  t.sort((a, b) => a - b);
  return `median ${t[reps >> 1]!.toFixed(2).padStart(8)}   min ${t[0]!.toFixed(2).padStart(8)}`;
}

const backends = process.argv.slice(2).length ? process.argv.slice(2) : ['js', 'wasm'];
setNumThreads(1);
for (const be of backends) {
  setBackend(be);
  console.log(`backend ${getBackend()} (1 thread)`);
  for (const [name, f] of cases()) console.log(`  ${name.padEnd(28)} ${time(f)} ms`);
}
