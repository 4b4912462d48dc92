/**
 * @tapegrad/datasets: the data pipeline (Dataset, DataLoader, splits, transforms, CSV) and the
 * classic data sets (Iris bundled, MNIST from real IDX files, seeded toy sets), as tapegrad tensors.
 *
 * Importing this package loads no Node.js built-ins: the functions that read files
 * (`loadMnist`, `readIdx`, `loadCsv` with a path) import `node:fs` and friends when called.
 *
 * @example
 * import { loadIris, trainTestSplit, Standardizer, TensorDataset, DataLoader } from '@tapegrad/datasets';
 * const { features, labels } = loadIris();
 * const { xTrain, xTest, yTrain, yTest } = trainTestSplit(features, labels, { stratify: true, seed: 0 });
 * const scaler = new Standardizer().fit(xTrain);
 * const loader = new DataLoader(new TensorDataset(scaler.transform(xTrain), yTrain), { batchSize: 16, shuffle: true });
 * for (const [xb, yb] of loader) {
 *   // xb [16, 4] float32, yb [16] int32
 * }
 *
 * @packageDocumentation
 */
export { Dataset, TensorDataset, Subset, ConcatDataset, isBatchSource, type BatchSource } from './dataset.js';
export { randomSplit, trainTestSplit, type TrainTestSplitOptions, type TrainTestSplit } from './split.js';
export { DataLoader, type DataLoaderOptions } from './dataloader.js';
export { defaultCollate, stackTensors, type Collated } from './collate.js';
export { Standardizer, standardize, MinMaxScaler, minMaxScale, oneHot, flatten, scaleBytes } from './transforms.js';
export { loadCsv, parseCsv, type CsvOptions, type CsvData } from './csv.js';
export {
  parseIdx, decodeIdx, readIdx, isGzip, type IdxArray, type IdxData, type IdxType, type IdxExpectation,
} from './idx.js';
export { loadMnist, type MnistOptions, type Mnist } from './mnist.js';
export { loadIris, IRIS_CLASS_NAMES, IRIS_FEATURE_NAMES, type IrisOptions, type Iris } from './iris.js';
export { xor, moons, circles, spirals, blobs, linearlySeparable, type ToyOptions, type ToyData, type SeparableData } from './toy.js';
