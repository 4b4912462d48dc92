// Example 4: one sigmoid neuron on Iris setosa (0) vs. versicolor (1) with all four features.
//   y' = σ(w · x + b),   L = 1/(2N) Σ (y' − y)²
// Weights and bias start at 0.1; full-batch gradient descent with eta 0.1 (gradients from
// autograd). Train on rows 0–39 and 50–89, test on rows 40–49 and 90–99. Prints the weights after
// 15 epochs and the test predictions after 15 and after 999 epochs, and first ∂L/∂w0 on the
// first three rows with labels 0, 1, 0, from autograd.
import { full, noGrad, tensor, type Tensor } from '@tapegrad/core';
import { loadIris } from '@tapegrad/datasets';
import { lineChart } from '@tapegrad/train';
import { fmt, fmtList, irisFloat64, logger, savePicture, type ExampleArgs } from './util.js';

const f64 = { dtype: 'float64' } as const;

/** A sigmoid neuron with 4 weights and a bias, all starting at 0.1. */
class SigmoidNeuron {
  readonly w = full([4], 0.1, { ...f64, requiresGrad: true });
  readonly b = full([], 0.1, { ...f64, requiresGrad: true });

  forward(x: Tensor): Tensor {
    return x.matmul(this.w).add(this.b).sigmoid();
  }
}

/** L = 1/(2N) Σ (y' − y)². */
function loss(predicted: Tensor, y: Tensor): Tensor {
  return predicted.sub(y).square().sum().div(2 * y.shape[0]!);
}

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);
  const iris = loadIris({ classes: ['setosa', 'versicolor'] });
  const x = irisFloat64(iris.features);
  const y = iris.labels.double();
  const rows = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
  const pick = (t: Tensor, idx: number[]) => t.indexSelect(0, tensor(idx, { dtype: 'int32' }));
  const trainIdx = [...rows(0, 39), ...rows(50, 89)];
  const testIdx = [...rows(40, 49), ...rows(90, 99)];
  const xTrain = pick(x, trainIdx);
  const yTrain = pick(y, trainIdx);
  const xTest = pick(x, testIdx);
  const yTest = pick(y, testIdx);
  const eta = 0.1;

  // ∂L/∂w0 on a tiny batch: the first three rows, labelled 0, 1, 0.
  log('∂L/∂w0 on the first three rows with labels 0, 1, 0 (w = b = 0.1), by autograd:');
  const probe = new SigmoidNeuron();
  const x3 = x.narrow(0, 0, 3);
  const y3 = tensor([0, 1, 0], f64);
  loss(probe.forward(x3), y3).backward();
  const dLdw0 = probe.w.grad!.data[0]!;
  log(`  rows ${(x3.toArray() as number[][]).map((r) => fmtList(r, 1)).join(' ')}`);
  log(`  ∂L/∂w = ${fmtList(probe.w.grad!.data, 8)}, ∂L/∂w0 = ${dLdw0.toFixed(8)}, ∂L/∂b = ${probe.b.grad!.item().toFixed(8)}`);

  log('');
  log(`Training on rows 0-39 and 50-89 (${xTrain.shape[0]} rows), eta ${eta}, full-batch gradient descent`);
  const neuron = new SigmoidNeuron();
  const losses: number[] = [];
  const snapshots: Record<number, { weights: number[]; bias: number; predictions: number[] }> = {};
  for (let epoch = 1; epoch <= 999; epoch++) {
    const l = loss(neuron.forward(xTrain), yTrain);
    neuron.w.grad = null;
    neuron.b.grad = null;
    l.backward();
    noGrad(() => {
      neuron.w.sub_(neuron.w.grad!.mul(eta));
      neuron.b.sub_(neuron.b.grad!.mul(eta));
    });
    losses.push(l.item());
    if (epoch === 15 || epoch === 999) {
      const predictions = Array.from(noGrad(() => neuron.forward(xTest)).data);
      snapshots[epoch] = { weights: Array.from(neuron.w.data), bias: neuron.b.item(), predictions };
      log('');
      log(`After ${epoch} epochs: training loss ${fmt(l.item(), 6)} (before this epoch's step)`);
      log(`  weights ${fmtList(neuron.w.data, 6)}  bias ${neuron.b.item().toFixed(6)}`);
      log('  test predictions (rows 40-49 are setosa = 0, rows 90-99 versicolor = 1):');
      log(`    ${predictions.slice(0, 10).map((p) => p.toFixed(4)).join(' ')}`);
      log(`    ${predictions.slice(10).map((p) => p.toFixed(4)).join(' ')}`);
      const correct = predictions.filter((p, i) => (p >= 0.5 ? 1 : 0) === yTest.data[i]).length;
      log(`  test accuracy (threshold 0.5): ${correct}/${predictions.length}`);
    }
  }
  savePicture(args, 'iris-neuron', 'loss', lineChart([{ name: 'L', values: losses }], { title: 'Sigmoid neuron on Iris: training loss', xLabel: 'epoch', yLabel: 'L (log scale)', logY: true }));
  return {
    dLdw0,
    gradient: Array.from(probe.w.grad!.data),
    biasGradient: probe.b.grad!.item(),
    losses,
    after15: snapshots[15],
    after999: snapshots[999],
    trainRows: trainIdx,
    testRows: testIdx,
  };
}

