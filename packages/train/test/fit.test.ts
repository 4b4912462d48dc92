import { describe, expect, it } from 'vitest';
import { Generator, Tensor, ValueError, cat, isGradEnabled, manualSeed, randn, tensor, zeros } from '@tapegrad/core';
import { F, Linear, Module } from '@tapegrad/nn';
import { ReduceLROnPlateau, SGD, StepLR } from '@tapegrad/optim';
import { EarlyStopping, evaluate, evaluateAsync, fit, type Batch, type Callback } from '@tapegrad/train';

/** Two Gaussian blobs around (-2, -2) (class 0) and (2, 2) (class 1): linearly separable with a wide margin. */
function blobs(n: number, seed: number): { x: Tensor; y: Tensor } {
  const g = new Generator(seed);
  const half = n / 2;
  const a = randn([half, 2], { generator: g }).mul(0.5).sub(2);
  const b = randn([half, 2], { generator: g }).mul(0.5).add(2);
  const labels = new Int32Array(n);
  labels.fill(1, half);
  return { x: cat([a, b], 0), y: tensor(labels) };
}

/** Batches of the given sizes, in order. */
function batches(x: Tensor, y: Tensor, sizes: number[]): Batch[] {
  const out: Batch[] = [];
  let start = 0;
  for (const s of sizes) {
    out.push([x.narrow(0, start, s), y.narrow(0, start, s)]);
    start += s;
  }
  return out;
}

/** A Linear layer that records, at each call, whether it was in training mode and whether grad was on. */
class Probe extends Module {
  lin = new Linear(2, 2);
  calls: Array<{ training: boolean; grad: boolean; rows: number }> = [];
  forward(x: Tensor): Tensor {
    this.calls.push({ training: this.training, grad: isGradEnabled(), rows: x.shape[0]! });
    return this.lin.call(x);
  }
}

