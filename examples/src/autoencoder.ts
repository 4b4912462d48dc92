// A convolutional autoencoder on MNIST (issue 18). The encoder halves the image twice with
// stride-2 convolutions and ends in a 7x7 convolution to a 32-number code (784 pixels -> 32);
// the decoder mirrors it with transposed convolutions and a sigmoid, so it outputs pixel
// intensities in (0, 1):
//   encoder: Conv2d(1, 16, 3, stride 2, pad 1) [16, 14, 14], ReLU, Conv2d(16, 32, 3, stride 2, pad 1) [32, 7, 7], ReLU,
//            Conv2d(32, 32, 7) [32, 1, 1]
//   decoder: ConvTranspose2d(32, 32, 7) [32, 7, 7], ReLU, ConvTranspose2d(32, 16, 3, stride 2, pad 1, outputPadding 1) [16, 14, 14],
//            ReLU, ConvTranspose2d(16, 1, 3, stride 2, pad 1, outputPadding 1) [1, 28, 28], Sigmoid
// trained on binary cross-entropy between the reconstruction and the image (pixels in [0, 1]),
// Adam lr 3e-3, batches of 32. Prints the reconstruction loss (BCE, and MSE) per epoch on the
// training and test sets next to the loss of always predicting the mean training image, and
// draws test digits above their reconstructions.
import { cat, manualSeed, noGrad, type Tensor } from '@tapegrad/core';
import { Conv2d, ConvTranspose2d, F, Module, ReLU, Sequential, Sigmoid, summary } from '@tapegrad/nn';
import { Adam } from '@tapegrad/optim';
import { DataLoader, TensorDataset } from '@tapegrad/datasets';
import { imageGrid } from '@tapegrad/train';
import { mnistData } from './mnist-common.js';
import { fmt, logger, savePicture, secondsSince, type ExampleArgs } from './util.js';

/** The size of the code each image is compressed to. */
export const LATENT = 32;

/** Encoder (image [N, 1, 28, 28] -> code [N, 32, 1, 1]) and decoder (code -> image), as in the header. */
export class ConvAutoencoder extends Module {
  encoder = new Sequential(
    new Conv2d(1, 16, 3, { stride: 2, padding: 1 }), new ReLU(),
    new Conv2d(16, 32, 3, { stride: 2, padding: 1 }), new ReLU(),
    new Conv2d(32, LATENT, 7),
  );
  decoder = new Sequential(
    new ConvTranspose2d(LATENT, 32, 7), new ReLU(),
    new ConvTranspose2d(32, 16, 3, { stride: 2, padding: 1, outputPadding: 1 }), new ReLU(),
    new ConvTranspose2d(16, 1, 3, { stride: 2, padding: 1, outputPadding: 1 }), new Sigmoid(),
  );

  forward(x: Tensor): Tensor {
    return this.decoder.call(this.encoder.call(x));
  }
}

/** The model's reconstructions of `x`, in batches, in eval mode without gradients. */
export function reconstruct(model: Module, x: Tensor, batchSize = 500): Tensor {
  const was = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const parts: Tensor[] = [];
      for (let i = 0; i < x.shape[0]!; i += batchSize) parts.push(model.call(x.narrow(0, i, Math.min(batchSize, x.shape[0]! - i))));
      return cat(parts, 0);
    });
  } finally {
    model.train(was);
  }
}

/** Mean binary cross-entropy and mean squared error per pixel between `recon` and `x`. */
function losses(recon: Tensor, x: Tensor): { bce: number; mse: number } {
  return noGrad(() => ({ bce: F.binaryCrossEntropy(recon, x).item(), mse: F.mseLoss(recon, x).item() }));
}

/** What the example returns. */
export interface AutoencoderResult extends Record<string, unknown> {
  params: number;
  /** Per epoch: mean train BCE over the epoch's batches, test BCE and MSE after the epoch, seconds. */
  history: Array<{ trainLoss: number; testLoss: number; testMse: number; seconds: number }>;
  /** The loss of predicting the mean training image for every test image. */
  meanImage: { bce: number; mse: number };
  testLoss: number;
  testMse: number;
  /** Path of the SVG grid, and how many images it shows (digits + reconstructions). */
  picture: string;
  pictureImages: number;
  model: ConvAutoencoder;
}

export async function main(args: ExampleArgs = {}): Promise<AutoencoderResult> {
  const log = logger(args);
  const epochs = args.epochs ?? 3; // --quick: 3 epochs of a 2,000-image subset
  manualSeed(0);
  const { train, test } = await mnistData(args, { flatten: false, quickTrain: 2000, quickTest: 500 });

  const model = new ConvAutoencoder();
  const s = summary(model, [1, 1, 28, 28]);
  log(s.toString());
  log(`code: ${LATENT} numbers per image (784 pixels, ${(784 / LATENT).toFixed(1)}x smaller)`);

  const mean = train.images.mean(0, { keepdim: true });
  const meanImage = losses(mean.expand(test.images.shape), test.images);
  log(`predicting the mean training image: test BCE ${fmt(meanImage.bce)}, MSE ${fmt(meanImage.mse)}`);

  const optimizer = new Adam(model.parameters(), { lr: 3e-3 });
  const loader = new DataLoader(new TensorDataset(train.images), { batchSize: 32, shuffle: true });
  const history: AutoencoderResult['history'] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const start = performance.now();
    model.train();
    let sum = 0, seen = 0;
    for (const [x] of loader) {
      const loss = F.binaryCrossEntropy(model.call(x!), x!);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      sum += loss.item() * x!.shape[0]!;
      seen += x!.shape[0]!;
    }
    const seconds = secondsSince(start);
    const t = losses(reconstruct(model, test.images), test.images);
    history.push({ trainLoss: sum / seen, testLoss: t.bce, testMse: t.mse, seconds });
    log(`epoch ${epoch}/${epochs}: train BCE ${fmt(sum / seen)}, test BCE ${fmt(t.bce)}, test MSE ${fmt(t.mse)}, ${seconds.toFixed(1)} s`);
  }

  // Rows of 10: test digits, then their reconstructions below them.
  const n = 20, cols = 10;
  const digits = test.images.narrow(0, 0, n);
  const recon = reconstruct(model, digits);
  const rows: Tensor[] = [];
  for (let i = 0; i < n; i += cols) rows.push(digits.narrow(0, i, cols), recon.narrow(0, i, cols));
  const picture = savePicture(args, 'autoencoder', 'reconstructions', imageGrid(cat(rows, 0), {
    cols, title: `autoencoder: ${n} test digits (rows 1, 3) and their reconstructions (rows 2, 4)`,
  }));
  const last = history[history.length - 1]!;
  return {
    params: s.totals.total, history, meanImage, testLoss: last.testLoss, testMse: last.testMse, picture, pictureImages: 2 * n, model,
  };
}
