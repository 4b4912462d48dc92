// Example 9: the Keras MNIST multilayer perceptron, 784-512-ReLU-Dropout(0.2)-512-ReLU-Dropout(0.2)-10,
// trained with Adam on cross-entropy for 10 epochs with batches of 32; then the small 784-20-ReLU-10
// trained the same way. Summaries and test accuracy. This example uses the `fit` helper of
// @tapegrad/train (the other MNIST examples write the loop out).
import { manualSeed } from '@tapegrad/core';
import { Dropout, F, Linear, ReLU, Sequential, summary } from '@tapegrad/nn';
import { Adam } from '@tapegrad/optim';
import { DataLoader, TensorDataset, type Mnist } from '@tapegrad/datasets';
import { fit } from '@tapegrad/train';
import { mnistData, mnistReport, predict, type MnistResult } from './mnist-common.js';
import { logger, type ExampleArgs } from './util.js';

async function trainAndTest(
  args: ExampleArgs,
  name: string,
  model: Sequential,
  data: { train: Mnist; test: Mnist },
  epochs: number,
): Promise<MnistResult & { params: number }> {
  const log = logger(args);
  log('');
  log(`${name}:`);
  log(summary(model, [1, 784]).toString());
  const history = await fit(model, {
    optimizer: new Adam(model.parameters(), { lr: 1e-3 }),
    loss: F.crossEntropy,
    trainLoader: new DataLoader(new TensorDataset(data.train.images, data.train.labels), { batchSize: 32, shuffle: true }),
    valLoader: new DataLoader(new TensorDataset(data.test.images, data.test.labels), { batchSize: 1000 }),
    epochs,
    metrics: ['accuracy'],
    log,
  });
  const outputs = predict(model, data.test.images);
  return { ...mnistReport(args, name, history, data.test, outputs), params: model.numParameters() };
}

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const epochs = args.epochs ?? (args.quick ? 1 : 10);
  const data = await mnistData(args, { flatten: true });
  manualSeed(0);
  const mlp = new Sequential(
    new Linear(784, 512), new ReLU(), new Dropout(0.2),
    new Linear(512, 512), new ReLU(), new Dropout(0.2),
    new Linear(512, 10),
  );
  const big = await trainAndTest(args, 'mnist-mlp', mlp, data, epochs);
  manualSeed(0);
  const small = await trainAndTest(args, 'mnist-mlp-small', new Sequential(new Linear(784, 20), new ReLU(), new Linear(20, 10)), data, epochs);
  return { mlp: big, small };
}
