// Example 10: a small MNIST network, 784-16-16-10 with ReLU, trained by plain SGD (lr 0.01,
// batch 10, 5 epochs) on cross-entropy, written as the plain PyTorch loop with a progress bar.
import { manualSeed, type Tensor } from '@tapegrad/core';
import { F, Linear, ReLU, Sequential, summary } from '@tapegrad/nn';
import { SGD } from '@tapegrad/optim';
import { DataLoader, TensorDataset } from '@tapegrad/datasets';
import { History, ProgressBar, accuracy, formatEpoch } from '@tapegrad/train';
import { mnistData, mnistReport, predict, type MnistResult } from './mnist-common.js';
import { logger, secondsSince, type ExampleArgs } from './util.js';

export async function main(args: ExampleArgs = {}): Promise<MnistResult> {
  const log = logger(args);
  const epochs = args.epochs ?? (args.quick ? 1 : 5);
  manualSeed(0);
  const { train, test } = await mnistData(args, { flatten: true, quickTrain: 20000 });

  const model = new Sequential(new Linear(784, 16), new ReLU(), new Linear(16, 16), new ReLU(), new Linear(16, 10));
  log(summary(model, [1, 784]).toString());
  const optimizer = new SGD(model.parameters(), { lr: 0.01 });
  const loader = new DataLoader(new TensorDataset(train.images, train.labels), { batchSize: 10, shuffle: true });

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
      const scores = model.call(x);
      const loss = F.crossEntropy(scores, y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      const n = y.shape[0]!;
      lossSum += loss.item() * n;
      correct += accuracy(scores, y) * n;
      seen += n;
      if (++batch % 50 === 0) bar.update(batch, { loss: lossSum / seen, accuracy: correct / seen });
    }
    bar.stop();
    const seconds = secondsSince(start);
    outputs = predict(model, test.images);
    const logs = { loss: lossSum / seen, accuracy: correct / seen, val_loss: F.crossEntropy(outputs, test.labels).item(), val_accuracy: accuracy(outputs, test.labels), seconds };
    history.push(logs);
    log(formatEpoch(epoch, epochs, logs, seconds, { samples: seen }));
  }
  return mnistReport(args, 'mnist-small', history, test, outputs ?? predict(model, test.images));
}
