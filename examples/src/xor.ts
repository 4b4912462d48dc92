// Example 6: XOR, the problem a single layer cannot solve, learned by a 3-4-1 sigmoid network.
// Each input row carries a constant third input 1 (so no separate biases): X [4, 3], y [4, 1].
//   H = σ(X W1), W1 [3, 4];   ŷ = σ(H W2), W2 [4, 1];   SSE = Σ (y − ŷ)²
// Weights are drawn uniformly from [0, 1) (seed 0); 1500 steps of plain gradient descent with
// learning rate 1, gradients by autograd.
import { Generator, noGrad, rand, tensor, type Tensor } from '@tapegrad/core';
import { lineChart } from '@tapegrad/train';
import { fmt, logger, savePicture, type ExampleArgs } from './util.js';

const f64 = { dtype: 'float64' } as const;

export const X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]];
export const Y = [0, 1, 1, 0];

function forward(x: Tensor, w1: Tensor, w2: Tensor): Tensor {
  return x.matmul(w1).sigmoid().matmul(w2).sigmoid();
}

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);
  const steps = 1500;
  const lr = 1;
  const generator = new Generator(0);
  const x = tensor(X, f64);
  const y = tensor(Y.map((v) => [v]), f64);
  const w1 = rand([3, 4], { ...f64, generator, requiresGrad: true });
  const w2 = rand([4, 1], { ...f64, generator, requiresGrad: true });
  const initial = { w1: w1.toArray() as number[][], w2: w2.toArray() as number[][] };
  log('XOR: inputs [a, b, 1], a 3-4-1 sigmoid network without biases, SSE loss');
  log(`weights from U[0, 1) (seed 0), ${steps} steps of gradient descent, learning rate ${lr}`);

  const sse: number[] = [];
  for (let step = 1; step <= steps; step++) {
    const loss = y.sub(forward(x, w1, w2)).square().sum();
    w1.grad = null;
    w2.grad = null;
    loss.backward();
    noGrad(() => {
      w1.sub_(w1.grad!.mul(lr));
      w2.sub_(w2.grad!.mul(lr));
    });
    sse.push(loss.item());
    if (step === 1 || step % 100 === 0) log(`step ${String(step).padStart(4)}  SSE ${fmt(loss.item(), 6)}`);
  }
  const predictions = Array.from(noGrad(() => forward(x, w1, w2)).data);
  const finalSse = predictions.reduce((s, p, i) => s + (Y[i]! - p) ** 2, 0);
  log(`final SSE ${fmt(finalSse, 6)}`);
  log('predictions:');
  X.forEach(([a, b], i) => log(`  ${a} XOR ${b} = ${Y[i]}   predicted ${fmt(predictions[i]!)}`));
  savePicture(args, 'xor', 'sse', lineChart([{ name: 'SSE', values: sse }], { title: 'XOR: sum of squared errors', xLabel: 'step', yLabel: 'SSE (log scale)', logY: true }));
  return { initial, sse, finalSse, predictions };
}
