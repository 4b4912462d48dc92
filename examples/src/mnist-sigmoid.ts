// Example 8: the first MNIST network of many lectures, 784-100-10 with sigmoid units everywhere.
// The 10 output activations are normalised to sum to 1 (o = s / Σ s), compared with the one-hot
// label by a squared error, and trained by SGD with eta 2.0 on batches of 1000 images. Weights
// start from a standard normal distribution, biases at 0.1.
//
// Two variants run one after the other, each for 100 epochs by default:
// - "notes": the lecture notes' NumPy code exactly. Loss ½·(1/N)·Σ_n ||o_n − y_n||² (their hand
//   gradient d11_d9 = 1/N (y_2 − y_train) is the derivative of this loss, the ½ included); each
//   step draws 1000 images at random with replacement (60 steps an epoch); and the gradient is the
//   notes' hand-derived one: (1/N)(o − y) is passed to the sigmoid outputs s as it is, leaving out
//   the derivative of the normalisation o = s / Σ s. A custom function (`defineFunction`) carries
//   that backward; autograd does the rest of the chain (through the sigmoids and the linear
//   layers, which the notes derive the same way). Seed 21 as in the notes, but tapegrad's
//   generator, not NumPy's, so the draws differ.
// - "autograd": the example's earlier recipe. Loss (1/N)·Σ_n ||o_n − y_n||² (twice the notes',
//   so twice the step), every image once an epoch (shuffled), and autograd's exact gradient,
//   through the normalisation.
// Before training, both gradients are computed on the same batch and printed side by side.
import { defineFunction, manualSeed, noGrad, randint, type Tensor } from '@tapegrad/core';
import { Linear, Sequential, Sigmoid, init, summary } from '@tapegrad/nn';
import { SGD } from '@tapegrad/optim';
import { DataLoader, TensorDataset, oneHot, type Mnist } from '@tapegrad/datasets';
import { History, ProgressBar, accuracy, formatEpoch } from '@tapegrad/train';
import { mnistData, mnistReport, predict, type MnistResult } from './mnist-common.js';
import { fmt, logger, secondsSince, type ExampleArgs } from './util.js';

/** Sigmoid outputs rescaled to sum to 1 over the classes: o_k = s_k / Σ_j s_j; [N, 10] -> [N, 10]. */
export function normalise(s: Tensor): Tensor {
  return s.div(s.sum(1, { keepdim: true }));
}

/** The example's earlier loss, (1/N)·Σ_n ||o_n − y_n||² with o = normalise(s): s, y [N, 10] -> []. */
export function sumMse(s: Tensor, y: Tensor): Tensor {
  return normalise(s).sub(y).square().sum().div(s.shape[0]!);
}

/** The notes' loss ½·(1/N)·Σ_n ||o_n − y_n||² with o = normalise(s), differentiated by autograd (through the normalisation). */
export function notesLossAutograd(s: Tensor, y: Tensor): Tensor {
  return normalise(s).sub(y).square().sum().div(2 * s.shape[0]!);
}

/**
 * The notes' loss with the notes' hand-derived backward: forward ½·(1/N)·Σ ||o − y||² with
 * o = normalise(s); backward hands ∂L/∂s = (1/N)(o − y) (the notes' d11_d9) to s, as if o were s.
 * s, y [N, 10] -> [].
 */
export const notesLoss = defineFunction<[Tensor, Tensor]>({
  name: 'notesLoss',
  forward(ctx, s, y) {
    const o = normalise(s);
    ctx.saveForBackward(o, y);
    return o.sub(y).square().sum().div(2 * s.shape[0]!);
  },
  backward(_ctx, g, [o, y]) {
    return [o!.sub(y!).div(o!.shape[0]!).mul(g), null];
  },
});

/** The 784-100-10 sigmoid network with N(0, 1) weights and biases 0.1. */
export function sigmoidNet(): Sequential {
  const model = new Sequential(new Linear(784, 100), new Sigmoid(), new Linear(100, 10), new Sigmoid());
  for (const m of model.modules())
    if (m instanceof Linear) {
      init.normal_(m.weight, 0, 1);
      init.constant_(m.bias!, 0.1);
    }
  return model;
}

/** ∂L/∂s and the parameters' gradients of `loss` on one batch; the model's gradients are left at zero. */
export function gradients(model: Sequential, x: Tensor, y: Tensor, loss: (s: Tensor, y: Tensor) => Tensor): { dLds: Tensor; params: Tensor[] } {
  for (const p of model.parameters()) p.grad = null;
  const s = model.call(x);
  s.retainGrad();
  loss(s, y).backward();
  const out = { dLds: s.grad!, params: model.parameters().map((p) => p.grad!.clone()) };
  for (const p of model.parameters()) p.grad = null;
  return out;
}

const norm = (t: Tensor): number => Math.sqrt(t.square().sum().item());

