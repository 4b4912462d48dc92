// Example 11: the Keras MNIST convnet (Chollet, "Deep Learning with Python", 5.1):
//   Conv 32 3x3 ReLU, MaxPool 2, Conv 64 3x3 ReLU, MaxPool 2, Conv 64 3x3 ReLU, Flatten,
//   Dense 64 ReLU, Dense 10 (softmax inside the cross-entropy)
// trained with RMSprop (Keras' defaults: lr 0.001, rho 0.9, eps 1e-7) for 5 epochs with batches of 64.
// Summary (93,322 parameters, as in Keras) and test accuracy. Trained with `fit`, as Keras does;
// mnist-small and mnist-sigmoid write the loop out.
import { manualSeed } from '@tapegrad/core';
import { Conv2d, F, Flatten, Linear, MaxPool2d, ReLU, Sequential, summary } from '@tapegrad/nn';
import { RMSprop } from '@tapegrad/optim';
import { DataLoader, TensorDataset } from '@tapegrad/datasets';
import { fit } from '@tapegrad/train';
import { mnistData, mnistReport, predict, type MnistResult } from './mnist-common.js';
import { logger, type ExampleArgs } from './util.js';

export async function main(args: ExampleArgs = {}): Promise<MnistResult> {
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
  // Keras trains this model with model.fit; so does this example (@tapegrad/train's fit).
  const history = await fit(model, {
    optimizer,
    loss: F.crossEntropy,
    trainLoader: new DataLoader(new TensorDataset(train.images, train.labels), { batchSize: 64, shuffle: true }),
    valLoader: new DataLoader(new TensorDataset(test.images, test.labels), { batchSize: 500 }),
    epochs,
    metrics: ['accuracy'],
    log,
  });
  const outputs = predict(model, test.images, 500);
  return { ...mnistReport(args, 'mnist-cnn', history, test, outputs), params: s.totals.total };
}
