import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator, Tensor, ValueError, noGrad } from '@tapegrad/core';
import { Linear, Sequential, ReLU, init, loadSafetensors, loadSafetensorsWithMetadata } from '@tapegrad/nn';
import {
  CsvLogger, EarlyStopping, History, JsonlLogger, ModelCheckpoint, TerminateOnNaN, type Callback, type TrainContext,
} from '@tapegrad/train';

const dir = mkdtempSync(join(tmpdir(), 'tapegrad-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function smallModel(seed = 0) {
  const model = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
  const g = new Generator(seed);
  for (const p of model.parameters()) init.normal_(p, 0, 1, { generator: g });
  return model;
}

function copyState(model: Sequential): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, t.clone()]));
}

function context(model = smallModel()): TrainContext {
  return { model, history: new History(), epochs: 100, stop: false };
}

/** Drives callbacks as fit does, on scripted logs; returns the 0-based epoch after which training stopped (or -1). */
async function drive(cbs: Callback[], logs: Array<Record<string, number>>, ctx = context()): Promise<number> {
  for (const cb of cbs) await cb.onTrainBegin?.(ctx);
  let stoppedAt = -1;
  for (let e = 0; e < logs.length; e++) {
    for (const cb of cbs) await cb.onEpochBegin?.(e, ctx);
    ctx.history.push(logs[e]!);
    for (const cb of cbs) await cb.onEpochEnd?.(e, logs[e]!, ctx);
    if (ctx.stop) {
      stoppedAt = e;
      break;
    }
  }
  for (const cb of cbs) await cb.onTrainEnd?.(ctx.history, ctx);
  return stoppedAt;
}

describe('History', () => {
  it('records epochs and returns a key per epoch', () => {
    const h = new History();
    h.push({ loss: 0.9, accuracy: 0.5 });
    h.push({ loss: 0.4, accuracy: 0.75, val_loss: 0.6 });
    h.push({ loss: 0.3, accuracy: 0.7, val_loss: 0.5 });
    expect(h.length).toBe(3);
    expect(h.get('loss')).toEqual([0.9, 0.4, 0.3]);
    expect(h.get('val_loss')).toEqual([NaN, 0.6, 0.5]);
    expect(h.last()).toEqual({ loss: 0.3, accuracy: 0.7, val_loss: 0.5 });
    expect(h.keys()).toEqual(['loss', 'accuracy', 'val_loss']);
    expect(h.best('accuracy')).toEqual({ epoch: 1, value: 0.75 });
    expect(h.best('val_loss')).toEqual({ epoch: 2, value: 0.5 });
    expect(JSON.parse(JSON.stringify(h))).toHaveLength(3);
  });

  it('copies the logs it is given', () => {
    const h = new History();
    const logs = { loss: 1 };
    h.push(logs);
    logs.loss = 2;
    expect(h.get('loss')).toEqual([1]);
  });

  it('throws for a key no epoch has, listing the keys', () => {
    const h = new History();
    h.push({ loss: 1 });
    expect(() => h.get('val_los')).toThrow(/History.get: no epoch has "val_los"; keys are loss/);
    expect(new History().last()).toEqual({});
  });
});

describe('EarlyStopping', () => {
  const valLoss = [1.0, 0.8, 0.85, 0.7, 0.72, 0.71, 0.69, 0.9];

  it('stops after patience epochs without improvement', async () => {
    // best: 1.0 (e0), 0.8 (e1), wait 1 (e2), 0.7 (e3), wait 1 (e4), wait 2 (e5) -> stop at e5
    const es = new EarlyStopping({ patience: 2 });
    const stopped = await drive([es], valLoss.map((v) => ({ val_loss: v })));
    expect(stopped).toBe(5);
    expect(es.stoppedEpoch).toBe(5);
    expect(es.bestEpoch).toBe(3);
    expect(es.best).toBe(0.7);
  });

  it('stops at the first non-improvement with patience 0', async () => {
    const es = new EarlyStopping();
    expect(await drive([es], valLoss.map((v) => ({ val_loss: v })))).toBe(2);
  });

  it('does not count changes smaller than minDelta as improvements', async () => {
    // with minDelta 0.05: e1 improves (0.8 < 0.95), e3 improves (0.7 < 0.75), e6 0.69 is not < 0.65
    const es = new EarlyStopping({ patience: 3, minDelta: 0.05 });
    expect(await drive([es], valLoss.map((v) => ({ val_loss: v })))).toBe(6);
    expect(es.bestEpoch).toBe(3);
  });

  it('runs to the end when the value keeps improving', async () => {
    const es = new EarlyStopping({ patience: 1 });
    expect(await drive([es], [3, 2, 1, 0.5].map((v) => ({ val_loss: v })))).toBe(-1);
    expect(es.stoppedEpoch).toBe(-1);
  });

  it('watches accuracies in max mode (auto for names with acc)', async () => {
    const es = new EarlyStopping({ monitor: 'val_accuracy', patience: 1 });
    expect(es.mode).toBe('max');
    expect(await drive([es], [0.5, 0.7, 0.6, 0.8].map((v) => ({ val_accuracy: v })))).toBe(2);
  });

  it('restores the weights of the best epoch at the end', async () => {
    const model = smallModel();
    const ctx = context(model);
    const es = new EarlyStopping({ patience: 1, restoreBestWeights: true });
    const snapshots: Array<Record<string, Tensor>> = [];
    const perturb: Callback = {
      // Before each epoch's end-of-epoch check, change the weights as training would.
      onEpochBegin(e) {
        noGrad(() => { for (const p of model.parameters()) p.add_(e + 1); });
        snapshots.push(copyState(model));
      },
    };
    // best at epoch 1; epoch 2 is worse -> stop and restore epoch 1's weights
    expect(await drive([perturb, es], [0.5, 0.4, 0.45].map((v) => ({ val_loss: v })), ctx)).toBe(2);
    const now = model.stateDict();
    for (const [k, vals] of Object.entries(snapshots[1]!)) expect(now[k]!).toBeAllClose(vals);
  });

  it('throws when the monitored value is missing, naming the keys', async () => {
    const es = new EarlyStopping();
    await expect(drive([es], [{ loss: 1 }])).rejects.toThrow(/EarlyStopping: the monitored value "val_loss" is not in the logs \(keys: loss\); pass a valLoader/);
  });

  it('validates its options', () => {
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(ValueError);
    expect(() => new EarlyStopping({ minDelta: -0.1 })).toThrow(/EarlyStopping: minDelta must be >= 0, got -0.1/);
    expect(() => new EarlyStopping({ mode: 'up' as 'max' })).toThrow(/EarlyStopping: option mode must be/);
  });
});

