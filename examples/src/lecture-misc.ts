// The notes' smaller items, one after the other.
//
// 1. The MSE worked example (Victor Zhou's, which the notes follow): y_true = [1, 0, 0, 1],
//    y_pred = [0, 0, 0, 0], MSE = (1 + 0 + 0 + 1) / 4 = 0.5.
// 2. The 3-4-2 network's size (CS231n's count): 3·4 + 4·2 = 20 weights and 4 + 2 = 6 biases,
//    26 learnable parameters, as nn's summary() of Linear(3, 4), Linear(4, 2) counts them.
// 3. One-hot encoding, Keras' `to_categorical`: tapegrad's `oneHot`, on the labels [0, 2, 1, 2, 0]
//    and on the first rows of each Iris class.
// 4. VGG16 (Simonyan & Zisserman, configuration D, as Keras' `VGG16()` builds it: 13 3×3 convolutions
//    with padding 1 in five blocks, each block ending in a 2×2 max pool, then 4096-4096-1000 dense
//    layers) built with tapegrad's nn layers and printed with summary() on a 224×224 RGB image:
//    138,357,544 parameters. Drawing the 138 million initial weights and the summary's forward pass
//    take 10–20 s on a shared 2-core machine; `--quick` prints the table from the layer shapes
//    instead (the same arithmetic summary() does, without building the model).
import { oneHot, tensor } from '@tapegrad/core';
import { Conv2d, F, Flatten, Linear, MaxPool2d, ReLU, Sequential, summary, type Module } from '@tapegrad/nn';
import { loadIris } from '@tapegrad/datasets';
import { logger, secondsSince, type ExampleArgs } from './util.js';

/** VGG16's convolution blocks: [number of 3×3 convolutions, output channels]. */
export const VGG16_BLOCKS: ReadonlyArray<readonly [number, number]> = [[2, 64], [2, 128], [3, 256], [3, 512], [3, 512]];
/** Its dense layers after the flatten (7·7·512 = 25,088 inputs). */
export const VGG16_DENSE = [4096, 4096, 1000];

/** One row of the VGG16 table: Keras' layer name, output shape [C, H, W] or [F], parameters. */
export interface LayerRow {
  name: string;
  type: string;
  outputShape: number[];
  params: number;
}

/** VGG16's layer table from the layer shapes alone: conv k·k·C_in·C_out + C_out, dense in·out + out. */
export function vgg16Table(size = 224, channels = 3, widthDivisor = 1): LayerRow[] {
  const rows: LayerRow[] = [];
  let c = channels;
  let s = size;
  VGG16_BLOCKS.forEach(([n, k], b) => {
    const out = k / widthDivisor;
    for (let i = 1; i <= n; i++) {
      rows.push({ name: `block${b + 1}_conv${i}`, type: 'Conv2d', outputShape: [out, s, s], params: 9 * c * out + out });
      c = out;
    }
    s = Math.floor(s / 2);
    rows.push({ name: `block${b + 1}_pool`, type: 'MaxPool2d', outputShape: [c, s, s], params: 0 });
  });
  let f = c * s * s;
  rows.push({ name: 'flatten', type: 'Flatten', outputShape: [f], params: 0 });
  VGG16_DENSE.forEach((units, i) => {
    const out = i < VGG16_DENSE.length - 1 ? units / widthDivisor : units;
    rows.push({ name: ['fc1', 'fc2', 'predictions'][i]!, type: 'Linear', outputShape: [out], params: f * out + out });
    f = out;
  });
  return rows;
}

/**
 * VGG16 with tapegrad's layers (ReLU after every convolution and the first two dense layers; the
 * softmax of Keras' last layer is left to the loss, as in PyTorch). `widthDivisor` narrows every
 * layer but the last, for a small model with the same structure.
 */
export function vgg16(opts: { channels?: number; size?: number; widthDivisor?: number } = {}): Sequential {
  const { channels = 3, size = 224, widthDivisor = 1 } = opts;
  const layers = new Map<string, Module>();
  let c = channels;
  let s = size;
  VGG16_BLOCKS.forEach(([n, k], b) => {
    for (let i = 1; i <= n; i++) {
      layers.set(`block${b + 1}_conv${i}`, new Conv2d(c, k / widthDivisor, 3, { padding: 1 }));
      layers.set(`block${b + 1}_relu${i}`, new ReLU());
      c = k / widthDivisor;
    }
    layers.set(`block${b + 1}_pool`, new MaxPool2d(2));
    s = Math.floor(s / 2);
  });
  layers.set('flatten', new Flatten());
  let f = c * s * s;
  VGG16_DENSE.forEach((units, i) => {
    const last = i === VGG16_DENSE.length - 1;
    const out = last ? units : units / widthDivisor;
    layers.set(['fc1', 'fc2', 'predictions'][i]!, new Linear(f, out));
    if (!last) layers.set(`fc${i + 1}_relu`, new ReLU());
    f = out;
  });
  return new Sequential(layers);
}

