import { describe, expect, it, vi } from 'vitest';
import { randn, manualSeed, type Tensor } from '@tapegrad/core';
import {
  summary, Sequential, Conv2d, MaxPool2d, Flatten, Linear, ReLU, Dropout, BatchNorm1d, Embedding, Module, Parameter,
} from '@tapegrad/nn';

function kerasConvnet(): Sequential {
  return new Sequential(
    new Conv2d(1, 32, 3), new ReLU(), new MaxPool2d(2),
    new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
    new Conv2d(64, 64, 3), new ReLU(),
    new Flatten(),
    new Linear(576, 64), new ReLU(),
    new Linear(64, 10),
  );
}

describe('summary', () => {
  it('counts 93,322 parameters in the Keras MNIST convnet, with every output shape', () => {
    const s = summary(kerasConvnet(), [1, 1, 28, 28]);
    expect(s.totals).toEqual({ total: 93322, trainable: 93322, nonTrainable: 0 });
    expect(s.rows.map((r) => [r.name, r.type, r.outputShape, r.params])).toEqual([
      ['0', 'Conv2d', [1, 32, 26, 26], 320],
      ['1', 'ReLU', [1, 32, 26, 26], 0],
      ['2', 'MaxPool2d', [1, 32, 13, 13], 0],
      ['3', 'Conv2d', [1, 64, 11, 11], 18496],
      ['4', 'ReLU', [1, 64, 11, 11], 0],
      ['5', 'MaxPool2d', [1, 64, 5, 5], 0],
      ['6', 'Conv2d', [1, 64, 3, 3], 36928],
      ['7', 'ReLU', [1, 64, 3, 3], 0],
      ['8', 'Flatten', [1, 576], 0],
      ['9', 'Linear', [1, 64], 36928],
      ['10', 'ReLU', [1, 64], 0],
      ['11', 'Linear', [1, 10], 650],
    ]);
    const table = s.toString();
    expect(table).toContain('Total params: 93,322');
    expect(table).toContain('Trainable params: 93,322');
    expect(table).toContain('Non-trainable params: 0');
    expect(table).toMatch(/0 \(Conv2d\) +\[1, 32, 26, 26\] +320/);
  });

  it('counts 669,706 parameters in a 784-512-512-10 MLP', () => {
    const mlp = new Sequential(new Linear(784, 512), new ReLU(), new Dropout(0.2), new Linear(512, 512), new ReLU(), new Dropout(0.2), new Linear(512, 10));
    expect(summary(mlp, [1, 784]).totals.total).toBe(669706);
  });

  it('counts 15,910 parameters in a 784-20-10 MLP', () => {
    const s = summary(new Sequential(new Linear(784, 20), new ReLU(), new Linear(20, 10)), [2, 784]);
    expect(s.totals.total).toBe(15910);
    expect(s.rows.map((r) => r.params)).toEqual([15700, 0, 210]);
    expect(s.rows[2]!.outputShape).toEqual([2, 10]);
  });

  it('reports frozen parameters as non-trainable', () => {
    const model = new Sequential(new Linear(10, 5), new Linear(5, 2));
    model.get(0).requiresGrad_(false);
    expect(summary(model, [1, 10]).totals).toEqual({ total: 67, trainable: 12, nonTrainable: 55 });
  });

  it('restores training flags and state, removes its hooks, and records no tape', () => {
    manualSeed(0);
    const model = new Sequential(new Linear(4, 3), new BatchNorm1d(3), new Dropout(0.5));
    model.get(2).eval(); // mixed modes must come back as they were
    const before = model.stateDict();
    const snapshot = Object.fromEntries(Object.entries(before).map(([k, v]) => [k, v.clone().toArray()]));
    summary(model, [2, 4]);
    expect(model.training).toBe(true);
    expect(model.get(1).training).toBe(true);
    expect(model.get(2).training).toBe(false);
    for (const [k, v] of Object.entries(model.stateDict())) expect(v.toArray(), k).toEqual(snapshot[k]);
    const out = model.call(randn([2, 4]));
    expect(out.requiresGrad).toBe(true);
    // Had the hooks stayed, a second summary would record each layer twice.
    expect(summary(model, [2, 4]).rows.length).toBe(3);
  });

  it('lists a module holding parameters itself, and feeds int32 zeros to an Embedding', () => {
    class Scaled extends Module {
      emb = new Embedding(10, 4);
      scale = new Parameter(randn([4]));
      forward(x: Tensor) {
        return this.emb.call(x).mul(this.scale);
      }
    }
    const s = summary(new Scaled(), [2, 3]);
    expect(s.rows.map((r) => [r.name, r.type, r.outputShape, r.params])).toEqual([
      ['emb', 'Embedding', [2, 3, 4], 40],
      ['Scaled', 'Scaled', [2, 3, 4], 4],
    ]);
    expect(s.totals.total).toBe(44);
  });

  it('prints the table when asked', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    summary(new Sequential(new Linear(2, 2)), [1, 2], { print: true });
    expect(log).toHaveBeenCalledOnce();
    expect(String(log.mock.calls[0]![0])).toContain('Total params: 6');
    log.mockRestore();
  });

  it('rejects a bad input shape', () => {
    expect(() => summary(new Linear(2, 2), [1, -2])).toThrow(/summary: inputShape must be an array of non-negative integers/);
  });
});
