// Example 3: Adaline (ADAptive LInear NEuron) on Iris setosa (-1) vs. versicolor (+1), sepal
// length and petal length. The output is the net input itself, z = w · x + b, and the cost is
//   J(w, b) = ½ Σᵢ (yᵢ − zᵢ)²   (half the sum of squared errors, "SSE" below),
// minimised by gradient descent with gradients from autograd; weights start at 0.
//   1. batch gradient descent on the raw features, eta 0.01 (diverges) and eta 0.0001 (crawls), 10 epochs;
//   2. the same after standardising each feature, x' = (x − μ) / σ: eta 0.01 converges in 15 epochs;
//   3. stochastic gradient descent (one update per sample, shuffled each epoch, cost = mean ½ (y − z)²
//      over the epoch), eta 0.01, 15 epochs, before and after standardising;
//   4. the notes' SGD exactly: the rows in their order every epoch (no shuffling), and after each
//      epoch the cost ½ Σ (y − z)² over all rows with the epoch's final weights.
// The decision regions of the standardised runs are drawn as the notes draw them.
import { Generator, noGrad, randperm, zeros, type Tensor } from '@tapegrad/core';
import { standardize } from '@tapegrad/datasets';
import { setosaVersicolor } from './perceptron.js';
import { decisionRegions, lineChart } from '@tapegrad/train';
import { fmt, logger, savePicture, type ExampleArgs } from './util.js';

/** An Adaline unit: weights [D] and a bias, both leaves that require grad. */
export class Adaline {
  readonly w: Tensor;
  readonly b: Tensor;

  constructor(features: number) {
    this.w = zeros([features], { dtype: 'float64', requiresGrad: true });
    this.b = zeros([], { dtype: 'float64', requiresGrad: true });
  }

  /** z = x w + b; x [N, D] -> [N] (or [D] -> []). */
  netInput(x: Tensor): Tensor {
    return x.matmul(this.w).add(this.b);
  }

  /** ŷ = +1 where z >= 0, else -1. */
  predict(x: Tensor): Tensor {
    return noGrad(() => this.netInput(x).ge(0).double().mul(2).sub(1));
  }

  /** One gradient step on ½ Σ (y − z)² over (x, y); returns that cost before the step. */
  step(x: Tensor, y: Tensor, eta: number): number {
    const cost = y.sub(this.netInput(x)).square().sum().mul(0.5);
    this.w.grad = null;
    this.b.grad = null;
    cost.backward();
    noGrad(() => {
      this.w.sub_(this.w.grad!.mul(eta));
      this.b.sub_(this.b.grad!.mul(eta));
    });
    return cost.item();
  }

  /** Batch gradient descent: one step per epoch on all samples; the cost (SSE/2) per epoch. */
  fitGD(x: Tensor, y: Tensor, eta: number, epochs: number): number[] {
    const costs: number[] = [];
    for (let e = 0; e < epochs; e++) costs.push(this.step(x, y, eta));
    return costs;
  }

  /**
   * Stochastic gradient descent: one step per sample, in a new random order each epoch (drawn
   * from `generator`); the mean per-sample cost ½ (y − z)² per epoch, and the orders used.
   */
  fitSGD(x: Tensor, y: Tensor, eta: number, epochs: number, generator: Generator): { costs: number[]; orders: number[][] } {
    const costs: number[] = [];
    const orders: number[][] = [];
    const n = x.shape[0]!;
    for (let e = 0; e < epochs; e++) {
      const order = Array.from(randperm(n, { generator }).data);
      let sum = 0;
      for (const i of order) sum += this.step(x.select(0, i), y.select(0, i), eta);
      costs.push(sum / n);
      orders.push(order);
    }
    return { costs, orders };
  }

  /**
   * The notes' stochastic gradient descent: one step per sample in the rows' order (no shuffling);
   * after each epoch the cost ½ Σ (y − z)² over all rows with the weights the epoch ends with.
   */
  fitSGDInOrder(x: Tensor, y: Tensor, eta: number, epochs: number): number[] {
    const costs: number[] = [];
    for (let e = 0; e < epochs; e++) {
      for (let i = 0; i < x.shape[0]!; i++) this.step(x.select(0, i), y.select(0, i), eta);
      costs.push(noGrad(() => y.sub(this.netInput(x)).square().sum().mul(0.5).item()));
    }
    return costs;
  }
}

