// The 2-2-1 "gender" network of the notes, now trained: the notes build its feedforward part only.
//
// The notes give no table, so this is the well-known four-person version (Victor Zhou's
// "Machine learning for beginners"): weight in lb minus 135, height in inches minus 66,
// female = 1.
//   Alice   133 lb, 65 in  ->  [ -2, -1]  F (1)
//   Bob     160 lb, 72 in  ->  [ 25,  6]  M (0)
//   Charlie 152 lb, 70 in  ->  [ 17,  4]  M (0)
//   Diana   120 lb, 60 in  ->  [-15, -6]  F (1)
// h1 = σ(w1 x1 + w2 x2 + b1), h2 = σ(w3 x1 + w4 x2 + b2), o1 = σ(w5 h1 + w6 h2 + b3) (sigmoid in
// every layer); weights and biases from N(0, 1) (tapegrad's generator, seed 0); per-sample SGD
// on (y − o1)² with learning rate 0.1, 1000 epochs; every 10 epochs the MSE over the four people
// (after that epoch's steps, as the notes' `if epoch % 10 == 0`). Then the new people
// Emily 128 lb, 63 in and Frank 155 lb, 68 in. Gradients by autograd, not by hand.
import { Generator, noGrad, randn, tensor, type Tensor } from '@tapegrad/core';
import { SGD } from '@tapegrad/optim';
import { lineChart } from '@tapegrad/train';
import { fmt, logger, savePicture, type ExampleArgs } from './util.js';

const f64 = { dtype: 'float64' } as const;

/** The four people: name, [weight − 135, height − 66], female = 1. */
export const PEOPLE: ReadonlyArray<{ name: string; x: [number, number]; female: number }> = [
  { name: 'Alice', x: [-2, -1], female: 1 },
  { name: 'Bob', x: [25, 6], female: 0 },
  { name: 'Charlie', x: [17, 4], female: 0 },
  { name: 'Diana', x: [-15, -6], female: 1 },
];

/** The new people of the notes, shifted the same way. */
export const NEW_PEOPLE: ReadonlyArray<{ name: string; x: [number, number] }> = [
  { name: 'Emily', x: [128 - 135, 63 - 66] },
  { name: 'Frank', x: [155 - 135, 68 - 66] },
];

/** The network's nine numbers: hidden weights [[w1, w2], [w3, w4]], biases [b1, b2], output weights [w5, w6], b3. */
class GenderNetwork {
  readonly w: Tensor;
  readonly b: Tensor;
  readonly v: Tensor;
  readonly c: Tensor;

  constructor(generator: Generator) {
    this.w = randn([2, 2], { ...f64, generator, requiresGrad: true });
    this.b = randn([2], { ...f64, generator, requiresGrad: true });
    this.v = randn([2], { ...f64, generator, requiresGrad: true });
    this.c = randn([], { ...f64, generator, requiresGrad: true });
  }

  parameters(): Tensor[] {
    return [this.w, this.b, this.v, this.c];
  }

  /** x [N, 2] -> o1 [N]. */
  feedforward(x: Tensor): Tensor {
    const h = x.matmul(this.w.t()).add(this.b).sigmoid();
    return h.matmul(this.v).add(this.c).sigmoid();
  }
}

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);
  const epochs = 1000;
  const lr = 0.1;
  const net = new GenderNetwork(new Generator(0));
  const initial = {
    w: net.w.toArray() as number[][], b: net.b.toArray() as number[], v: net.v.toArray() as number[], c: net.c.item(),
  };
  const data = tensor(PEOPLE.map((p) => p.x), f64);
  const yTrue = tensor(PEOPLE.map((p) => p.female), f64);
  const rows = PEOPLE.map((p) => tensor([p.x], f64));
  const targets = PEOPLE.map((p) => tensor([p.female], f64));

  log('The 2-2-1 sigmoid network on weight − 135 lb, height − 66 in; female = 1');
  PEOPLE.forEach((p) => log(`  ${p.name.padEnd(8)} [${p.x.map((v) => String(v).padStart(3)).join(', ')}]  ${p.female}`));
  log(`initial weights (N(0, 1), seed 0): w = ${JSON.stringify(initial.w.flat().map((v) => +v.toFixed(4)))}, b = ${JSON.stringify(initial.b.map((v) => +v.toFixed(4)))}, w5 w6 = ${JSON.stringify(initial.v.map((v) => +v.toFixed(4)))}, b3 = ${initial.c.toFixed(4)}`);
  log(`per-sample SGD on (y − o1)², learning rate ${lr}, ${epochs} epochs`);

  const optimizer = new SGD(net.parameters(), { lr });
  const mse = () => noGrad(() => yTrue.sub(net.feedforward(data)).square().mean().item());
  const losses: Array<{ epoch: number; loss: number }> = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    rows.forEach((x, i) => {
      optimizer.zeroGrad();
      targets[i]!.sub(net.feedforward(x)).square().sum().backward();
      optimizer.step();
    });
    if (epoch % 10 === 0) {
      const loss = mse();
      losses.push({ epoch, loss });
      log(`Epoch ${epoch} loss: ${loss.toFixed(3)}`);
    }
  }

  const predictions = noGrad(() => Array.from(net.feedforward(tensor(NEW_PEOPLE.map((p) => p.x), f64)).data));
  const trained = noGrad(() => Array.from(net.feedforward(data).data));
  log('');
  log('After training (probability of female):');
  PEOPLE.forEach((p, i) => log(`  ${p.name.padEnd(8)} ${fmt(trained[i]!, 3)}  (label ${p.female})`));
  NEW_PEOPLE.forEach((p, i) => log(`  ${p.name.padEnd(8)} ${fmt(predictions[i]!, 3)}  (${predictions[i]! >= 0.5 ? 'F' : 'M'}, new)`));
  savePicture(args, 'gender-network', 'loss', lineChart(
    [{ name: 'MSE over the four people', values: losses.map((l) => l.loss), x: losses.map((l) => l.epoch) }],
    { title: 'Gender network: loss every 10 epochs', xLabel: 'epoch', yLabel: 'MSE (log scale)', logY: true, markers: false },
  ));
  return { initial, losses, predictions, trained };
}
