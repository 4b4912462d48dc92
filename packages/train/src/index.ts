/**
 * @tapegrad/train: the training experience around a tapegrad model. Metrics ({@link accuracy},
 * {@link confusionMatrix}), a terminal {@link ProgressBar} and one plain line per epoch
 * ({@link logEpoch}), a per-epoch {@link History}, callbacks ({@link EarlyStopping},
 * {@link ModelCheckpoint}, {@link CsvLogger}, {@link JsonlLogger}), an optional Keras-style
 * {@link fit} and {@link evaluate} (the plain PyTorch loop stays first-class), and pictures as
 * SVG files: {@link lineChart}, {@link decisionRegions}, {@link imageGrid}, and the computational
 * graph of a tensor ({@link graphSvg}, {@link graphText}).
 *
 * @example
 * import { randn } from '@tapegrad/core';
 * import { F, Linear, Sequential, ReLU } from '@tapegrad/nn';
 * import { SGD } from '@tapegrad/optim';
 * import { fit, lineChart } from '@tapegrad/train';
 * const x = randn([32, 2]);
 * const y = x.sum(1).gt(0).int();
 * const model = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 2));
 * const history = await fit(model, {
 *   optimizer: new SGD(model.parameters(), { lr: 0.1 }),
 *   loss: F.crossEntropy,
 *   trainLoader: [[x, y]],
 *   epochs: 50,
 *   metrics: ['accuracy'],
 * });
 * const svg = lineChart([{ name: 'loss', values: history.get('loss') }], { title: 'training loss' }); // saveSvg(svg, 'out/loss.svg')
 *
 * @packageDocumentation
 */
export { accuracy, confusionMatrix, formatConfusionMatrix, type ClassifyOptions } from './metrics.js';
export {
  ProgressBar, logEpoch, formatEpoch, formatValue,
  type ProgressBarOptions, type ProgressStream, type LogEpochOptions,
} from './progress.js';
export { History } from './history.js';
export {
  EarlyStopping, ModelCheckpoint, CsvLogger, JsonlLogger, TerminateOnNaN,
  type Callback, type TrainContext, type MaybePromise, type MonitorMode,
  type EarlyStoppingOptions, type ModelCheckpointOptions, type LoggerOptions,
} from './callbacks.js';
export { fit, type FitOptions, type FitScheduler } from './fit.js';
export type { FitOptimizer } from './fit-optimizer.js';
export {
  evaluate, evaluateAsync,
  type EvaluateOptions, type EvaluateResult, type LossFn, type Metric, type Batch, type Loader, type TrainableModule,
} from './evaluate.js';
export { saveSvg, escapeXml, niceTicks } from './svg/svg.js';
export { lineChart, type Series, type LineChartOptions } from './svg/line-chart.js';
export { decisionRegions, type DecisionRegionsOptions } from './svg/decision-regions.js';
export { imageGrid, type ImageGridOptions } from './svg/image-grid.js';
export { graphSvg, graphText, formatValues, type GraphOptions } from './svg/graph.js';
