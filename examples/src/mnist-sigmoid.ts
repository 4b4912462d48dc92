// Example 8: the first MNIST network of many lectures, 784-100-10 with sigmoid units everywhere.
// The 10 output activations are normalised to sum to 1 (o / Σ o), compared with the one-hot label
// by the mean squared error, and trained by SGD with eta 2.0 on random batches of 1000 images.
// Weights start from a standard normal distribution, biases at 0.1.
//
// The MSE here is the from-scratch lectures' one: each image's squared error summed over the 10
// outputs, averaged over the batch, 1/N Σ_n ||o_n − y_n||². (The element mean of Keras' and
// PyTorch's `mse` divides by 10 more; with it, eta 2.0 leaves this saturated network at chance
// level for dozens of epochs.)
import { manualSeed } from '@tapegrad/core';
import { F, Linear, Sequential, Sigmoid, init, summary } from '@tapegrad/nn';
import { SGD } from '@tapegrad/optim';
import { DataLoader, TensorDataset, oneHot } from '@tapegrad/datasets';
import { History, ProgressBar, accuracy, formatEpoch } from '@tapegrad/train';
import { mnistData, mnistReport, predict, type MnistResult } from './mnist-common.js';
import { logger, secondsSince, type ExampleArgs } from './util.js';
import type { Tensor } from '@tapegrad/core';

/** 1/N Σ_n ||o_n − y_n||²: o, y [N, 10] -> []. */
function mse(o: Tensor, y: Tensor): Tensor {
  return F.mseLoss(o, y, { reduction: 'sum' }).div(o.shape[0]!);
}

/** Sigmoid outputs rescaled to sum to 1 over the classes: o_k / Σ_j o_j; [N, 10] -> [N, 10]. */
function normalise(o: Tensor): Tensor {
  return o.div(o.sum(1, { keepdim: true }));
}

export async function main(args: ExampleArgs = {}): Promise<MnistResult> {
  const log = logger(args);
  const epochs = args.epochs ?? (args.quick ? 2 : 20);
  manualSeed(0);
  const { train, test } = await mnistData(args, { flatten: true, quickTrain: 10000 });

  const model = new Sequential(new Linear(784, 100), new Sigmoid(), new Linear(100, 10), new Sigmoid());
  for (const m of model.modules())
    if (m instanceof Linear) {
      init.normal_(m.weight, 0, 1);
      init.constant_(m.bias!, 0.1);
    }
  log(summary(model, [1, 784]).toString());
  const optimizer = new SGD(model.parameters(), { lr: 2.0 });
  const loader = new DataLoader(new TensorDataset(train.images, train.labels), { batchSize: 1000, shuffle: true });

  const history = new History();
  let outputs: Tensor | undefined; // the model's outputs on the test images after the last epoch
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const start = performance.now();
    const bar = new ProgressBar({ total: loader.length, label: `epoch ${epoch}/${epochs}`, unit: 'batch' });
    model.train();
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let batch = 0;
    for (const [x, y] of loader) {
      const out = normalise(model.call(x));
      const loss = mse(out, oneHot(y, 10));
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      const n = y.shape[0]!;
      lossSum += loss.item() * n;
      correct += accuracy(out, y) * n;
      seen += n;
      bar.update(++batch, { loss: lossSum / seen, accuracy: correct / seen });
    }
    bar.stop();
    const seconds = secondsSince(start);
    outputs = normalise(predict(model, test.images));
    const logs = { loss: lossSum / seen, accuracy: correct / seen, val_loss: mse(outputs, oneHot(test.labels, 10)).item(), val_accuracy: accuracy(outputs, test.labels), seconds };
    history.push(logs);
    log(formatEpoch(epoch, epochs, logs, seconds, { samples: seen }));
  }
  return mnistReport(args, 'mnist-sigmoid', history, test, outputs ?? normalise(predict(model, test.images)));
}
