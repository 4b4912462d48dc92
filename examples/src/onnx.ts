// ONNX: train the Keras MNIST convnet briefly, export it to ONNX (dynamic batch axis), run the
// exported graph with ONNX Runtime for Node in this same process, and compare: both test
// accuracies, and the largest difference between the two sets of logits.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor, cat, manualSeed } from '@tapegrad/core';
import { Conv2d, F, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@tapegrad/nn';
import { RMSprop } from '@tapegrad/optim';
import { DataLoader, TensorDataset } from '@tapegrad/datasets';
import { accuracy, fit } from '@tapegrad/train';
import { checkModel, exportOnnx, saveOnnx } from '@tapegrad/onnx';
import ort from 'onnxruntime-node';
import { mnistData, predict } from './mnist-common.js';
import { fmt, logger, outDir, type ExampleArgs } from './util.js';

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);
  manualSeed(0);
  const { train, test } = await mnistData(args, { flatten: false, quickTrain: 1000, quickTest: 500 });
  // Briefly: a 6,000-image subset for one epoch (--quick: the 1,000 images loaded).
  const n = Math.min(train.images.shape[0]!, 6000);
  const model = new Sequential(
    new Conv2d(1, 32, 3), new ReLU(), new MaxPool2d(2),
    new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
    new Conv2d(64, 64, 3), new ReLU(),
    new Flatten(),
    new Linear(3 * 3 * 64, 64), new ReLU(),
    new Linear(64, 10),
  );
  await fit(model, {
    optimizer: new RMSprop(model.parameters(), { lr: 1e-3, alpha: 0.9, eps: 1e-7 }),
    loss: F.crossEntropy,
    trainLoader: new DataLoader(new TensorDataset(train.images.narrow(0, 0, n), train.labels.narrow(0, 0, n)), { batchSize: 64, shuffle: true }),
    epochs: args.epochs ?? 1,
    log,
  });
  const ours = predict(model, test.images, 500);
  const tapegradAccuracy = accuracy(ours, test.labels);

  const opts = { inputNames: ['image'], outputNames: ['logits'], dynamicAxes: { image: { 0: 'batch' } } };
  const bytes = exportOnnx(model, test.images.narrow(0, 0, 1), opts);
  const problems = checkModel(bytes);
  if (problems.length) throw new Error(`the exported model fails the structural check: ${problems.join('; ')}`);
  mkdirSync(outDir(args), { recursive: true });
  const path = join(outDir(args), 'mnist-cnn.onnx');
  await saveOnnx(path, model, test.images.narrow(0, 0, 1), opts);
  log(`exported ${bytes.length.toLocaleString('en-US')} bytes of ONNX (opset 17) to ${path}`);

  // ONNX Runtime runs the same bytes, on batches of 500 (the graph was traced with a batch of 1).
  const session = await ort.InferenceSession.create(bytes);
  const parts: Tensor[] = [];
  for (let i = 0; i < test.images.shape[0]!; i += 500) {
    const x = test.images.narrow(0, i, Math.min(500, test.images.shape[0]! - i)).contiguous();
    const { logits } = await session.run({ image: new ort.Tensor('float32', (x.data as Float32Array).slice(0, x.numel()), x.shape) });
    parts.push(Tensor.fromData(logits!.data as Float32Array, [...logits!.dims], 'float32'));
  }
  await session.release();
  const theirs = cat(parts, 0);
  const ortAccuracy = accuracy(theirs, test.labels);
  const maxAbsDiff = theirs.sub(ours).abs().max().item();
  log(`test accuracy, tapegrad:     ${fmt(tapegradAccuracy)}`);
  log(`test accuracy, ONNX Runtime: ${fmt(ortAccuracy)}`);
  log(`largest logit difference:    ${maxAbsDiff.toExponential(2)}`);
  return { tapegradAccuracy, ortAccuracy, maxAbsDiff, bytes: bytes.length, path };
}
