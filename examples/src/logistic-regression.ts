// Example 5: vectorised logistic regression on two Iris classes, versicolor (0) vs. virginica (1),
// with all four features standardised (x' = (x − μ) / σ). For all N samples at once:
//   Z = X w + b,  A = σ(Z),  J = −1/N Σ [y log A + (1 − y) log(1 − A)]   (binary cross-entropy)
//   w ← w − α ∂J/∂w,  b ← b − α ∂J/∂b,    with ∂J/∂w = Xᵀ (A − y) / N and ∂J/∂b = mean(A − y)
// The gradients come from autograd (the first epoch checks them against the closed form).
// Weights start at 0; α = 0.1; 1000 epochs of full-batch gradient descent.
import { noGrad, zeros } from '@tapegrad/core';
import { F } from '@tapegrad/nn';
import { loadIris, standardize } from '@tapegrad/datasets';
import { confusionMatrix, formatConfusionMatrix, lineChart } from '@tapegrad/train';
import { fmt, irisFloat64, logger, savePicture, type ExampleArgs } from './util.js';

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);
  const epochs = 1000;
  const lr = 0.1;
  const iris = loadIris({ classes: ['versicolor', 'virginica'] });
  const x = standardize(irisFloat64(iris.features));
  const y = iris.labels.double();
  const n = x.shape[0]!;
  log(`Logistic regression, Iris versicolor (0) vs. virginica (1): ${n} samples, 4 standardised features`);
  log(`full-batch gradient descent, learning rate ${lr}, ${epochs} epochs, weights start at 0`);

  const w = zeros([4], { dtype: 'float64', requiresGrad: true });
  const b = zeros([], { dtype: 'float64', requiresGrad: true });
  const costs: number[] = [];
  let gradientCheck = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const a = x.matmul(w).add(b).sigmoid();
    const cost = F.binaryCrossEntropy(a, y);
    w.grad = null;
    b.grad = null;
    cost.backward();
    if (epoch === 1) {
      // The vectorised closed form Xᵀ (A − y) / N, for comparison with autograd.
      const closed = noGrad(() => x.T.matmul(a.detach().sub(y)).div(n));
      gradientCheck = noGrad(() => closed.sub(w.grad!).abs().max().item());
      log(`epoch 1: |autograd ∂J/∂w − Xᵀ(A − y)/N| max = ${gradientCheck.toExponential(2)}`);
    }
    noGrad(() => {
      w.sub_(w.grad!.mul(lr));
      b.sub_(b.grad!.mul(lr));
    });
    costs.push(cost.item());
    if (epoch <= 10 || epoch % 100 === 0) log(`epoch ${String(epoch).padStart(4)}  cost ${fmt(cost.item(), 6)}`);
  }
  const probabilities = noGrad(() => x.matmul(w).add(b).sigmoid());
  const predicted = Array.from(probabilities.data, (p) => (p >= 0.5 ? 1 : 0));
  const accuracy = predicted.filter((p, i) => p === y.data[i]).length / n;
  log(`weights [${Array.from(w.data, (v) => v.toFixed(4)).join(', ')}]  bias ${b.item().toFixed(4)}`);
  log(`training accuracy: ${fmt(accuracy)} (${Math.round(accuracy * n)}/${n})`);
  log(formatConfusionMatrix(confusionMatrix(probabilities, y.int(), 2), ['versicolor', 'virginica']));
  savePicture(args, 'logistic-regression', 'cost', lineChart([{ name: 'cross-entropy', values: costs }], { title: 'Logistic regression: cost per epoch', xLabel: 'epoch', yLabel: 'J' }));
  return { costs, weights: Array.from(w.data), bias: b.item(), accuracy, gradientCheck, predicted };
}
