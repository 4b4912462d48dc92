// Example 11: the Keras MNIST convnet (Chollet, "Deep Learning with Python", 5.1):
//   Conv 32 3x3 ReLU, MaxPool 2, Conv 64 3x3 ReLU, MaxPool 2, Conv 64 3x3 ReLU, Flatten,
//   Dense 64 ReLU, Dense 10 (softmax inside the cross-entropy)
// trained with RMSprop (Keras' defaults: lr 0.001, rho 0.9, eps 1e-7) for 5 epochs with batches of 64.
// Summary (93,322 parameters, as in Keras) and test accuracy.
import { manualSeed } from '@tapegrad/core';
import { Conv2d, F, Flatten, Linear, MaxPool2d, ReLU, Sequential, summary } from '@tapegrad/nn';
import { RMSprop } from '@tapegrad/optim';
import { DataLoader, TensorDataset } from '@tapegrad/datasets';
import { History, ProgressBar, accuracy, formatEpoch } from '@tapegrad/train';
import { mnistData, mnistReport, predict } from './mnist-common.js';
import { fmt, logger, secondsSince, type ExampleArgs } from './util.js';

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);
  const epochs = args.epochs ?? (args.quick ? 1 : 5);
  manualSeed(0);
  const { train, test } = await mnistData(args, { flatten: false });

  const model = new Sequential(
    new Conv2d(1, 32, 3), new ReLU(), new MaxPool2d(2),
    new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
    new Conv2d(64, 64, 3), new ReLU(),
    new Flatten(),
    new Linear(3 * 3 * 64, 64), new ReLU(),
    new Linear(64, 10),
  );
  const s = summary(model, [1, 1, 28, 28]);
  log(s.toString());
  const optimizer = new RMSprop(model.parameters(), { lr: 1e-3, alpha: 0.9, eps: 1e-7 });
  const loader = new DataLoader(new TensorDataset(train.images, train.labels), { batchSize: 64, shuffle: true });

  const history = new History();
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
      bar.update(++batch, { loss: lossSum / seen, accuracy: correct / seen });
    }
    bar.stop();
    const seconds = secondsSince(start);
    const outputs = predict(model, test.images, 500);
    const logs = { loss: lossSum / seen, accuracy: correct / seen, val_loss: F.crossEntropy(outputs, test.labels).item(), val_accuracy: accuracy(outputs, test.labels), seconds };
    history.push(logs);
    log(formatEpoch(epoch, epochs, logs, seconds, { samples: seen }));
  }
  const outputs = predict(model, test.images, 500);
  const testAccuracy = accuracy(outputs, test.labels);
  log(`test accuracy: ${fmt(testAccuracy)}`);
  mnistReport(args, 'mnist-cnn', history, test, outputs);
  const secondsPerEpoch = history.get('seconds').reduce((a, b) => a + b, 0) / epochs;
  log(`seconds per epoch: ${secondsPerEpoch.toFixed(1)}`);
  return { history: history.epochs, testAccuracy, secondsPerEpoch, params: s.totals.total };
}
