// Three-class Iris: a 4-4-3 network with a hidden layer of 4 sigmoid neurons and softmax outputs,
// trained on cross-entropy.
//
// The notes give the architecture (4 inputs, 4 hidden neurons, 3 softmax outputs) but no training
// recipe, so this takes the textbook one: every fifth row (rows 4, 9, 14, ...) is a test row
// (30 rows, 10 per class), the other 120 train; features standardised with the training rows'
// mean and population standard deviation; PyTorch's default initialisation of the two Linear
// layers (float64, tapegrad's generator, seed 0); full-batch gradient descent with learning rate
// 0.5 for 500 epochs on L = −1/N Σ log softmax(o)_y (autograd). Prints the loss every 50 epochs,
// the training and test accuracy, the softmax outputs of a few test rows, the confusion matrix.
import { Generator, noGrad, tensor, type Tensor } from '@tapegrad/core';
import { F, Linear, Sequential, Sigmoid } from '@tapegrad/nn';
import { SGD } from '@tapegrad/optim';
import { loadIris } from '@tapegrad/datasets';
import { accuracy, confusionMatrix, formatConfusionMatrix, lineChart } from '@tapegrad/train';
import { fmt, fmtList, irisFloat64, logger, savePicture, type ExampleArgs } from './util.js';

export const TEST_ROWS = Array.from({ length: 30 }, (_, i) => 5 * i + 4);
export const TRAIN_ROWS = Array.from({ length: 150 }, (_, i) => i).filter((i) => i % 5 !== 4);

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);
  const epochs = args.quick ? 100 : 500;
  const lr = 0.5;
  const iris = loadIris();
  const x = irisFloat64(iris.features);
  const pick = (t: Tensor, rows: number[]) => t.indexSelect(0, tensor(rows, { dtype: 'int32' }));
  const mean = pick(x, TRAIN_ROWS).mean(0);
  const std = pick(x, TRAIN_ROWS).std(0, { correction: 0 });
  const xs = x.sub(mean).div(std);
  const xTrain = pick(xs, TRAIN_ROWS);
  const xTest = pick(xs, TEST_ROWS);
  const yTrain = pick(iris.labels, TRAIN_ROWS);
  const yTest = pick(iris.labels, TEST_ROWS);

  const generator = new Generator(0);
  const hidden = new Linear(4, 4, { dtype: 'float64', generator });
  const output = new Linear(4, 3, { dtype: 'float64', generator });
  const model = new Sequential(hidden, new Sigmoid(), output);
  const initial = {
    w1: hidden.weight.toArray() as number[][], b1: hidden.bias!.toArray() as number[],
    w2: output.weight.toArray() as number[][], b2: output.bias!.toArray() as number[],
  };
  log('Iris, three classes: 4 inputs (standardised) -> 4 sigmoid -> 3 softmax, cross-entropy');
  log(`${TRAIN_ROWS.length} training rows, ${TEST_ROWS.length} test rows (every fifth); full-batch gradient descent, lr ${lr}, ${epochs} epochs`);

  const optimizer = new SGD(model.parameters(), { lr });
  const losses: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    optimizer.zeroGrad();
    const loss = F.crossEntropy(model.call(xTrain), yTrain);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
    if (epoch === 1 || epoch % 50 === 0) log(`epoch ${String(epoch).padStart(4)}  loss ${fmt(loss.item(), 6)}`);
  }
  const { trainLogits, testLogits } = noGrad(() => ({ trainLogits: model.call(xTrain), testLogits: model.call(xTest) }));
  const finalLoss = noGrad(() => F.crossEntropy(trainLogits, yTrain).item());
  const trainAccuracy = accuracy(trainLogits, yTrain);
  const testAccuracy = accuracy(testLogits, yTest);
  const probabilities = noGrad(() => F.softmax(testLogits, 1)).toArray() as number[][];
  log(`training loss after the last step ${fmt(finalLoss, 6)}`);
  log(`training accuracy ${fmt(trainAccuracy)}, test accuracy ${fmt(testAccuracy)}`);
  log('');
  log(`softmax outputs of test rows (${iris.classNames.join(', ')}):`);
  for (const k of [0, 1, 10, 11, 20, 21]) log(`  row ${String(TEST_ROWS[k]).padStart(3)} (${iris.classNames[yTest.data[k]!]!.padEnd(10)}) ${fmtList(probabilities[k]!)}`);
  log('');
  log('test confusion matrix (rows: true class, columns: predicted):');
  for (const line of formatConfusionMatrix(confusionMatrix(testLogits, yTest, 3), iris.classNames).split('\n')) log(`  ${line}`);
  savePicture(args, 'iris-3class', 'loss', lineChart([{ name: 'cross-entropy', values: losses }], { title: 'Iris 4-4-3: training loss', yLabel: 'loss (log scale)', logY: true }));
  return { initial, losses, finalLoss, trainAccuracy, testAccuracy, probabilities, mean: Array.from(mean.data), std: Array.from(std.data) };
}
