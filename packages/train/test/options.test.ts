import { describe, expect, it } from 'vitest';
import { ValueError, randn, tensor, type Tensor } from '@tapegrad/core';
import { F, Linear } from '@tapegrad/nn';
import { SGD } from '@tapegrad/optim';
import {
  CsvLogger, EarlyStopping, History, JsonlLogger, ModelCheckpoint, ProgressBar, accuracy, confusionMatrix, decisionRegions,
  evaluate, evaluateAsync, fit, formatConfusionMatrix, formatEpoch, formatValue, formatValues, graphSvg, graphText, imageGrid,
  lineChart, logEpoch, niceTicks, saveSvg, type Batch, type FitOptions, type TrainableModule,
} from '@tapegrad/train';

/** The ValueError message `f` throws or rejects with (fails the test if it does neither). */
async function messageOf(f: () => unknown): Promise<string> {
  let caught: unknown;
  try {
    await f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ValueError);
  return (caught as ValueError).message;
}

const int = (v: number[]): Tensor => tensor(v, { dtype: 'int32' });
const model = new Linear(2, 2);
const x = randn([4, 2]);
const y = int([0, 1, 1, 0]);
const batches: Batch[] = [[x, y]];
const base = (): FitOptions => ({
  optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: F.crossEntropy, trainLoader: batches, epochs: 1, verbose: 0,
});
const w = tensor([1, 2], { requiresGrad: true });
const root = w.square().sum();
const noop = (): void => {};

/**
 * Each public function with an options argument: how to call it with `opts`, a positional value
 * PyTorch- or Keras-style code might pass there, a misspelt key with the spelling suggested, and a
 * wrong-typed value with the message expected.
 */
interface Case {
  name: string;
  call: (opts: unknown) => unknown;
  positional: unknown;
  misspelt: Record<string, unknown>;
  suggested: string;
  wrong: Record<string, unknown>;
  message: string;
}

const cases: Case[] = [
  {
    name: 'accuracy', call: (o) => accuracy(x, y, o as never), positional: 0.3,
    misspelt: { treshold: 0.3 }, suggested: 'threshold',
    wrong: { threshold: '0.3' }, message: "accuracy: option threshold must be a number, got '0.3' (a string)",
  },
  {
    name: 'confusionMatrix', call: (o) => confusionMatrix(x, y, undefined, o as never), positional: true,
    misspelt: { Threshold: 0.3 }, suggested: 'threshold',
    wrong: { threshold: true }, message: 'confusionMatrix: option threshold must be a number, got true (a boolean)',
  },
  {
    name: 'ProgressBar', call: (o) => new ProgressBar(o as never), positional: 10,
    misspelt: { totl: 10 }, suggested: 'total',
    wrong: { stream: 'stderr' }, message: "ProgressBar: option stream must be a stream with a write() method, got 'stderr' (a string)",
  },
  {
    name: 'logEpoch', call: (o) => logEpoch(1, 2, { loss: 1 }, 1, o as never), positional: 100,
    misspelt: { sample: 100, write: noop }, suggested: 'samples',
    wrong: { write: 'stdout' }, message: "logEpoch: option write must be a function, got 'stdout' (a string)",
  },
  {
    name: 'formatEpoch', call: (o) => formatEpoch(1, 2, { loss: 1 }, 1, o as never), positional: 100,
    misspelt: { Samples: 100 }, suggested: 'samples',
    wrong: { samples: '100' }, message: "formatEpoch: option samples must be a number, got '100' (a string)",
  },
  {
    name: 'EarlyStopping', call: (o) => new EarlyStopping(o as never), positional: 3,
    misspelt: { patients: 3 }, suggested: 'patience',
    wrong: { restoreBestWeights: 'yes' }, message: "EarlyStopping: option restoreBestWeights must be a boolean, got 'yes' (a string)",
  },
  {
    name: 'ModelCheckpoint', call: (o) => new ModelCheckpoint(o as never), positional: 'best.safetensors',
    misspelt: { path: 'a.safetensors', saveBestonly: false }, suggested: 'saveBestOnly',
    wrong: { path: 'a.safetensors', verbose: 1 }, message: 'ModelCheckpoint: option verbose must be a boolean, got 1 (a number)',
  },
  {
    name: 'CsvLogger', call: (o) => new CsvLogger('log.csv', o as never), positional: true,
    misspelt: { apend: true }, suggested: 'append',
    wrong: { append: 'yes' }, message: "CsvLogger: option append must be a boolean, got 'yes' (a string)",
  },
  {
    name: 'JsonlLogger', call: (o) => new JsonlLogger('log.jsonl', o as never), positional: true,
    misspelt: { appendd: true }, suggested: 'append',
    wrong: { append: 1 }, message: 'JsonlLogger: option append must be a boolean, got 1 (a number)',
  },
  {
    name: 'fit', call: (o) => fit(model, o as never), positional: 10,
    misspelt: { ...base(), epochs: undefined, epoch: 3 }, suggested: 'epochs',
    wrong: { ...base(), optimizer: 'sgd' },
    message: "fit: option optimizer must be an optimizer with zeroGrad(), step() and paramGroups (e.g. an Optimizer of @tapegrad/optim), got 'sgd' (a string)",
  },
  {
    name: 'evaluate', call: (o) => evaluate(model, batches, o as never), positional: F.crossEntropy,
    misspelt: { metric: ['accuracy'] }, suggested: 'metrics',
    wrong: { loss: 'mse' }, message: "evaluate: option loss must be a function (output, target) => Tensor or a loss module, got 'mse' (a string)",
  },
  {
    name: 'evaluateAsync', call: (o) => evaluateAsync(model, batches, o as never), positional: F.crossEntropy,
    misspelt: { Loss: F.crossEntropy }, suggested: 'loss',
    wrong: { metrics: 'accuracy' }, message: "evaluateAsync: option metrics must be an array, got 'accuracy' (a string)",
  },
  {
    name: 'lineChart', call: (o) => lineChart([{ name: 'loss', values: [1, 0.5] }], o as never), positional: 'loss',
    misspelt: { titel: 'loss' }, suggested: 'title',
    wrong: { logY: 'yes' }, message: "lineChart: option logY must be a boolean, got 'yes' (a string)",
  },
  {
    name: 'decisionRegions', call: (o) => decisionRegions((p) => model.call(p), x, y, o as never), positional: 50,
    misspelt: { resolutoin: 50 }, suggested: 'resolution',
    wrong: { classNames: [0, 1] }, message: 'decisionRegions: option classNames must be an array of strings, got an array [0, 1]',
  },
  {
    name: 'imageGrid', call: (o) => imageGrid(randn([2, 4, 4]), o as never), positional: 5,
    misspelt: { col: 5 }, suggested: 'cols',
    wrong: { labels: 'ab' }, message: "imageGrid: option labels must be a tensor or an array of integers, got 'ab' (a string)",
  },
  {
    name: 'graphText', call: (o) => graphText(root, o as never), positional: false,
    misspelt: { showValue: false }, suggested: 'showValues',
    wrong: { names: { w: 'w' } }, message: 'graphText: option names must be a Map from tensors to names, got an object',
  },
  {
    name: 'graphSvg', call: (o) => graphSvg(root, o as never), positional: false,
    misspelt: { maxvalues: 3 }, suggested: 'maxValues',
    wrong: { maxValues: 2.5 }, message: 'graphSvg: option maxValues must be an integer, got 2.5 (a number)',
  },
];