describe('ModelCheckpoint', () => {
  it('writes a safetensors file equal to the state dict of the best epoch', async () => {
    const model = smallModel(3);
    const path = join(dir, 'ckpt', 'best.safetensors');
    const ckpt = new ModelCheckpoint({ path });
    const ctx = context(model);
    let best: Record<string, Tensor> = {};
    const track: Callback = {
      onEpochBegin(e) {
        noGrad(() => { for (const p of model.parameters()) p.mul_(1 + 0.1 * (e + 1)); });
      },
      onEpochEnd(_e, logs) {
        if (logs.val_loss! <= 0.4) best = copyState(model);
      },
    };
    await drive([track, ckpt], [0.5, 0.4, 0.6].map((v) => ({ val_loss: v })), ctx);
    expect(ckpt.saved).toEqual([path, path]);
    expect(Object.keys(best)).toHaveLength(4);
    const loaded = await loadSafetensors(path);
    expect(Object.keys(loaded).sort()).toEqual(Object.keys(model.stateDict()).sort());
    for (const [k, vals] of Object.entries(best)) {
      expect(loaded[k]!.shape).toEqual(model.stateDict()[k]!.shape);
      expect(loaded[k]!).toBeAllClose(vals, { rtol: 0, atol: 0 });
    }
    const { metadata } = await loadSafetensorsWithMetadata(path);
    expect(metadata).toEqual({ epoch: '2', val_loss: '0.4' });
  });

  it('writes every epoch with saveBestOnly false and {epoch} in the path', async () => {
    const model = smallModel(4);
    const ckpt = new ModelCheckpoint({ path: join(dir, 'every', 'm-{epoch}.safetensors'), saveBestOnly: false });
    await drive([ckpt], [{ loss: 1 }, { loss: 2 }], context(model));
    expect(ckpt.saved).toEqual([join(dir, 'every', 'm-1.safetensors'), join(dir, 'every', 'm-2.safetensors')]);
    const loaded = await loadSafetensors(ckpt.saved[1]!);
    for (const [k, t] of Object.entries(model.stateDict())) expect(loaded[k]!).toBeAllClose(t, { rtol: 0, atol: 0 });
  });

  it('requires a path', () => {
    expect(() => new ModelCheckpoint({ path: '' })).toThrow(/ModelCheckpoint: a path is required/);
  });
});

describe('CsvLogger', () => {
  it('writes a header and one row per epoch, 1-based', async () => {
    const path = join(dir, 'logs', 'train.csv');
    await drive([new CsvLogger(path)], [{ loss: 0.5, accuracy: 0.75 }, { loss: 0.25, accuracy: 1 }, { loss: 0.125 }]);
    expect(readFileSync(path, 'utf8')).toBe('epoch,loss,accuracy\n1,0.5,0.75\n2,0.25,1\n3,0.125,\n');
  });

  it('starts the file anew on each run unless appending', async () => {
    const path = join(dir, 'logs', 'again.csv');
    await drive([new CsvLogger(path)], [{ loss: 1 }]);
    await drive([new CsvLogger(path)], [{ loss: 2 }]);
    expect(readFileSync(path, 'utf8')).toBe('epoch,loss\n1,2\n');
    await drive([new CsvLogger(path, { append: true })], [{ loss: 3 }]);
    expect(readFileSync(path, 'utf8')).toBe('epoch,loss\n1,2\nepoch,loss\n1,3\n');
  });
});

describe('JsonlLogger', () => {
  it('writes one JSON object per epoch, NaN as null', async () => {
    const path = join(dir, 'logs', 'train.jsonl');
    await drive([new JsonlLogger(path)], [{ loss: 0.5, val_loss: NaN }, { loss: 0.25, val_loss: 0.3 }]);
    expect(readFileSync(path, 'utf8')).toBe('{"epoch":1,"loss":0.5,"val_loss":null}\n{"epoch":2,"loss":0.25,"val_loss":0.3}\n');
  });
});

describe('TerminateOnNaN', () => {
  it('sets stop at the first batch with a non-finite loss', () => {
    const cb = new TerminateOnNaN();
    const ctx = context();
    cb.onBatchEnd(0, { loss: 1 }, ctx);
    expect(ctx.stop).toBe(false);
    cb.onBatchEnd(1, { loss: Infinity }, ctx);
    expect(ctx.stop).toBe(true);
    expect(cb.badBatch).toBe(1);
  });
});