describe('fit', () => {
  it('separates two blobs with Linear(2, 2) and SGD: loss falls, accuracy reaches 1', async () => {
    manualSeed(0);
    const { x, y } = blobs(40, 1);
    // 4 batches of 10, each with 5 points of each class
    const train: Batch[] = [0, 1, 2, 3].map((i) => [
      cat([x.narrow(0, 5 * i, 5), x.narrow(0, 20 + 5 * i, 5)], 0),
      cat([y.narrow(0, 5 * i, 5), y.narrow(0, 20 + 5 * i, 5)], 0),
    ]);
    const model = new Linear(2, 2);
    const history = await fit(model, {
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      loss: F.crossEntropy,
      trainLoader: train,
      valLoader: [[x, y]],
      epochs: 15,
      metrics: ['accuracy'],
      verbose: 0,
    });
    const loss = history.get('loss');
    expect(history.length).toBe(15);
    expect(loss[14]!).toBeLessThan(loss[0]! / 2);
    expect(history.last().accuracy).toBe(1);
    expect(history.last().val_accuracy).toBe(1);
    expect(history.keys()).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr', 'seconds']);
    // the same seed gives the same run
    manualSeed(0);
    const again = new Linear(2, 2);
    const h2 = await fit(again, { optimizer: new SGD(again.parameters(), { lr: 0.1 }), loss: F.crossEntropy, trainLoader: train, epochs: 15, verbose: 0 });
    expect(h2.get('loss')).toEqual(loss);
  });

  it('weights each batch loss by its size, so the epoch loss is the mean over samples', async () => {
    manualSeed(1);
    const { x, y } = blobs(10, 2);
    const model = new Linear(2, 2);
    const expected = F.crossEntropy(model.call(x), y).item();
    const history = await fit(model, {
      optimizer: new SGD(model.parameters(), { lr: 0 }), // parameters stay put
      loss: F.crossEntropy,
      trainLoader: batches(x, y, [3, 7]),
      epochs: 2,
      verbose: 0,
    });
    expect(history.get('loss')).toBeAllClose([expected, expected], { rtol: 1e-6 });
  });

  it('trains in train mode with grad on and validates in eval mode under noGrad, restoring the mode', async () => {
    manualSeed(2);
    const { x, y } = blobs(8, 3);
    const model = new Probe();
    model.eval();
    const history = await fit(model, {
      optimizer: new SGD(model.parameters(), { lr: 0.05 }),
      loss: F.crossEntropy,
      trainLoader: batches(x, y, [4, 4]),
      valLoader: batches(x, y, [8]),
      epochs: 1,
      verbose: 0,
    });
    expect(model.calls).toEqual([
      { training: true, grad: true, rows: 4 },
      { training: true, grad: true, rows: 4 },
      { training: false, grad: false, rows: 8 },
    ]);
    expect(model.training).toBe(false);
    const ev = evaluate(model, [[x, y]], { loss: F.crossEntropy });
    expect(history.last().val_loss).toBeCloseTo(ev.loss!, 6);
  });

  it('calls the callbacks in order and stops when one sets ctx.stop', async () => {
    manualSeed(3);
    const { x, y } = blobs(8, 4);
    const model = new Linear(2, 2);
    const events: string[] = [];
    const spy: Callback = {
      onTrainBegin: () => void events.push('trainBegin'),
      onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
      onBatchEnd: (b, logs) => void events.push(`batch ${b} size ${logs.size}`),
      onEpochEnd: async (e, logs, ctx) => {
        await Promise.resolve();
        events.push(`epochEnd ${e} history ${ctx.history.length} loss ${logs.loss === ctx.history.last().loss}`);
        if (e === 1) ctx.stop = true;
      },
      onTrainEnd: (h) => void events.push(`trainEnd ${h.length}`),
    };
    const history = await fit(model, {
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      loss: F.crossEntropy,
      trainLoader: batches(x, y, [5, 3]),
      epochs: 10,
      callbacks: [spy],
      verbose: 0,
    });
    expect(history.length).toBe(2);
    expect(events).toEqual([
      'trainBegin',
      'epochBegin 0', 'batch 0 size 5', 'batch 1 size 3', 'epochEnd 0 history 1 loss true',
      'epochBegin 1', 'batch 0 size 5', 'batch 1 size 3', 'epochEnd 1 history 2 loss true',
      'trainEnd 2',
    ]);
  });

  it('ends the epoch after the batch where onBatchEnd sets stop', async () => {
    const { x, y } = blobs(8, 5);
    const model = new Linear(2, 2);
    let seen = 0;
    const history = await fit(model, {
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      loss: F.crossEntropy,
      trainLoader: batches(x, y, [2, 2, 2, 2]),
      epochs: 3,
      callbacks: [{ onBatchEnd: (b, _l, ctx) => { seen++; if (b === 1) ctx.stop = true; } }],
      verbose: 0,
    });
    expect(seen).toBe(2);
    expect(history.length).toBe(1);
  });

  it('steps the scheduler once per epoch and logs the lr used in the epoch', async () => {
    const { x, y } = blobs(8, 6);
    const model = new Linear(2, 2);
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const history = await fit(model, {
      optimizer, loss: F.crossEntropy, trainLoader: [[x, y]], epochs: 3, verbose: 0,
      scheduler: new StepLR(optimizer, { stepSize: 1, gamma: 0.5 }),
    });
    expect(history.get('lr')).toBeAllClose([0.1, 0.05, 0.025]);
    expect(optimizer.paramGroups[0]!.lr).toBeCloseTo(0.0125);
  });

  it('gives ReduceLROnPlateau the validation loss', async () => {
    const { x, y } = blobs(8, 7);
    const model = new Linear(2, 2);
    const optimizer = new SGD(model.parameters(), { lr: 0 });
    const sched = new ReduceLROnPlateau(optimizer, { patience: 0 });
    const seen: number[] = [];
    const original = sched.step.bind(sched);
    sched.step = (m) => { seen.push(Number(m)); original(m); };
    const history = await fit(model, { optimizer, loss: F.crossEntropy, trainLoader: [[x, y]], valLoader: [[x, y]], epochs: 2, verbose: 0, scheduler: sched });
    expect(seen).toEqual(history.get('val_loss'));
  });

  it('accepts async loaders and loss modules', async () => {
    const { x, y } = blobs(8, 8);
    async function* gen(): AsyncGenerator<Batch> {
      yield [x.narrow(0, 0, 4), y.narrow(0, 0, 4)];
      yield [x.narrow(0, 4, 4), y.narrow(0, 4, 4)];
    }
    const model = new Linear(2, 2);
    const loss = { call: (o: Tensor, t: Tensor) => F.crossEntropy(o, t) };
    const history = await fit(model, {
      optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss,
      trainLoader: { [Symbol.asyncIterator]: gen }, valLoader: { [Symbol.asyncIterator]: gen }, epochs: 2, verbose: 0,
    });
    expect(history.length).toBe(2);
    const ev = await evaluateAsync(model, { [Symbol.asyncIterator]: gen }, { loss, metrics: ['accuracy'] });
    expect(ev.samples).toBe(8);
    expect(history.last().val_loss).toBeCloseTo(ev.loss!, 6);
  });

  it('works with EarlyStopping on the training loss', async () => {
    const { x, y } = blobs(8, 9);
    const model = new Linear(2, 2);
    const es = new EarlyStopping({ monitor: 'loss', patience: 0 });
    // lr 0: the loss never improves after the first epoch, so training stops after epoch 2
    const history = await fit(model, { optimizer: new SGD(model.parameters(), { lr: 0 }), loss: F.crossEntropy, trainLoader: [[x, y]], epochs: 10, verbose: 0, callbacks: [es] });
    expect(history.length).toBe(2);
    expect(es.stoppedEpoch).toBe(1);
  });

  it('prints one line per epoch, and nothing per batch on a stream that is not a terminal', async () => {
    const { x, y } = blobs(8, 10);
    const model = new Linear(2, 2);
    const lines: string[] = [];
    const writes: string[] = [];
    await fit(model, {
      optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: F.crossEntropy, trainLoader: batches(x, y, [4, 4]),
      epochs: 2, metrics: ['accuracy'], verbose: 1, log: (l) => lines.push(l),
      progressStream: { write: (s: string) => writes.push(s), isTTY: false },
    });
    expect(writes).toEqual([]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^epoch 1\/2  loss \d+\.\d{4}  accuracy \d\.\d{4}  lr 0\.1  \d+\.\d{1,2}s/);
    expect(lines[1]).toMatch(/^epoch 2\/2 /);
  });

  it('draws a progress bar on a terminal stream', async () => {
    const { x, y } = blobs(8, 11);
    const model = new Linear(2, 2);
    const writes: string[] = [];
    await fit(model, {
      optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: F.crossEntropy, trainLoader: batches(x, y, [4, 4]),
      epochs: 1, verbose: 1, log: () => {},
      progressStream: { write: (s: string) => { writes.push(s); return true; }, isTTY: true },
    });
    const drawn = writes.join('');
    expect(drawn).toMatch(/epoch 1\/1 \[-+\] 0\/2/);
    expect(drawn).toMatch(/epoch 1\/1 \[=+\] 2\/2  loss \d\.\d{4}  \d+\.\d batch\/s/);
    expect(drawn.endsWith('\x1b[2K')).toBe(true); // the bar is cleared at the end
  });

  it('throws for an empty loader, a malformed batch, and a non-scalar loss', async () => {
    const model = new Linear(2, 2);
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const { x, y } = blobs(4, 12);
    await expect(fit(model, { optimizer, loss: F.crossEntropy, trainLoader: [], epochs: 1, verbose: 0 })).rejects.toThrow(/fit: trainLoader yielded no batches in epoch 1/);
    await expect(fit(model, { optimizer, loss: F.crossEntropy, trainLoader: [[x] as unknown as Batch], epochs: 1, verbose: 0 })).rejects.toThrow(/fit: batch 0 must be \[inputs, targets\]/);
    await expect(fit(model, { optimizer, loss: (o) => o, trainLoader: [[x, y]], epochs: 1, verbose: 0 })).rejects.toThrow(/fit: the loss must be a single number, got shape \[4, ?2\]/);
    await expect(fit(model, { optimizer, loss: F.crossEntropy, trainLoader: [[x, y]], epochs: -1 })).rejects.toThrow(ValueError);
  });
});