function misclassified(model: Adaline, x: Tensor, y: Tensor): number {
  const p = model.predict(x).data;
  let wrong = 0;
  y.data.forEach((t, i) => (wrong += t === p[i] ? 0 : 1));
  return wrong;
}

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);
  const { x, y } = setosaVersicolor();
  const xStd = standardize(x);
  const result: Record<string, unknown> = {};
  const report = (key: string, title: string, costs: number[], model: Adaline, data: Tensor, label = 'SSE') => {
    log('');
    log(title);
    costs.forEach((c, e) => log(`  epoch ${String(e + 1).padStart(2)}  ${label} ${c.toPrecision(6)}${label === 'SSE' ? `  log10(SSE) ${fmt(Math.log10(c), 3)}` : ''}`));
    const wrong = misclassified(model, data, y);
    log(`  weights [bias, w_sepal, w_petal] = [${[model.b.item(), ...model.w.data].map((v) => v.toPrecision(5)).join(', ')}]  misclassified ${wrong}/100`);
    result[key] = { costs, weights: [model.b.item(), ...model.w.data], misclassified: wrong };
  };

  log('Adaline on Iris setosa (-1) vs. versicolor (+1), features sepal length and petal length; SSE = ½ Σ (y − z)²');
  for (const eta of [0.01, 0.0001]) {
    const m = new Adaline(2);
    report(`gd_${eta}`, `Batch gradient descent, raw features, eta ${eta}, 10 epochs`, m.fitGD(x, y, eta, 10), m, x);
  }
  const gdStd = new Adaline(2);
  report('gd_std', 'Batch gradient descent, standardised features, eta 0.01, 15 epochs', gdStd.fitGD(xStd, y, 0.01, 15), gdStd, xStd);

  for (const [key, data, title] of [
    ['sgd_raw', x, 'Stochastic gradient descent, raw features, eta 0.01, 15 epochs (shuffled, seed 1)'],
    ['sgd_std', xStd, 'Stochastic gradient descent, standardised features, eta 0.01, 15 epochs (shuffled, seed 1)'],
  ] as const) {
    const m = new Adaline(2);
    const { costs, orders } = m.fitSGD(data, y, 0.01, 15, new Generator(1));
    report(key, title, costs, m, data, 'mean cost');
    (result[key] as Record<string, unknown>).orders = orders;
  }

  const models: Record<string, Adaline> = { gd_std: gdStd };
  for (const [key, data, title] of [
    ['sgd_notes_raw', x, "The notes' SGD: raw features, eta 0.01, 15 epochs, rows in order (no shuffling), SSE over all rows after each epoch"],
    ['sgd_notes_std', xStd, "The notes' SGD: standardised features, eta 0.01, 15 epochs, rows in order, SSE over all rows after each epoch"],
  ] as const) {
    const m = new Adaline(2);
    report(key, title, m.fitSGDInOrder(data, y, 0.01, 15), m, data);
    models[key] = m;
  }

  log('');
  const axes = { xLabel: 'sepal length [standardised]', yLabel: 'petal length [standardised]', classNames: ['setosa (-1)', 'versicolor (+1)'] };
  for (const [key, title] of [['gd_std', 'Adaline, batch GD (standardised, eta 0.01, 15 epochs)'], ['sgd_notes_std', "Adaline, the notes' SGD (standardised, in order, eta 0.01, 15 epochs)"]] as const) {
    const m = models[key]!;
    savePicture(args, 'adaline', `regions-${key === 'gd_std' ? 'gd' : 'sgd'}`, decisionRegions((pts) => m.predict(pts.double()).int(), xStd, y.int(), { title: `${title}: decision regions`, ...axes }));
  }
  const costs = (key: string) => (result[key] as { costs: number[] }).costs;
  const chart = (title: string, yLabel: string, series: Array<[string, string]>, logY = false) =>
    lineChart(series.map(([name, key]) => ({ name, values: costs(key) })), { title, xLabel: 'epoch', yLabel, logY, markers: true });
  savePicture(args, 'adaline', 'gd-raw', chart('Adaline, batch GD, raw features', 'SSE (log scale)', [['eta 0.01', 'gd_0.01'], ['eta 0.0001', 'gd_0.0001']], true));
  savePicture(args, 'adaline', 'gd-standardised', chart('Adaline, batch GD, standardised, eta 0.01', 'SSE', [['standardised', 'gd_std']]));
  savePicture(args, 'adaline', 'sgd', chart('Adaline, SGD, eta 0.01', 'mean cost per epoch', [['raw', 'sgd_raw'], ['standardised', 'sgd_std']]));
  savePicture(args, 'adaline', 'sgd-notes', chart("Adaline, the notes' SGD (in order), eta 0.01", 'SSE over all rows after the epoch', [['raw', 'sgd_notes_raw'], ['standardised', 'sgd_notes_std']], true));
  return result;
}
