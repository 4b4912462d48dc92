// What the MNIST examples share: loading (the full set, or a subset with --quick), predicting in
// batches, and the report at the end (test accuracy, confusion matrix, curves, a grid of test
// digits with predictions, seconds per epoch).
import { cat, noGrad, type Tensor } from '@tapegrad/core';
import { loadMnist, type Mnist } from '@tapegrad/datasets';
import type { AnyModule } from '@tapegrad/nn';
import { accuracy, confusionMatrix, formatConfusionMatrix, imageGrid, lineChart, type History } from '@tapegrad/train';
import { fmt, logger, savePicture, type ExampleArgs } from './util.js';

/** Training and test images (`[N, 784]` with `flatten`, else `[N, 1, 28, 28]`) and labels. */
export async function mnistData(
  args: ExampleArgs,
  opts: { flatten: boolean; quickTrain?: number; quickTest?: number },
): Promise<{ train: Mnist; test: Mnist }> {
  const quick = args.quick ?? false;
  const train = await loadMnist({ split: 'train', flatten: opts.flatten, ...(quick ? { limit: opts.quickTrain ?? 2000 } : {}) });
  const test = await loadMnist({ split: 'test', flatten: opts.flatten, ...(quick ? { limit: opts.quickTest ?? 1000 } : {}) });
  logger(args)(`MNIST: ${train.images.shape[0]} training and ${test.images.shape[0]} test images${quick ? ' (--quick: a subset)' : ''}`);
  return { train, test };
}

/** The model's outputs on x, computed in batches under noGrad and in eval mode (training mode is restored). */
export function predict(model: AnyModule, x: Tensor, batchSize = 1000): Tensor {
  const was = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const parts: Tensor[] = [];
      for (let i = 0; i < x.shape[0]!; i += batchSize)
        parts.push(model.call(x.narrow(0, i, Math.min(batchSize, x.shape[0]! - i))) as Tensor);
      return cat(parts, 0);
    });
  } finally {
    model.train(was);
  }
}

/** What every MNIST example returns. */
export interface MnistResult extends Record<string, unknown> {
  history: Array<Record<string, number>>;
  testAccuracy: number;
  secondsPerEpoch: number;
}

/**
 * Prints the test accuracy of `outputs` (the model's outputs on the test images) and the confusion
 * matrix, writes the curves and a grid of the first 40 test digits, prints the mean seconds per
 * training epoch, and returns these figures.
 */
export function mnistReport(args: ExampleArgs, name: string, history: History, test: Mnist, outputs: Tensor): MnistResult {
  const log = logger(args);
  const testAccuracy = accuracy(outputs, test.labels);
  log(`${name}: test accuracy: ${fmt(testAccuracy)}`);
  log('');
  log('Confusion matrix on the test set (rows: true digit, columns: predicted):');
  log(formatConfusionMatrix(confusionMatrix(outputs, test.labels, 10)));
  // The examples have no validation split: what fit logs as val_ is measured on the test images.
  if (history.keys().some((k) => k.startsWith('val_'))) log(`(val_loss and val_accuracy above are on the ${test.images.shape[0]} test images: there is no separate validation set)`);
  const curveName = (k: string) => (k.startsWith('val_') || k.startsWith('test_') ? `${k.replace(/^(val|test)_/, 'test ')} (test set)` : `${k} (training)`);
  const series = (keys: string[]) => keys.filter((k) => history.keys().includes(k)).map((k) => ({ name: curveName(k), values: history.get(k) }));
  savePicture(args, name, 'loss', lineChart(series(['loss', 'val_loss', 'test_loss']), { title: `${name}: loss`, xLabel: 'epoch', yLabel: 'loss', markers: true }));
  savePicture(args, name, 'accuracy', lineChart(series(['accuracy', 'val_accuracy', 'test_accuracy']), { title: `${name}: accuracy`, xLabel: 'epoch', yLabel: 'accuracy', markers: true }));
  const n = Math.min(40, test.images.shape[0]!);
  savePicture(args, name, 'predictions', imageGrid(test.images.narrow(0, 0, n), {
    labels: test.labels.narrow(0, 0, n), predictions: outputs.narrow(0, 0, n), cols: 10, title: `${name}: first ${n} test digits (label / prediction)`,
    ...(test.images.ndim === 2 ? { height: 28, width: 28 } : {}),
  }));
  const seconds = history.get('seconds');
  const secondsPerEpoch = seconds.reduce((a, b) => a + b, 0) / seconds.length;
  log(`${name}: seconds per epoch: ${secondsPerEpoch.toFixed(1)}`);
  return { history: history.epochs, testAccuracy, secondsPerEpoch };
}