/** Prints the notes' gradient and autograd's on the same batch, side by side. */
function compareGradients(log: (line: string) => void, model: Sequential, x: Tensor, y: Tensor): Record<string, number> {
  const notes = gradients(model, x, y, notesLoss);
  const exact = gradients(model, x, y, notesLossAutograd);
  const names = ['W1', 'b1', 'W2', 'b2'];
  log(`Gradients of ½·(1/N)·Σ||o − y||² on one batch of ${x.shape[0]} images, from the initial weights:`);
  log(`  tensor  ${"||notes' gradient||".padStart(20)}  ${"||autograd's||".padStart(14)}  ${'||difference||'.padStart(14)}`);
  const figures: Record<string, number> = {};
  names.forEach((name, i) => {
    const a = notes.params[i]!;
    const b = exact.params[i]!;
    figures[name] = norm(a.sub(b)) / norm(b);
    log(`  ${name.padEnd(6)}  ${norm(a).toExponential(4).padStart(20)}  ${norm(b).toExponential(4).padStart(14)}  ${norm(a.sub(b)).toExponential(4).padStart(14)}`);
  });
  log('  The difference is the normalisation term: autograd gives ∂L/∂s_k = (g_k − Σ_j g_j o_j) / Σ_j s_j');
  log('  with g = (1/N)(o − y), the notes g_k alone.');
  return figures;
}

interface Variant {
  name: string;
  title: string;
  loss: (s: Tensor, y: Tensor) => Tensor;
  /** The batches of one epoch: [x, labels] pairs. */
  batches: (train: Mnist) => Iterable<[Tensor, Tensor]>;
}

/** `steps` batches of `size` images drawn at random with replacement (NumPy's randint indices). */
function* withReplacement(train: Mnist, size: number): Iterable<[Tensor, Tensor]> {
  const n = train.images.shape[0]!;
  for (let step = 0; step < Math.floor(n / size); step++) {
    const idx = randint(0, n, [size], { dtype: 'int32' });
    yield [train.images.indexSelect(0, idx), train.labels.indexSelect(0, idx)];
  }
}

function trainVariant(args: ExampleArgs, v: Variant, data: { train: Mnist; test: Mnist }, epochs: number, seed: number): MnistResult {
  const log = logger(args);
  manualSeed(seed);
  const model = sigmoidNet();
  const optimizer = new SGD(model.parameters(), { lr: 2.0 });
  const testY = oneHot(data.test.labels, 10);
  log('');
  log(`${v.name}: ${v.title}`);
  const history = new History();
  let outputs: Tensor | undefined; // the normalised outputs on the test images after the last epoch
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const start = performance.now();
    const total = Math.floor(data.train.images.shape[0]! / 1000);
    const bar = new ProgressBar({ total, label: `epoch ${epoch}/${epochs}`, unit: 'batch' });
    model.train();
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let batch = 0;
    for (const [x, labels] of v.batches(data.train)) {
      const s = model.call(x);
      const loss = v.loss(s, oneHot(labels, 10));
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      const n = labels.shape[0]!;
      lossSum += loss.item() * n;
      correct += accuracy(s, labels) * n; // normalising does not change the arg max
      seen += n;
      bar.update(++batch, { loss: lossSum / seen, accuracy: correct / seen });
    }
    bar.stop();
    const seconds = secondsSince(start);
    outputs = normalise(predict(model, data.test.images));
    // outputs are already normalised (Σ o = 1), and normalising them again leaves them as they are.
    const testLoss = noGrad(() => v.loss(outputs!, testY));
    const logs = { loss: lossSum / seen, accuracy: correct / seen, test_loss: testLoss.item(), test_accuracy: accuracy(outputs, data.test.labels), seconds };
    history.push(logs);
    log(formatEpoch(epoch, epochs, logs, seconds, { samples: seen }));
  }
  return mnistReport(args, v.name, history, data.test, outputs ?? normalise(predict(model, data.test.images)));
}

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);
  const epochs = args.epochs ?? (args.quick ? 2 : 100);
  const data = await mnistData(args, { flatten: true, quickTrain: 10000 });

  manualSeed(21);
  const model = sigmoidNet();
  log(summary(model, [1, 784]).toString());
  const batch = randint(0, data.train.images.shape[0]!, [1000], { dtype: 'int32' });
  const relDiff = compareGradients(log, model, data.train.images.indexSelect(0, batch), oneHot(data.train.labels.indexSelect(0, batch), 10));

  const notes = trainVariant(args, {
    name: 'mnist-sigmoid-notes',
    title: "the notes' code: ½·(1/N)·Σ||o − y||², 1000 images drawn with replacement per step, the notes' hand gradient (no normalisation term)",
    loss: notesLoss,
    batches: (train) => withReplacement(train, 1000),
  }, data, epochs, 21);
  const loader = new DataLoader(new TensorDataset(data.train.images, data.train.labels), { batchSize: 1000, shuffle: true });
  const exact = trainVariant(args, {
    name: 'mnist-sigmoid',
    title: "(1/N)·Σ||o − y||² (twice the notes' loss), every image once an epoch (shuffled), autograd's exact gradient",
    loss: sumMse,
    batches: () => loader as Iterable<[Tensor, Tensor]>,
  }, data, epochs, 0);

  log('');
  log(`After ${epochs} epochs, test accuracy: notes' code ${fmt(notes.testAccuracy)}, autograd's recipe ${fmt(exact.testAccuracy)}`);
  log("The notes print 0.9157 (loss 0.063376) after 100 epochs, and a NumPy transcription of their code 0.9136 / 0.0664.");
  log("Read as above (d11_d9 handed to the sigmoid outputs as if o were s), the hand gradient is about three times");
  log("autograd's and drives this saturated network (N(0, 1) weights) to outputs stuck at 0 or 1: 0.2596 after 100");
  log('epochs (seed 21), where autograd\'s recipe reaches 0.9365 (examples/README.md, mnist-sigmoid).');
  return { notes, autograd: exact, relativeGradientDifference: relDiff };
}