export async function main(args: ExampleArgs = {}): Promise<Record<string, unknown>> {
  const log = logger(args);

  // 1. MSE
  const yTrue = tensor([1, 0, 0, 1], { dtype: 'float64' });
  const yPred = tensor([0, 0, 0, 0], { dtype: 'float64' });
  const mse = F.mseLoss(yPred, yTrue).item();
  log('1. Mean squared error: y_true = [1, 0, 0, 1], y_pred = [0, 0, 0, 0]');
  log(`   MSE = (1/n) Σ (y_true − y_pred)² = (1 + 0 + 0 + 1) / 4 = ${mse}`);

  // 2. The 3-4-2 network
  const small = new Sequential(new Linear(3, 4), new Linear(4, 2));
  const smallSummary = summary(small, [1, 3]);
  const weights = small.parameters().filter((p) => p.dim() === 2).reduce((n, p) => n + p.numel(), 0);
  const biases = small.parameters().filter((p) => p.dim() === 1).reduce((n, p) => n + p.numel(), 0);
  log('');
  log('2. A 3-4-2 network (3 inputs, a hidden layer of 4, 2 outputs)');
  log(`   weights 3·4 + 4·2 = ${weights}, biases 4 + 2 = ${biases}, learnable parameters ${smallSummary.totals.total}`);
  for (const line of smallSummary.toString().split('\n')) log(`   ${line}`);

  // 3. One-hot
  const labels = tensor([0, 2, 1, 2, 0], { dtype: 'int32' });
  const encoded = oneHot(labels, 3).toArray() as number[][];
  log('');
  log("3. One-hot encoding (Keras' to_categorical) of the labels [0, 2, 1, 2, 0], 3 classes:");
  for (const row of encoded) log(`   ${JSON.stringify(row)}`);
  const iris = loadIris();
  const rows = [0, 50, 100];
  const irisLabels = tensor(rows.map((r) => iris.labels.data[r]!), { dtype: 'int32' });
  const irisEncoded = oneHot(irisLabels, 3).toArray() as number[][];
  log('   Iris rows 0, 50, 100 (' + rows.map((r) => iris.classNames[iris.labels.data[r]!]).join(', ') + '): ' + irisEncoded.map((r) => JSON.stringify(r)).join(' '));

  // 4. VGG16
  log('');
  log('4. VGG16 on a 224×224 RGB image');
  const table = vgg16Table();
  let total = table.reduce((n, r) => n + r.params, 0);
  let summaryText: string;
  if (args.quick) {
    summaryText = formatTable(table);
    log('   (--quick: the table from the layer shapes; the full run builds the model and calls summary())');
  } else {
    const start = performance.now();
    const model = vgg16();
    const built = secondsSince(start);
    const s = summary(model, [1, 3, 224, 224]);
    summaryText = s.toString();
    total = s.totals.total;
    log(`   built in ${built.toFixed(1)} s, summary() (one forward pass) in ${(secondsSince(start) - built).toFixed(1)} s`);
  }
  for (const line of summaryText.split('\n')) log(`   ${line}`);
  log(`   total parameters ${total.toLocaleString('en-US')}`);
  return { mse, weights, biases, smallTotal: smallSummary.totals.total, encoded, irisEncoded, vggTable: table, vggTotal: total, summaryText };
}

/** The layer table in the layout of nn's ModelSummary.toString(). */
function formatTable(rows: LayerRow[]): string {
  const total = rows.reduce((n, r) => n + r.params, 0);
  const body = rows.map((r) => [`${r.name} (${r.type})`, `[1, ${r.outputShape.join(', ')}]`, r.params.toLocaleString('en-US')]);
  const head = ['Layer (type)', 'Output Shape', 'Param #'];
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)) + 4);
  const line = (cells: string[]) => cells.map((c, i) => (i < cells.length - 1 ? c.padEnd(widths[i]!) : c)).join('').trimEnd();
  const width = widths.reduce((a, b) => a + b, 0);
  return [
    '_'.repeat(width), line(head), '='.repeat(width), ...body.map(line), '='.repeat(width),
    `Total params: ${total.toLocaleString('en-US')}`, `Trainable params: ${total.toLocaleString('en-US')}`, 'Non-trainable params: 0', '_'.repeat(width),
  ].join('\n');
}