describe('evaluate', () => {
  it('averages loss and accuracy over samples across batches of different sizes', () => {
    manualSeed(4);
    const { x, y } = blobs(10, 13);
    const model = new Linear(2, 2);
    const r = evaluate(model, batches(x, y, [6, 4]), { loss: F.crossEntropy, metrics: ['accuracy', { name: 'rows', fn: (o) => o.shape[0]! }] });
    const out = model.call(x);
    expect(r.loss).toBeCloseTo(F.crossEntropy(out, y).item(), 6);
    const pred = out.argmax(1).data;
    let correct = 0;
    for (let i = 0; i < 10; i++) if (pred[i] === y.data[i]) correct++;
    expect(r.accuracy).toBeCloseTo(correct / 10, 12);
    expect(r.rows).toBeCloseTo((6 * 6 + 4 * 4) / 10, 12);
    expect(r.samples).toBe(10);
  });

  it('restores training mode and refuses an async-only loader', () => {
    const model = new Linear(2, 2);
    evaluate(model, [[zeros([1, 2]), tensor([0], { dtype: 'int32' })]]);
    expect(model.training).toBe(true);
    const asyncOnly = { async *[Symbol.asyncIterator]() {} } as unknown as Iterable<Batch>;
    expect(() => evaluate(model, asyncOnly)).toThrow(/evaluate: the loader must be iterable \(it is async only: use evaluateAsync\)/);
  });
});
