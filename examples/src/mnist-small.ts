// Example 10: a small MNIST network, 784-16-16-10 with ReLU, trained by plain SGD (lr 0.01,
// batch 10, 5 epochs) on cross-entropy, written as the plain PyTorch loop with a progress bar.
//
// The notes show this code (Keras: batch_size=10, SGD(lr=0.01), validation_data=(x_test, y_test))
// beside a training log it cannot have produced; the example runs the code and says so.
import { manualSeed, type Tensor } from '@tapegrad/core';
import { F, Linear, ReLU, Sequential, summary } from '@tapegrad/nn';
import { SGD } from '@tapegrad/optim';
import { DataLoader, TensorDataset } from '@tapegrad/datasets';
import { History, ProgressBar, accuracy, formatEpoch } from '@tapegrad/train';
import { mnistData, mnistReport, predict, type MnistResult } from './mnist-common.js';
import { fmt, logger, secondsSince, type ExampleArgs } from './util.js';

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
    const logs = { loss: lossSum / seen, accuracy: correct / seen, test_loss: F.crossEntropy(outputs, test.labels).item(), test_accuracy: accuracy(outputs, test.labels), seconds };
    history.push(logs);
    log(formatEpoch(epoch, epochs, logs, seconds, { samples: seen }));
  }
  const result = mnistReport(args, 'mnist-small', history, test, outputs ?? predict(model, test.images));
  for (const line of notesLogMismatch(train.images.shape[0]!, loader.length, epochs, result.testAccuracy)) log(line);
  return result;
}

/**
 * Why the notes' log does not come from the notes' code: its 1875 steps an epoch are 60,000 / 32
 * (Keras' default batch size), not 60,000 / 10; it has no val_ columns although validation_data is
 * passed; and it ends at a test accuracy of 0.9776.
 */
export function notesLogMismatch(trainImages: number, steps: number, epochs: number, testAccuracy: number): string[] {
  return [
    '',
    "The notes' log cannot come from the notes' code (batch 10, SGD lr 0.01, 784-16-16-10):",
    `  - it counts 1875 steps an epoch, which is 60000 / 32 (Keras' default batch size); batch 10 gives ${60000 / 10} (here: ${trainImages} images, ${steps} steps)`,
    '  - it has no val_loss / val_accuracy columns, although the code passes validation_data',
    '  - it reports a test accuracy of 0.9776',
    `The code itself gives, after ${epochs} epoch${epochs === 1 ? '' : 's'}: test accuracy ${fmt(testAccuracy)}.`,
  ];
}
