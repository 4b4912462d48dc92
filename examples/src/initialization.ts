// Why weights must not start at zero: the symmetry demo of the notes.
//
// The notes state the point without a system, so this uses the standard one: XOR with a 2-3-1
// network (sigmoid hidden and output units, with biases), with one row added, the centre
// (0.5, 0.5) labelled 0: on the balanced four-row table a zero-initialised network does not move
// at all (every gradient is 0 at the start), which would hide the point. MSE over the rows, full-batch
// gradient descent with learning rate 2, 1000 steps, gradients by autograd. Started from all-zero
// weights and biases, the three hidden units receive identical gradients at every step, so they
// stay identical (pairwise differences of their weight rows exactly 0) and the network computes
// no more than a single hidden unit could: it does not learn XOR. Started from small random
// weights (N(0, 0.5²), tapegrad's generator, seed 1) the units differ and the network learns it.
import { Generator, noGrad, randn, tensor, zeros, type Tensor } from '@tapegrad/core';
import { lineChart } from '@tapegrad/train';
import { fmt, fmtList, logger, savePicture, type ExampleArgs } from './util.js';

const f64 = { dtype: 'float64' } as const;
export const X = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5]];
export const Y = [0, 1, 1, 0, 0];
export const HIDDEN = 3;
export const LR = 2;
export const REPORT = [0, 1, 10, 100, 1000];

interface Params {
  w1: Tensor; // [HIDDEN, 2]: row j holds the weights into hidden unit j
  b1: Tensor; // [HIDDEN]
  w2: Tensor; // [HIDDEN]
  b2: Tensor; // []
}

function forward(p: Params, x: Tensor): Tensor {
  return x.matmul(p.w1.t()).add(p.b1).sigmoid().matmul(p.w2).add(p.b2).sigmoid();
}

/** max |row i − row j| of every pair of hidden units: their incoming weights and bias side by side. */
export function pairwiseDifferences(w1: number[][], b1: number[]): number[] {
  const rows = w1.map((r, j) => [...r, b1[j]!]);
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++)
    for (let j = i + 1; j < rows.length; j++) out.push(Math.max(...rows[i]!.map((v, k) => Math.abs(v - rows[j]![k]!))));
  return out;
}

function train(p: Params, steps: number, log: (line: string) => void) {
  const x = tensor(X, f64);
  const y = tensor(Y, f64);
  const leaves = [p.w1, p.b1, p.w2, p.b2];
  const losses: number[] = [];
  const differences: Record<number, number[]> = {};
  const snapshot = (step: number) => {
    const d = pairwiseDifferences(p.w1.toArray() as number[][], Array.from(p.b1.data));
    differences[step] = d;
    log(`  step ${String(step).padStart(4)}  hidden weights ${JSON.stringify((p.w1.toArray() as number[][]).map((r) => r.map((v) => +v.toFixed(6))))}  pairwise max |difference| ${fmtList(d, 6)}`);
  };
  snapshot(0);
  for (let step = 1; step <= steps; step++) {
    for (const t of leaves) t.grad = null;
    const loss = y.sub(forward(p, x)).square().mean();
    loss.backward();
    noGrad(() => leaves.forEach((t) => t.sub_(t.grad!.mul(LR))));
    losses.push(loss.item());
    if (REPORT.includes(step) || step === steps) snapshot(step);
  }
  const predictions = Array.from(noGrad(() => forward(p, x)).data);
  const finalLoss = predictions.reduce((s, o, i) => s + (Y[i]! - o) ** 2, 0) / Y.length;
  log(`  MSE after ${steps} steps ${fmt(finalLoss, 6)}; predictions for ${X.map((r) => `(${r.join(', ')})`).join(' ')}: ${fmtList(predictions)}`);
  return { losses, differences, predictions, finalLoss };
}

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);
  const steps = args.quick ? 300 : 1000;
  log(`XOR and the centre point (0.5, 0.5) -> 0, a 2-${HIDDEN}-1 sigmoid network, MSE, full-batch gradient descent, lr ${LR}, ${steps} steps`);

  log('');
  log('Zero initialisation: every weight and bias 0');
  const zero = train({
    w1: zeros([HIDDEN, 2], { ...f64, requiresGrad: true }), b1: zeros([HIDDEN], { ...f64, requiresGrad: true }),
    w2: zeros([HIDDEN], { ...f64, requiresGrad: true }), b2: zeros([], { ...f64, requiresGrad: true }),
  }, steps, log);
  log('  -> the hidden units stay identical: the network has in effect one hidden unit, and XOR needs two: it cannot fit the table');

  log('');
  log('Small random initialisation: every weight and bias from N(0, 0.5²), seed 1');
  const generator = new Generator(1);
  const draw = (shape: number[]) => randn(shape, { ...f64, generator }).mul(0.5).requiresGrad_();
  const p: Params = { w1: draw([HIDDEN, 2]), b1: draw([HIDDEN]), w2: draw([HIDDEN]), b2: draw([]) };
  const initial = { w1: p.w1.toArray() as number[][], b1: p.b1.toArray() as number[], w2: p.w2.toArray() as number[], b2: p.b2.item() };
  const random = train(p, steps, log);
  log('  -> the units differ from the start, specialise, and the network learns XOR');

  savePicture(args, 'initialization', 'loss', lineChart(
    [{ name: 'zero initialisation', values: zero.losses }, { name: 'small random weights', values: random.losses }],
    { title: 'XOR 2-3-1: MSE by initialisation', xLabel: 'step', yLabel: 'MSE (log scale)', logY: true, markers: false },
  ));
  return { zero, random, initial };
}
