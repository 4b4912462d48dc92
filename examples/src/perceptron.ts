// Example 2: Rosenblatt's perceptron learning rule on Iris setosa vs. versicolor (the first 100
// rows), features sepal length and petal length, labels -1 (setosa) and +1 (versicolor).
// Weights start at 0; eta 0.1; 10 epochs over the rows in order. For each sample:
//   ŷ = +1 if w · x + b >= 0 else -1;   update = eta (y − ŷ);   w += update x;   b += update
// and an epoch's error count is the number of samples with update != 0.
import { tensor, zeros, type Tensor } from '@tapegrad/core';
import { loadIris } from '@tapegrad/datasets';
import { decisionRegions, lineChart } from '@tapegrad/train';
import { fmtList, irisFloat64, logger, savePicture, type ExampleArgs } from './util.js';

/** A perceptron with weights `w` [D] and bias `b`, trained by Rosenblatt's rule. */
export class Perceptron {
  w: Tensor;
  b = 0;
  readonly errors: number[] = [];
  readonly weights: number[][] = [];

  /** `initial` = [bias, w1, ..., wD] (default all 0). */
  constructor(
    features: number,
    readonly eta: number,
    initial?: readonly number[],
  ) {
    this.w = initial ? tensor(initial.slice(1), { dtype: 'float64' }) : zeros([features], { dtype: 'float64' });
    this.b = initial ? initial[0]! : 0;
  }

  /** +1 where w · x + b >= 0, else -1; x [N, D] -> [N]. */
  predict(x: Tensor): Tensor {
    return x.matmul(this.w).add(this.b).ge(0).double().mul(2).sub(1);
  }

  /** One pass over the rows of x [N, D] with labels y [N] (±1); returns the number of updates. */
  epoch(x: Tensor, y: Tensor): number {
    const labels = y.data;
    let errors = 0;
    for (let i = 0; i < labels.length; i++) {
      const xi = x.select(0, i);
      const predicted = xi.dot(this.w).item() + this.b >= 0 ? 1 : -1;
      const update = this.eta * (labels[i]! - predicted);
      if (update !== 0) {
        this.w = this.w.add(xi.mul(update));
        this.b += update;
        errors++;
      }
    }
    this.errors.push(errors);
    this.weights.push([this.b, ...this.w.data]);
    return errors;
  }
}

/** The lectures' two-class data: 100 rows, [sepal length, petal length], labels -1 / +1. */
export function setosaVersicolor(): { x: Tensor; y: Tensor } {
  const iris = loadIris({ classes: ['setosa', 'versicolor'], features: ['sepal length', 'petal length'] });
  const y = tensor(Array.from(iris.labels.data, (k) => (k === 0 ? -1 : 1)), { dtype: 'float64' });
  return { x: irisFloat64(iris.features), y };
}

/**
 * The small random start of the book's later editions: N(0, 0.01) draws of NumPy's
 * `RandomState(1)` (1.62434536, -0.61175641, -0.52817175, times 0.01), as [bias, w1, w2].
 */
export const NUMPY_SEED1_START = [0.0162434536, -0.0061175641, -0.0052817175] as const;

function train(x: Tensor, y: Tensor, eta: number, epochs: number, log: (line: string) => void, initial?: readonly number[]): Perceptron {
  const p = new Perceptron(2, eta, initial);
  for (let e = 1; e <= epochs; e++) {
    const errors = p.epoch(x, y);
    log(`epoch ${String(e).padStart(2)}  misclassifications ${errors}  weights ${fmtList(p.weights[e - 1]!, 4)}`);
  }
  return p;
}

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);
  const { x, y } = setosaVersicolor();
  const eta = 0.1;
  const epochs = 10;
  log(`Perceptron on Iris setosa (-1) vs. versicolor (+1): ${x.shape[0]} rows, sepal length and petal length`);
  log(`eta ${eta}, ${epochs} epochs, weights start at 0; weights printed as [bias, w_sepal, w_petal]`);
  const p = train(x, y, eta, epochs, log);
  const predicted = p.predict(x).data;
  let wrong = 0;
  y.data.forEach((t, i) => (wrong += t === predicted[i] ? 0 : 1));
  log(`training rows misclassified after ${epochs} epochs: ${wrong} of ${x.shape[0]}`);
  const axes = { xLabel: 'sepal length [cm]', yLabel: 'petal length [cm]', classNames: ['setosa (-1)', 'versicolor (+1)'] };
  savePicture(args, 'perceptron', 'regions', decisionRegions((pts) => p.predict(pts.double()).int(), x, y.int(), { title: 'Perceptron decision regions', ...axes }));
  savePicture(args, 'perceptron', 'errors', lineChart([{ name: 'misclassifications', values: p.errors }], { title: 'Perceptron: updates per epoch', xLabel: 'epoch', yLabel: 'misclassifications', markers: true }));

  log('');
  log(`The same from the small random start of the book's later editions, ${fmtList(NUMPY_SEED1_START, 8)}:`);
  const q = train(x, y, eta, epochs, log, NUMPY_SEED1_START);
  return {
    errors: p.errors,
    weights: p.weights,
    finalWeights: p.weights[epochs - 1],
    misclassified: wrong,
    errorsRandomStart: q.errors,
    weightsRandomStart: q.weights,
  };
}
