import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, Tensor, ValueError, tensor } from '@tapegrad/core';
import {
  ConcatDataset, DataLoader, Dataset, Subset, TensorDataset, defaultCollate, randomSplit,
} from '@tapegrad/datasets';

/** x[i] = [i, 10 i, 100 i] (float32), y[i] = i (int32): batch values reveal the row indices. */
function indexed(n: number): { x: Tensor; y: Tensor } {
  const x = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) x.set([i, 10 * i, 100 * i], 3 * i);
  return { x: tensor(x, { shape: [n, 3] }), y: tensor(Int32Array.from({ length: n }, (_, i) => i), { dtype: 'int32' }) };
}

const ids = (t: Tensor) => Array.from(t.data);

function epochIds<B extends Tensor[]>(loader: Iterable<B>): number[][] {
  return [...loader].map((b) => ids(b[1]!));
}

describe('TensorDataset', () => {
  it('returns the tuple of rows of each tensor', () => {
    const { x, y } = indexed(5);
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(5);
    const [xi, yi] = ds.get(3);
    expect(xi.shape).toEqual([3]);
    expect(yi.shape).toEqual([]);
    expect(xi).toBeAllClose([3, 30, 300]);
    expect(yi.item()).toBe(3);
    expect(yi.dtype).toBe('int32');
  });

  it('gathers a batch of rows in the order asked', () => {
    const { x, y } = indexed(6);
    const [xb, yb] = new TensorDataset(x, y).getBatch([4, 0, 4]);
    expect(xb.shape).toEqual([3, 3]);
    expect(xb).toBeAllClose([[4, 40, 400], [0, 0, 0], [4, 40, 400]]);
    expect(ids(yb)).toEqual([4, 0, 4]);
  });

  it('reads rows of a non-contiguous tensor correctly', () => {
    const base = tensor([[0, 1, 2], [3, 4, 5]]); // [2,3]; its transpose is [3,2], non-contiguous
    const t = base.T;
    const ds = new TensorDataset(t);
    expect(ds.get(2)[0]).toBeAllClose([2, 5]);
    expect(ds.getBatch([2, 0])[0]).toBeAllClose([[2, 5], [0, 3]]);
  });

  it('throws when the first dims differ or an index is out of range', () => {
    const { x } = indexed(5);
    expect(() => new TensorDataset(x, tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => new TensorDataset(x, tensor([1, 2, 3]))).toThrow(/TensorDataset: .*\[5,3\], \[3\]/);
    expect(() => new TensorDataset(x).get(5)).toThrow(/index 5 is out of range for a dataset of length 5/);
    expect(() => new TensorDataset(x).getBatch([0, 7])).toThrow(ValueError);
  });
});

describe('Subset and ConcatDataset', () => {
  it('Subset maps its indices into the parent, for get and getBatch', () => {
    const { x, y } = indexed(10);
    const sub = new Subset(new TensorDataset(x, y), [7, 2, 9]);
    expect(sub.length).toBe(3);
    expect(sub.get(1)[1].item()).toBe(2);
    const batch = sub.getBatch!([2, 0]) as Tensor[];
    expect(ids(batch[1]!)).toEqual([9, 7]);
    expect(batch[0]).toBeAllClose([[9, 90, 900], [7, 70, 700]]);
    expect(() => new Subset(new TensorDataset(x), [10])).toThrow(/Subset: index 10 .*length 10/);
  });

  it('ConcatDataset chains its parts', () => {
    const a = new TensorDataset(indexed(3).y);
    const b = new TensorDataset(tensor([100, 101], { dtype: 'int32' }));
    const c = new ConcatDataset([a, b]);
    expect(c.length).toBe(5);
    expect([0, 1, 2, 3, 4].map((i) => c.get(i)[0].item())).toEqual([0, 1, 2, 100, 101]);
    expect(() => c.get(5)).toThrow(/ConcatDataset.get: index 5/);
  });
});

describe('defaultCollate', () => {
  it('stacks tensors and turns integer numbers into int32 and other numbers into float32', () => {
    const batch = defaultCollate([
      [tensor([1, 2]), 0, 0.5],
      [tensor([3, 4]), 2, 1],
    ]);
    expect(batch[0].shape).toEqual([2, 2]);
    expect(batch[0]).toBeAllClose([[1, 2], [3, 4]]);
    expect(batch[1].dtype).toBe('int32');
    expect(ids(batch[1])).toEqual([0, 2]);
    expect(batch[2].dtype).toBe('float32');
    expect(batch[2]).toBeAllClose([0.5, 1]);
  });

  it('collates objects key by key and keeps strings as a list', () => {
    const batch = defaultCollate([
      { image: tensor([[1]]), label: 3, name: 'a' },
      { image: tensor([[2]]), label: 4, name: 'b' },
    ]);
    expect(batch.image.shape).toEqual([2, 1, 1]);
    expect(ids(batch.label)).toEqual([3, 4]);
    expect(batch.name).toEqual(['a', 'b']);
  });

  it('throws for tensors of different shapes, naming both shapes', () => {
    expect(() => defaultCollate([tensor([1, 2]), tensor([1, 2, 3])])).toThrow(ShapeError);
    expect(() => defaultCollate([tensor([1, 2]), tensor([1, 2, 3])])).toThrow(/\[2\].*\[3\]/);
    expect(() => defaultCollate([])).toThrow(/empty/);
  });
});

describe('DataLoader', () => {
  it('has length = number of batches, with and without dropLast', () => {
    const ds = new TensorDataset(indexed(10).y);
    expect(new DataLoader(ds, { batchSize: 3 }).length).toBe(4);
    expect(new DataLoader(ds, { batchSize: 3, dropLast: true }).length).toBe(3);
    expect(new DataLoader(ds, { batchSize: 5, dropLast: true }).length).toBe(2);
    expect(new DataLoader(ds).length).toBe(10);
  });

  it('visits the samples in order without shuffle, with a smaller last batch', () => {
    const { x, y } = indexed(7);
    const batches = [...new DataLoader(new TensorDataset(x, y), { batchSize: 3 })];
    expect(batches.map((b) => ids(b[1]))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(batches[2]![0].shape).toEqual([1, 3]);
    expect(batches[1]![0]).toBeAllClose([[3, 30, 300], [4, 40, 400], [5, 50, 500]]);
  });

  it('drops the incomplete last batch with dropLast', () => {
    const loader = new DataLoader(new TensorDataset(indexed(7).x, indexed(7).y), { batchSize: 3, dropLast: true });
    const batches = epochIds(loader);
    expect(batches).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(batches.length).toBe(loader.length);
  });

  it('gives the same batches for the same seed and a different order for another seed', () => {
    const { x, y } = indexed(50);
    const ds = new TensorDataset(x, y);
    const make = (seed: number) => new DataLoader(ds, { batchSize: 8, shuffle: true, generator: new Generator(seed) });
    const a = make(123);
    const b = make(123);
    const c = make(124);
    const a1 = epochIds(a);
    expect(epochIds(b)).toEqual(a1);
    expect(epochIds(c)).not.toEqual(a1);
    // Every epoch is a permutation of all samples; the next epoch uses a new one.
    expect(a1.flat().sort((p, q) => p - q)).toEqual([...Array(50).keys()]);
    const a2 = epochIds(a);
    expect(a2).not.toEqual(a1);
    expect(epochIds(b)).toEqual(a2);
    // Features travel with their labels.
    for (const [xb, yb] of make(5)) expect(ids(xb).filter((_, k) => k % 3 === 0)).toEqual(ids(yb));
  });

  it('iterates with for await, giving the same batches as for...of', async () => {
    const { x, y } = indexed(20);
    const ds = new TensorDataset(x, y);
    const sync = epochIds(new DataLoader(ds, { batchSize: 6, shuffle: true, generator: new Generator(9) }));
    const seen: number[][] = [];
    for await (const [, yb] of new DataLoader(ds, { batchSize: 6, shuffle: true, generator: new Generator(9) })) seen.push(ids(yb));
    expect(seen).toEqual(sync);
    expect(seen.length).toBe(4);
  });

  it('gives the same batches on the fast path (one gather) as on the get() path', () => {
    const { x, y } = indexed(23);
    const ds = new TensorDataset(x, y);
    const fast = [...new DataLoader(ds, { batchSize: 5, shuffle: true, generator: new Generator(3) })];
    let calls = 0;
    const slow = [
      ...new DataLoader(ds, {
        batchSize: 5, shuffle: true, generator: new Generator(3),
        collate: (s) => {
          calls++;
          return defaultCollate(s);
        },
      }),
    ];
    expect(calls).toBe(5);
    fast.forEach((b, i) => {
      expect(b[0]).toBeAllClose(slow[i]![0]);
      expect(ids(b[1])).toEqual(ids(slow[i]![1]));
    });
  });

  it('uses the parent getBatch for a Subset from randomSplit, and get() for other data sets', () => {
    const { x, y } = indexed(12);
    const [train] = randomSplit(new TensorDataset(x, y), [8, 4], { generator: new Generator(0) });
    const out = [...new DataLoader(train!, { batchSize: 4 })];
    expect(out.map((b) => ids(b[1])).flat()).toEqual(Array.from(train!.indices));

    class Squares extends Dataset<{ x: number; y: number }> {
      get length() { return 5; }
      get(i: number) { return { x: i, y: i * i }; }
    }
    const sq = [...new DataLoader(new Squares(), { batchSize: 2 })];
    expect(sq.map((b) => ids(b.y))).toEqual([[0, 1], [4, 9], [16]]);
    // A plain object with length and get is a data set too.
    const plain = { length: 3, get: (i: number) => tensor([i, -i]) };
    expect([...new DataLoader(plain, { batchSize: 3 })][0]).toBeAllClose([[0, 0], [1, -1], [2, -2]]);
  });

  it('rejects a batch size that is not a positive integer', () => {
    const ds = new TensorDataset(indexed(3).y);
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(/DataLoader: batchSize must be a positive integer, got 0/);
    expect(() => new DataLoader(ds, { batchSize: 1.5 })).toThrow(ValueError);
  });
});
