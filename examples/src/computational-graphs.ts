// The notes' small computational graphs, with every forward value and every gradient by autograd
// (intermediate nodes keep their gradients with retainGrad) and each graph drawn (text and SVG).
//
// 1. J = 4(x + y·z): the notes give the form but no inputs, so this takes the textbook values
//    x = 5, y = 3, z = 2 (Andrew Ng's J = 3(a + bc) with a = 5, b = 3, c = 2, here with the
//    notes' factor 4): u = y·z = 6, v = x + u = 11, J = 4v = 44;
//    ∂J/∂v = 4, ∂J/∂u = 4, ∂J/∂x = 4, ∂J/∂y = 4z = 8, ∂J/∂z = 4y = 12.
// 2. The sigmoid gate of CS231n: f(w, x) = 1 / (1 + e^−(w0 x0 + w1 x1 + w2)) with w = [2, −3, −3],
//    x = [−1, −2]: the dot product is 1, f = σ(1) = 0.73, and backward gives
//    ∂f/∂w = [−0.20, −0.39, 0.20], ∂f/∂x = [0.39, −0.59]; the gradient into the sigmoid's input is
//    σ(1)(1 − σ(1)) = 0.20. Built gate by gate (*, +, *−1, exp, +1, 1/x) as CS231n draws it.
import { tensor, type Tensor } from '@tapegrad/core';
import { graphSvg, graphText, saveSvg } from '@tapegrad/train';
import { logger, outPath, type ExampleArgs } from './util.js';

const f64 = { dtype: 'float64' } as const;
const leaf = (v: number) => tensor(v, { ...f64, requiresGrad: true });
/** Keeps the gradient of an intermediate node after backward. */
const keep = (t: Tensor) => {
  t.retainGrad();
  return t;
};

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);

  // 1. J = 4(x + y·z)
  const x = leaf(5);
  const y = leaf(3);
  const z = leaf(2);
  const u = keep(y.mul(z));
  const v = keep(x.add(u));
  const J = keep(v.mul(4));
  J.backward();
  const jNodes = { x, y, z, u, v, J };
  log('Graph 1: J = 4(x + y·z) with x = 5, y = 3, z = 2');
  log('  node        value   ∂J/∂node');
  const first: Record<string, { value: number; grad: number }> = {};
  for (const [name, t] of Object.entries(jNodes)) {
    first[name] = { value: t.item(), grad: t.grad!.item() };
    const what = { u: 'u = y·z', v: 'v = x + u', J: 'J = 4v' }[name] ?? name;
    log(`  ${what.padEnd(10)} ${String(t.item()).padStart(5)}   ${String(t.grad!.item()).padStart(6)}`);
  }
  drawGraph(args, log, J, 'j', new Map<Tensor, string>([[x, 'x'], [y, 'y'], [z, 'z'], [u, 'u = y·z'], [v, 'v = x + u'], [J, 'J']]));

  // 2. The sigmoid gate, gate by gate.
  const w0 = leaf(2), w1 = leaf(-3), w2 = leaf(-3);
  const x0 = leaf(-1), x1 = leaf(-2);
  const a = keep(w0.mul(x0)); // −2
  const b = keep(w1.mul(x1)); // 6
  const c = keep(a.add(b)); // 4
  const d = keep(c.add(w2)); // 1: the dot product w·[x, 1]
  const e = keep(d.mul(-1)); // −1
  const g = keep(e.exp()); // 0.37
  const h = keep(g.add(1)); // 1.37
  const f = keep(h.reciprocal()); // 0.73
  f.backward();
  const gate = { w0, x0, w1, x1, w2, 'w0·x0': a, 'w1·x1': b, 'sum': c, 'dot = sum + w2': d, '*−1': e, exp: g, '+1': h, 'f = 1/x': f };
  log('');
  log('Graph 2: the sigmoid gate f = 1 / (1 + exp(−(w0·x0 + w1·x1 + w2))), w = [2, −3, −3], x = [−1, −2]');
  log('  node               value     ∂f/∂node');
  const second: Record<string, { value: number; grad: number }> = {};
  for (const [name, t] of Object.entries(gate)) {
    second[name] = { value: t.item(), grad: t.grad!.item() };
    log(`  ${name.padEnd(15)} ${t.item().toFixed(6).padStart(10)}   ${t.grad!.item().toFixed(6).padStart(10)}`);
  }
  const sig = f.item();
  log(`  rounded as in the notes: f = ${sig.toFixed(2)}, gradient into the sigmoid σ(1)(1 − σ(1)) = ${(sig * (1 - sig)).toFixed(2)} (autograd: ${d.grad!.item().toFixed(2)})`);
  log(`  ∂f/∂w = [${[w0, w1, w2].map((t) => t.grad!.item().toFixed(2)).join(', ')}], ∂f/∂x = [${[x0, x1].map((t) => t.grad!.item().toFixed(2)).join(', ')}]`);
  drawGraph(args, log, f, 'sigmoid-gate', new Map<Tensor, string>([
    [w0, 'w0'], [x0, 'x0'], [w1, 'w1'], [x1, 'x1'], [w2, 'w2'], [a, 'w0·x0'], [b, 'w1·x1'], [c, 'sum'], [d, 'dot'], [e, '−dot'], [g, 'exp'], [h, '1 + exp'], [f, 'f'],
  ]));
  return { first, second };
}

function drawGraph(args: ExampleArgs, log: (line: string) => void, root: Tensor, what: string, names: Map<Tensor, string>): void {
  log('  the graph (op nodes; leaves and retained nodes with value and gradient):');
  for (const line of graphText(root, { names }).split('\n')) log(`    ${line}`);
  log(`  (drawn as ${saveSvg(graphSvg(root, { names }), outPath(args, 'computational-graphs', what))})`);
}