describe('options of @tapegrad/train', () => {
  for (const c of cases) {
    it(`${c.name} refuses a positional value where its options object belongs`, async () => {
      expect(await messageOf(() => c.call(c.positional))).toMatch(new RegExp(`^${c.name}: expected an options object such as \\{ \\w+: ... \\}, got `));
    });

    it(`${c.name} refuses a misspelt option and suggests the right spelling`, async () => {
      const message = await messageOf(() => c.call(c.misspelt));
      expect(message).toMatch(new RegExp(`^${c.name}: unknown option '\\w+' \\(did you mean '${c.suggested}'\\?\\); ${c.name} takes .*\\b${c.suggested}\\b`));
    });

    it(`${c.name} refuses a wrong-typed option value`, async () => {
      expect(await messageOf(() => c.call(c.wrong))).toBe(c.message);
    });
  }
});

describe('arguments of @tapegrad/train', () => {
  it('metrics refuse a non-Tensor where a Tensor is required, by name', async () => {
    expect(await messageOf(() => accuracy([1, 2] as never, y))).toBe('accuracy: outputs must be a Tensor, got an array [1, 2]');
    expect(await messageOf(() => accuracy(x, [0, 1] as never))).toBe('accuracy: targets must be a Tensor, got an array [0, 1]');
    expect(await messageOf(() => confusionMatrix(null as never, y))).toBe('confusionMatrix: predicted must be a Tensor, got null');
  });

  it('confusionMatrix refuses options in the place of numClasses', async () => {
    expect(await messageOf(() => confusionMatrix(x, y, { threshold: 0.3 } as never))).toMatch(
      /^confusionMatrix: numClasses must be a positive integer, got an object; options go fourth/,
    );
    expect(await messageOf(() => confusionMatrix(x, y, 2.5))).toBe('confusionMatrix: numClasses must be a positive integer, got 2.5 (a number)');
  });

  it('formatConfusionMatrix refuses a matrix that is not an array of rows and class names that are not strings', async () => {
    expect(await messageOf(() => formatConfusionMatrix(x as never))).toBe('formatConfusionMatrix: m must be an array of rows (from confusionMatrix), got a Tensor');
    expect(await messageOf(() => formatConfusionMatrix([[1]], [0] as never))).toBe('formatConfusionMatrix: classNames must be an array of strings, got an array [0]');
  });

  it('fit and evaluate refuse a model that is not a Module', async () => {
    const fake = { call: (t: Tensor) => t, training: true, train: noop, eval: noop } as unknown as TrainableModule;
    expect(await messageOf(() => fit(fake, base()))).toBe('fit: model must be a Module (of @tapegrad/nn), got an object');
    expect(await messageOf(() => evaluate(fake, batches))).toBe('evaluate: model must be a Module (of @tapegrad/nn), got an object');
    expect(await messageOf(() => evaluateAsync('model' as never, batches))).toBe("evaluateAsync: model must be a Module (of @tapegrad/nn), got 'model' (a string)");
  });

  it('fit refuses options that are an instance of a class, even one holding the right keys', async () => {
    class Settings {
      constructor(readonly optimizer: unknown, readonly epochs = 1) {}
    }
    expect(await messageOf(() => fit(model, new Settings(base().optimizer) as never))).toMatch(
      /^fit: expected an options object such as \{ optimizer: \.\.\. \}, got a Settings; fit takes optimizer, loss, /,
    );
  });

  it('fit names a missing required option, a bad loader, a bad verbose and a callback that is not an object', async () => {
    expect(await messageOf(() => fit(model, { ...base(), epochs: undefined } as never))).toBe('fit: option epochs is required');
    expect(await messageOf(() => fit(model, undefined as never))).toMatch(/^fit: expected options \{ optimizer, loss, trainLoader, epochs, \.\.\. \}/);
    expect(await messageOf(() => fit(model, { ...base(), trainLoader: 5 } as never))).toMatch(/^fit: option trainLoader must be an iterable or async iterable .*, got 5 \(a number\)$/);
    expect(await messageOf(() => fit(model, { ...base(), verbose: 3 } as never))).toBe('fit: verbose must be 0, 1 or 2, got 3 (a number)');
    expect(await messageOf(() => fit(model, { ...base(), callbacks: [EarlyStopping] } as never))).toMatch(/^fit: callback 0 must be an object .*, got a function$/);
    expect(await messageOf(() => fit(model, { ...base(), callbacks: [{ onEpochEnd: 1 }] } as never))).toBe("fit: callback 0's onEpochEnd must be a function, got 1 (a number)");
    expect(await messageOf(() => fit(model, { ...base(), callbacks: [{ onEpochEnds: noop }] } as never))).toBe(
      "fit: callback 0 has an unknown hook 'onEpochEnds' (did you mean 'onEpochEnd'?); the hooks are onTrainBegin, onEpochBegin, onBatchEnd, onEpochEnd, onTrainEnd",
    );
    expect(await messageOf(() => fit(model, { ...base(), scheduler: 0.9 } as never))).toMatch(/^fit: option scheduler must be a learning-rate scheduler .*, got 0.9 \(a number\)$/);
  });

  it('pictures refuse a non-Tensor where a Tensor is required, by name', async () => {
    expect(await messageOf(() => imageGrid([[0, 1]] as never))).toBe('imageGrid: images must be a Tensor, got an array [0,1]');
    expect(await messageOf(() => decisionRegions((p) => p, [1, 2] as never, y))).toBe('decisionRegions: x must be a Tensor, got an array [1, 2]');
    expect(await messageOf(() => decisionRegions('model' as never, x, y))).toMatch(/^decisionRegions: predict must be a function .*, got 'model' \(a string\)$/);
    expect(await messageOf(() => graphSvg('loss' as never))).toBe("graphSvg: root must be a Tensor, got 'loss' (a string)");
    expect(await messageOf(() => formatValues(w, { maxValues: 3 } as never))).toBe('formatValues: maxValues must be an integer, got an object');
  });

  it('series of a line chart are checked like options', async () => {
    expect(await messageOf(() => lineChart([{ name: 'loss', values: [1], colour: 'red' } as never]))).toMatch(
      /^lineChart: series: unknown option 'colour' \(did you mean 'color'\?\)/,
    );
    expect(await messageOf(() => lineChart([{ name: 'loss', values: '1, 2' } as never]))).toBe(
      "lineChart: series: option values must be an array of numbers, got '1, 2' (a string)",
    );
  });

  it('History, ProgressBar.update and the small helpers check their arguments', async () => {
    const h = new History();
    expect(await messageOf(() => h.push(0.5 as never))).toBe('History.push: logs must be an object of numbers, got 0.5 (a number)');
    h.push({ loss: 1 });
    expect(await messageOf(() => h.best('loss', 'lowest' as never))).toBe("History.best: mode must be 'min' or 'max', got 'lowest' (a string)");
    expect(await messageOf(() => h.get(0 as never))).toBe('History.get: key must be a string, got 0 (a number)');
    expect(await messageOf(() => new ProgressBar({ total: 3, stream: { write: noop } }).update('1' as never))).toBe(
      "ProgressBar.update: n must be a number, got '1' (a string)",
    );
    expect(await messageOf(() => logEpoch(1, 2, { loss: 1 }, '1.2s' as never))).toBe("logEpoch: seconds must be a number, got '1.2s' (a string)");
    expect(await messageOf(() => formatValue('0.5' as never))).toBe("formatValue: v must be a number, got '0.5' (a string)");
    expect(await messageOf(() => niceTicks('0' as never, 1))).toBe("niceTicks: min must be a number, got '0' (a string)");
    expect(await messageOf(() => saveSvg('<svg/>', undefined as never))).toBe('saveSvg: path must be a string, got undefined');
  });
});
